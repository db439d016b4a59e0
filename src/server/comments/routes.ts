import { COMMENT_PAGE_SIZE, type NewCommentResponse } from '../../shared/comments.js';
import type { Routes } from '../core/api.js';
import { HttpError } from '../core/errors.js';
import { ipPrefix } from '../core/net.js';
import { sendReady } from '../core/read-cache.js';
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
  cleanLine,
  cleanText,
  commentWaiting,
  nextCursor,
  publicView,
  readCursor,
  type CommentWaiting,
} from './service.js';

/** Posts per minute per IP prefix (shared by the instances through Redis with REDIS_URL): far below the read limit. */
export const COMMENT_POSTS_PER_MINUTE = 5;
/** Posts per hour per site and IP-hash, counted in the database (holds across instances). */
export const COMMENT_POSTS_PER_HOUR = 20;
/** Public pages: any cache may keep them, and must ask (If-None-Match) before reusing one. */
export const COMMENT_PAGE_CACHE_CONTROL = 'public, no-cache';
const HOUR_MS = 3_600_000;

/**
 * `GET /threads/:thread/comments` (approved, newest first, paged) and
 * `POST /threads/:thread/comments` (captcha checked and consumed on the server, every time).
 * `:thread` is one path segment: the widget sends `encodeURIComponent('/tin-tuc/123')`.
 */
export const commentRoutes: Routes = async (app) => {
  const { comments: store, captcha } = app;
  const { reads, changed } = app.civic;
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
    async (req, reply) => {
      const site = req.site.id;
      const { thread } = req.params;
      const cursor = readCursor(req.query.cursor);
      const ready = await reads.get('comments', site, thread, req.query.cursor ?? '', async () => {
        const { rows, total } = await store.listApproved(site, thread, COMMENT_PAGE_SIZE, cursor);
        const next = nextCursor(rows, COMMENT_PAGE_SIZE);
        return { value: { items: rows.map(publicView), total, next } };
      });
      return sendReady(req, reply, ready!, COMMENT_PAGE_CACHE_CONTROL);
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
      const { site, body } = req;
      const name = cleanLine(body.name);
      const title = cleanLine(body.title);
      const content = cleanText(body.content);
      if (!name) throw new HttpError(400, 'invalid_name', 'Invalid field "name": is required');
      if (!content)
        throw new HttpError(400, 'invalid_content', 'Invalid field "content": is required');
      // Honeypot: refused with a clear error rather than silently dropped, so a person whose
      // browser auto-filled it learns why; the captcha below is what actually stops bots.
      if (body.website)
        throw new HttpError(
          400,
          'spam_detected',
          'Invalid field "website": this field must stay empty',
        );

      const prefix = ipPrefix(req.ip);
      if (await store.isBanned(site.id, prefix))
        throw new HttpError(403, 'banned', 'Comments from this network are blocked on this site');
      const { hash, day } = await store.ipHash(site.id, prefix);
      const now = Date.now();
      const recent = await store.postedSince(site.id, hash, now - HOUR_MS);
      if (recent.count >= COMMENT_POSTS_PER_HOUR) {
        const retry = Math.max(1, Math.ceil((recent.oldest + HOUR_MS - now) / 1000));
        reply.header('Retry-After', String(retry));
        throw new HttpError(
          429,
          'rate_limited',
          `Too many comments from this network; retry in ${retry} s`,
        );
      }

      const check = await captcha.consume(site, 'comment', body.captcha);
      if (!check.ok) throw new HttpError(400, check.code, check.message);

      const settings = await store.settings(site.id);
      const status = settings?.autoApprove ? 'approved' : 'pending';
      const row = await store.create({
        site: site.id,
        thread: req.params.thread,
        name,
        email: cleanLine(body.email),
        title,
        content,
        status,
        ipHash: hash,
        saltDay: day,
      });
      if (status === 'approved') await changed(site.id, 'comments', row.thread);
      if (status === 'pending' && commentWaiting.hasSubscribers)
        commentWaiting.publish({
          civic: app.civic,
          site: site.id,
          thread: row.thread,
          id: row.id,
        } satisfies CommentWaiting);
      reply.header('Cache-Control', 'no-store');
      const result: NewCommentResponse =
        status === 'approved' ? { status, comment: publicView(row) } : { status };
      return reply.status(status === 'approved' ? 201 : 202).send(result);
    },
  );
};
