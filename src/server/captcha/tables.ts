/** Kysely row types of the captcha (`0004_captcha`). */
import type { ColumnType } from 'kysely';
import type { Int8 } from '../db/database.js';

/** `captcha_challenges`: one issued code challenge. Times are epoch milliseconds. */
export interface CaptchaChallengesTable {
  /** Random, URL-safe, 22 characters. */
  id: string;
  site: string;
  action: string;
  /** HMAC(captcha key, id + answer): the plain answer is never stored. */
  answer: string;
  created_at: Int8;
  /** At most 10 minutes after creation. */
  expires_at: Int8;
  /** Wrong answers so far; at 3 the challenge is dead. */
  attempts: ColumnType<number | string, number | undefined, number>;
  /** Set once, by the one conditional UPDATE that accepts the answer. */
  used_at: Int8<number | null> | null;
}

/** `captcha_pow_used`: every accepted proof-of-work (primary key = its challenge signature). */
export interface CaptchaPowUsedTable {
  signature: string;
  site: string;
  /** When the PoW challenge itself expires; the row may be deleted after that. */
  expires_at: Int8;
}

/** Columns `0004_captcha` adds to `sites`. */
export interface SiteCaptchaColumns {
  /** `code`, `pow` or `code+pow` (default: either is accepted). */
  captcha_mode: ColumnType<string, string | undefined, string>;
  /** Secret of `POST /api/v1/captcha/verify` for this site; created when missing. */
  captcha_secret: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CaptchaTables {
  captcha_challenges: CaptchaChallengesTable;
  captcha_pow_used: CaptchaPowUsedTable;
  sites: SiteCaptchaColumns;
}
