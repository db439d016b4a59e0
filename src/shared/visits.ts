/**
 * Visit counter DTOs shared by `<civic-visit-counter>` and the server. Types and pure constants
 * only: nothing here may import client or server code.
 */

/** Figures shown by `<civic-visit-counter>`. `total` already includes the site's legacy offset. */
export interface VisitStats {
  total: number;
  today: number;
  month: number;
  /** Browser sessions seen in the last {@link ONLINE_WINDOW_MS}. */
  online: number;
}

/** Body of `POST /api/v1/sites/{site}/visits`. */
export interface VisitRequest {
  /** Path of the page visited (not stored per visit; validated for length only). */
  page: string;
  /** Random UUID kept in sessionStorage: one visit is counted per session and site. */
  session: string;
}

/** Response of `POST /visits`: the figures, and whether this call counted a new visit. */
export interface VisitResponse extends VisitStats {
  counted: boolean;
}

/** A session counts as "online" for this long after its last visit or heartbeat. */
export const ONLINE_WINDOW_MS = 5 * 60 * 1000;
