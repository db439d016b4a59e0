import type { CommentPage, NewCommentRequest, NewCommentResponse } from '../../shared/comments.js';
import { request } from '../../client/api-client.js';

/**
 * `{base}/threads/{thread}/comments`, the URL the functions below take (`base`: the site's API
 * URL, CivicElement's `apiUrl()`).
 */
export const threadUrl = (base: string, thread: string) =>
  `${base}/threads/${encodeURIComponent(thread)}/comments`;

/** `GET /threads/{thread}/comments`: the newest page, or the one after `cursor`. */
export const getComments = (url: string, signal: AbortSignal, cursor?: string) =>
  request<CommentPage>(cursor ? `${url}?cursor=${encodeURIComponent(cursor)}` : url, { signal });

/** `POST /threads/{thread}/comments`: sends a comment (not retried: a POST). */
export const postComment = (url: string, body: NewCommentRequest, signal: AbortSignal) =>
  request<NewCommentResponse>(url, { method: 'POST', body, signal });
