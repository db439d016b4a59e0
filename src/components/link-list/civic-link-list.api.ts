import type { LinkItem, ListResponse } from '../../shared/lists.js';
import { request } from '../../client/api-client.js';

/** `GET /links/{name}` (`base`: the site's API URL, CivicElement's `apiUrl()`): a link list managed on the server. */
export const getLinks = (base: string, name: string, signal: AbortSignal) =>
  request<ListResponse<LinkItem>>(`${base}/links/${encodeURIComponent(name)}`, { signal });
