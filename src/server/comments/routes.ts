import { COMMENT_PAGE_SIZE } from '../../shared/comments.js';
import type { Routes } from '../core/api.js';
import { sendReadyNow } from '../core/read-cache.js';
import {
  ApprovedView,
  CommentPageView,
  CursorQuery,
  FIELD_CODES,
  NewCommentBody,
  PendingView,
  ThreadParams,
} from './schemas.js';
import {
  COMMENT_POSTS_PER_MINUTE,
  nextCursor,
  postComment,
  publicView,
  readCursor,
} from './service.js';

export { COMMENT_POSTS_PER_HOUR, COMMENT_POSTS_PER_MINUTE } from './service.js';
/** Public pages: any cache may keep them, and must ask (If-None-Match) before reusing one. */
export const COMMENT_PAGE_CACHE_CONTROL = 'public, no-cache';

/**
 * `GET /threads/:thread/comments` (approved, newest first, paged) and
 * `POST /threads/:thread/comments` (captcha checked and consumed on the server, every time).
 * `:thread` is one path segment: the widget sends `encodeURIComponent('/tin-tuc/123')`.
 */
export const commentRoutes: Routes = async (app) => {
  const { comments: store } = app;
  const { reads } = app.civic;
  const config = { fieldCodes: FIELD_CODES };

  // Pages come from the read cache (ready bytes per thread and cursor), dropped when a comment
  // of the thread is published or moderated.
  app.get(
    '/threads/:thread/comments',
    {
      config,
      compress: false,
      schema: {
        params: ThreadParams,
        querystring: CursorQuery,
        response: { 200: CommentPageView },
      },
    },
    // Not async: a page in memory is sent in the same turn (no promise, as for visits).
    (req, reply) => {
      const site = req.site.id;
      const { thread } = req.params;
      const variant = req.query.cursor ?? '';
      const now = reads.peek('comments', site, thread, variant);
      return sendReadyNow(req, reply, COMMENT_PAGE_CACHE_CONTROL, now, async () => {
        const cursor = readCursor(req.query.cursor);
        const ready = await reads.get('comments', site, thread, variant, async () => {
          const { rows, total } = await store.listApproved(site, thread, COMMENT_PAGE_SIZE, cursor);
          const next = nextCursor(rows, COMMENT_PAGE_SIZE);
          return { value: { items: rows.map(publicView), total, next } };
        });
        return ready!;
      });
    },
  );

  app.post(
    '/threads/:thread/comments',
    {
      config: { ...config, rateLimit: { max: COMMENT_POSTS_PER_MINUTE, timeWindow: 60_000 } },
      schema: {
        params: ThreadParams,
        body: NewCommentBody,
        response: { 201: ApprovedView, 202: PendingView },
      },
    },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      const result = await postComment(app, req.site, req.params.thread, req.body, req.ip, reply);
      return reply.status(result.status === 'approved' ? 201 : 202).send(result);
    },
  );
};
