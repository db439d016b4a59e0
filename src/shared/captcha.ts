/**
 * DTOs of the captcha API, shared by `<civic-captcha>` and the server. Types and pure constants
 * only: nothing here may import client or server code.
 */

/** What a site accepts: the code from the image, a proof of work, or either (default). */
export type CaptchaMode = 'code' | 'pow' | 'code+pow';

/** An ALTCHA (v1) proof-of-work challenge: find `number` ≤ `maxnumber` with SHA-256(salt + number) = challenge. */
export interface PowChallenge {
  algorithm: 'SHA-256';
  challenge: string;
  maxnumber: number;
  salt: string;
  signature: string;
}

/** An ALTCHA (v1) solution, as the `p1.` token carries it (base64url JSON). */
export interface PowPayload {
  algorithm: 'SHA-256';
  challenge: string;
  number: number;
  salt: string;
  signature: string;
}

/** Body of `POST /api/v1/sites/{site}/captcha`. */
export interface CaptchaRequest {
  /** What the token will protect (default `comment`); a token is accepted only for its action. */
  action?: string;
}

/**
 * Response of `POST /api/v1/sites/{site}/captcha`. `id`, `image` and `length` are null in `pow`
 * mode; `pow` is null in `code` mode.
 */
export interface CaptchaChallenge {
  mode: CaptchaMode;
  id: string | null;
  /** `data:image/png;base64,…`: the code, drawn by the server. */
  image: string | null;
  /** Number of characters in the code. */
  length: number | null;
  pow: PowChallenge | null;
  /** ISO 8601; the challenge is refused after it. */
  expiresAt: string;
}

/** Body of the server-to-server `POST /api/v1/captcha/verify`. */
export interface CaptchaVerifyRequest {
  site: string;
  secret: string;
  token: string;
  /** When given, the token must have been issued for this action. */
  action?: string;
}

export type CaptchaVerifyResponse =
  { success: true; action: string } | { success: false; code: string; message: string };

/**
 * Proof-of-work cost (`maxnumber`; the secret number is uniform in 0…maxnumber, so a browser tries
 * half of it on average). A network's first 9 challenges in an hour cost POW_BASE (a median solve
 * of about 1 s in Chromium on the reference machine, see README); the 10th doubles it, and every
 * further 10 double it again, up to POW_CEILING (about 10 s). The server's settings
 * `CAPTCHA_POW_BASE` and `CAPTCHA_POW_CEILING` override them.
 */
export const POW_BASE = 60_000;
export const POW_CEILING = 400_000;
/** Challenges per network and hour at one cost: the cost doubles at every multiple of this. */
export const POW_STEP = 10;

/** `maxnumber` of the `n`th challenge (1-based) a network got within the hour. */
export function powCost(n: number, base = POW_BASE, ceiling = POW_CEILING): number {
  const doublings = Math.floor(Math.max(0, n) / POW_STEP);
  return Math.min(ceiling, base * 2 ** Math.min(doublings, 40));
}

/** Token prefixes: `c1.<id>.<code>` (the typed code) and `p1.<base64url PowPayload>`. */
export const CODE_TOKEN = 'c1.';
export const POW_TOKEN = 'p1.';
