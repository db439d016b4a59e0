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
 * Proof-of-work difficulty: the secret number is uniform in 1…POW_MAX_NUMBER, so a browser tries
 * half of it on average (measured in the browser tests; see README).
 */
export const POW_MAX_NUMBER = 100_000;

/** Token prefixes: `c1.<id>.<code>` (the typed code) and `p1.<base64url PowPayload>`. */
export const CODE_TOKEN = 'c1.';
export const POW_TOKEN = 'p1.';
