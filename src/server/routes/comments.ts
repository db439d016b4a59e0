import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { COMMENT_PAGE_SIZE, type NewCommentResponse } from '../../shared/comments.js';
import { cleanLine, cleanText, fieldError, nextCursor, publicView, readCursor, scheduleMaintenance } from '../comments.js';
import { ApprovedView, CommentPageView, CursorQuery, NewCommentBody, PendingView, ThreadParams } from '../comments-schemas.js';
import { HttpError } from '../errors.js';
import { ipPrefix } from '../net.js';
import { ErrorBody } from '../schemas.js';
import { CommentStore } from '../storage/comments.js';

/** Posts per minute per IP prefix (in memory, per instance): far below the read limit. */
export const COMMENT_POSTS_PER_MINUTE = 5;
/** Posts per hour per site and IP-hash, counted in the database (holds across instances). */
export const COMMENT_POSTS_PER_HOUR = 20;
const HOUR_MS = 3_600_000;

type Params = Static<typeof ThreadParams>;

/**
 * `GET /threads/:thread/comments` (approved, newest first, paged) and
 * `POST /threads/:thread/comments` (captcha checked and consumed on the server, every time).
 * `:thread` is one path segment: the widget sends `encodeURIComponent('/tin-tuc/123')`.
 */
export async function commentRoutes(app: FastifyInstance): Promise<void> {
  const { sites, captcha } = app.civic;
  const store = new CommentStore(app.civic.storage.db);
  scheduleMaintenance(app, store);
  const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 413: ErrorBody, 415: ErrorBody, 429: ErrorBody };

  app.get<{ Params: Params; Querystring: Static<typeof CursorQuery> }>(
    '/threads/:thread/comments',
    { attachValidation: true, schema: { params: ThreadParams, querystring: CursorQuery, response: { 200: CommentPageView, ...errors } } },
    async (req, reply) => {
      if (req.validationError) throw fieldError(req.validationError as Parameters<typeof fieldError>[0]);
      const site = await sites.get(req.params.site);
      const { rows, total } = await store.listApproved(site.id, req.params.thread, COMMENT_PAGE_SIZE, readCursor(req.query.cursor));
      reply.header('Cache-Control', 'no-store');
      return { items: rows.map(publicView), total, next: nextCursor(rows, COMMENT_PAGE_SIZE) };
    },
  );

  app.post<{ Params: Params; Body: Static<typeof NewCommentBody> }>(
    '/threads/:thread/comments',
    {
      attachValidation: true,
      config: { rateLimit: { max: COMMENT_POSTS_PER_MINUTE, timeWindow: 60_000 } },
      schema: { params: ThreadParams, body: NewCommentBody, response: { 201: ApprovedView, 202: PendingView, ...errors } },
    },
    async (req, reply) => {
      if (req.validationError) throw fieldError(req.validationError as Parameters<typeof fieldError>[0]);
      const site = await sites.get(req.params.site);
      const body = req.body;
      const name = cleanLine(body.name);
      const title = cleanLine(body.title);
      const content = cleanText(body.content);
      if (!name) throw new HttpError(400, 'invalid_name', 'Invalid field "name": is required');
      if (!content) throw new HttpError(400, 'invalid_content', 'Invalid field "content": is required');
      // Honeypot: refused with a clear error rather than silently dropped, so a person whose
      // browser auto-filled it learns why; the captcha below is what actually stops bots.
      if (body.website) throw new HttpError(400, 'spam_detected', 'Invalid field "website": this field must stay empty');

      const prefix = ipPrefix(req.ip);
      if (await store.isBanned(site.id, prefix)) throw new HttpError(403, 'banned', 'Comments from this network are blocked on this site');
      const { hash, day } = await store.ipHash(site.id, prefix);
      const now = Date.now();
      const recent = await store.postedSince(site.id, hash, now - HOUR_MS);
      if (recent.count >= COMMENT_POSTS_PER_HOUR) {
        const retry = Math.max(1, Math.ceil((recent.oldest + HOUR_MS - now) / 1000));
        reply.header('Retry-After', String(retry));
        throw new HttpError(429, 'rate_limited', `Too many comments from this network; retry in ${retry} s`);
      }

      const check = await captcha.consume(site, 'comment', body.captcha);
      if (!check.ok) throw new HttpError(400, check.code, check.message);

      const settings = await store.settings(site.id);
      const status = settings?.autoApprove ? 'approved' : 'pending';
      const row = await store.create({ site: site.id, thread: req.params.thread, name, email: cleanLine(body.email), title, content, status, ipHash: hash, saltDay: day });
      reply.header('Cache-Control', 'no-store');
      const result: NewCommentResponse = status === 'approved' ? { status, comment: publicView(row) } : { status };
      return reply.status(status === 'approved' ? 201 : 202).send(result);
    },
  );
}
