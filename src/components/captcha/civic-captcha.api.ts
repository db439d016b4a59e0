import type { CaptchaChallenge } from '../../shared/captcha-types.js';
import { request } from '../../client/api-client.js';

/**
 * `POST /captcha` (`base`: the site's API URL, CivicElement's `apiUrl()`): a fresh challenge,
 * valid only for `action`.
 */
export const postChallenge = (base: string, action: string, signal: AbortSignal) =>
  request<CaptchaChallenge>(`${base}/captcha`, { method: 'POST', body: { action }, signal });
