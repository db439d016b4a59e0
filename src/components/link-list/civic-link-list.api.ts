import type { LinkItem, ListResponse } from '../../shared/lists.js';
import { request } from '../../client/api-client.js';

/**
 * `GET /links/{name}`: a link list managed on the server (`base`: the site's API URL,
 * CivicElement's `apiUrl()`).
 */
export const getLinks = (base: string, name: string, signal: AbortSignal) =>
  request<ListResponse<LinkItem>>(`${base}/links/${encodeURIComponent(name)}`, { signal });
