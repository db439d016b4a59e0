/**
 * Poll DTOs shared by `<civic-poll>` and the server. Types and pure constants only: nothing here
 * may import client or server code.
 */

/**
 * Who may see a poll's results on the public API (the admin API always sees them):
 * - `always`: everyone, at any time;
 * - `after_vote`: a voter whose token has voted; everyone once the poll is closed;
 * - `after_close`: everyone once the poll is closed, nobody before;
 * - `never`: nobody (the results are published elsewhere, or not at all).
 */
export type ResultsVisibility = 'always' | 'after_vote' | 'after_close' | 'never';

/** `upcoming` before `opensAt`, `closed` from `closesAt` on, `open` between. */
export type PollStatus = 'upcoming' | 'open' | 'closed';

export interface PollOption {
  /** Stable id within the poll (`rat-tot`), sent back in `choices`. */
  id: string;
  label: string;
}

export interface PollResults {
  /** People who voted (for a multiple-choice poll, less than the sum of the option votes). */
  voters: number;
  /** Votes per option, in the poll's option order. */
  options: { id: string; votes: number }[];
}

/** `GET /polls/{poll}` and the answer of `POST /polls/{poll}/votes`. */
export interface PollView {
  id: string;
  question: string;
  options: PollOption[];
  /** Checkboxes (up to `maxChoices`) instead of radios. */
  multiple: boolean;
  maxChoices: number;
  /** ISO 8601 instants, or null when unbounded. */
  opensAt: string | null;
  closesAt: string | null;
  status: PollStatus;
  resultsVisibility: ResultsVisibility;
  /**
   * The poll takes a vote only with a captcha token issued for the action `vote` (`captcha` in
   * the vote; without a valid one: 400 `captcha_required`, `captcha_invalid`…).
   */
  requireProof: boolean;
  /** The voter token sent has voted on this poll. */
  voted: boolean;
  /** That voter's choices, when `voted`. */
  choices?: string[];
  /** Present only when the results are visible to this voter now. */
  results?: PollResults;
  /** `POST` only: true when this request counted the vote, false for a repeat of a counted one. */
  counted?: boolean;
}

/** Answer of `POST /api/v1/sites/{site}/polls/{poll}/voters` (201). */
export interface NewVoter {
  voterToken: string;
}

/** Body of `POST /api/v1/sites/{site}/polls/{poll}/votes`. */
export interface VoteRequest {
  /** Option ids: exactly one for a single-choice poll, 1…maxChoices distinct ones otherwise. */
  choices: string[];
  /**
   * The voter token from `POST /polls/{poll}/voters` (asked for once, before the first vote; keep
   * it per site and poll, and send it as `?voter=` on later reads too).
   */
  voter: string;
  /** A single-use captcha token for the action `vote` (required when the poll `requireProof`). */
  captcha?: string;
}

/** `^…$` of a voter token: `<22 chars id>.<22 chars signature>`, base64url. */
export const VOTER_TOKEN_PATTERN = '^[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{22}$';

/** Limits both the console (before sending) and the server (always) check on a poll's settings. */
export const POLL_LIMITS = {
  question: 500,
  optionLabel: 200,
  minOptions: 2,
  maxOptions: 20,
  /** Votes per IP prefix per UTC day. */
  ipCeiling: 1_000_000_000,
} as const;

/** `^…$` of a poll id (and of an option id): lowercase letters, digits and hyphens. */
export const POLL_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';

/** A poll's settings as an administrator writes them (`POST` adds `id`, `PATCH` sends any part). */
export interface PollSettingsInput {
  question: string;
  /** 2–20; an option without `id` gets `o1`, `o2`… by its place. */
  options: { id?: string; label: string }[];
  multiple: boolean;
  /** 1 for a single-choice poll; 2…options for a multiple-choice one. */
  maxChoices: number;
  /** ISO 8601 instants; null: from now on / until closed. */
  opensAt: string | null;
  closesAt: string | null;
  resultsVisibility: ResultsVisibility;
  /** Votes per IP prefix per UTC day; 0 = no ceiling. */
  ipCeiling: number;
  requireProof: boolean;
}

/** A poll as the admin API shows it: every setting, the votes per option and the voters. */
export interface AdminPoll {
  id: string;
  question: string;
  options: (PollOption & { votes: number })[];
  multiple: boolean;
  maxChoices: number;
  opensAt: string | null;
  closesAt: string | null;
  status: PollStatus;
  resultsVisibility: ResultsVisibility;
  ipCeiling: number;
  requireProof: boolean;
  /** People who voted. */
  voters: number;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
}
