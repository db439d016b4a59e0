import type { VisitRequest, VisitResponse } from '../../shared/api-types.js';
import { request } from '../../client/api-client.js';

/**
 * `POST /visits` (`base`: the site's API URL, CivicElement's `apiUrl()`): counts the session's
 * visit once and returns the figures; idempotent per session, so it may be retried.
 */
export const postVisit = (base: string, body: VisitRequest, retries: number, signal: AbortSignal) =>
  request<VisitResponse>(`${base}/visits`, { method: 'POST', body, signal, retries });
