import type { ListResponse, Slogan } from '../../shared/lists.js';
import { request } from '../../client/api-client.js';

/**
 * `GET /slogans/{name}`: a slogan list managed on the server (`base`: the site's API URL,
 * CivicElement's `apiUrl()`).
 */
export const getSlogans = (base: string, name: string, signal: AbortSignal) =>
  request<ListResponse<Slogan>>(`${base}/slogans/${encodeURIComponent(name)}`, { signal });
