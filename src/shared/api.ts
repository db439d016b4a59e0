/**
 * What every part of the API shares, for the browser widgets and the server. Types and pure
 * constants only: nothing here may import client or server code.
 */

/** Every error response of the API: `{ error: { code, message } }` with a 4xx/5xx status. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** Public API version prefix. */
export const API_PREFIX = '/api/v1';
