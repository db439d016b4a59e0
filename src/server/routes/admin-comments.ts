import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { adminView, cleanText, nextCursor, readCursor } from '../comments.js';
import {
  AdminCommentPage,
  AdminCommentView,
  AdminListQuery,
  BanBody,
  BanView,
  BulkBody,
  ChangedView,
  CommentParams,
  CommentSettingsBody,
  PurgeBody,
  PurgeView,
  ReplyBody,
} from '../comments-schemas.js';
import { HttpError, notFound } from '../errors.js';
import { ErrorBody, SiteParams } from '../schemas.js';
import { CommentStore, type CommentRow, type CommentStatus } from '../storage/comments.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 415: ErrorBody };
const DEFAULT_BAN_DAYS = 30;

type SiteP = Static<typeof SiteParams>;
type CommentP = Static<typeof CommentParams>;

/**
 * Moderation under `/api/v1/admin/sites/:site/…`: list by status with search, approve, reject,
 * delete, bulk actions, the official reply, bans of a comment's network, purging old pending
 * comments, and the site's comment settings (auto-approve, purge days).
 */
export async function adminCommentRoutes(app: FastifyInstance): Promise<void> {
  const store = new CommentStore(app.civic.storage.db);
  const { storage } = app.civic;

  const site = async (id: string) => {
    if (!(await storage.getSite(id))) throw notFound(`Site "${id}"`);
    return id;
  };
  const view = async (siteId: string, row: CommentRow) => adminView(row, (await store.bannedHashes(siteId, [row.ip_hash])).has(row.ip_hash));
  const one = async (siteId: string, id: string) => {
    const row = await store.get(siteId, id);
    if (!row) throw notFound(`Comment "${id}"`);
    return row;
  };

  app.get<{ Params: SiteP; Querystring: Static<typeof AdminListQuery> }>(
    '/sites/:site/comments',
    { schema: { params: SiteParams, querystring: AdminListQuery, response: { 200: AdminCommentPage, ...errors } } },
    async (req) => {
      const siteId = await site(req.params.site);
      const limit = Number(req.query.limit ?? 20);
      const { rows, total } = await store.listForModeration(siteId, { status: req.query.status, q: req.query.q, before: readCursor(req.query.cursor), limit });
      const banned = await store.bannedHashes(siteId, rows.map((r) => r.ip_hash));
      return { items: rows.map((r) => adminView(r, banned.has(r.ip_hash))), total, next: nextCursor(rows, limit) };
    },
  );

  app.get<{ Params: CommentP }>(
    '/sites/:site/comments/:id',
    { schema: { params: CommentParams, response: { 200: AdminCommentView, ...errors } } },
    async (req) => view(req.params.site, await one(await site(req.params.site), req.params.id)),
  );

  const setStatus = (status: CommentStatus) => async (req: { params: CommentP }) => {
    const siteId = await site(req.params.site);
    if (!(await store.setStatus(siteId, [req.params.id], status))) throw notFound(`Comment "${req.params.id}"`);
    return view(siteId, await one(siteId, req.params.id));
  };
  const statusRoute = { schema: { params: CommentParams, response: { 200: AdminCommentView, ...errors } } };
  app.post<{ Params: CommentP }>('/sites/:site/comments/:id/approve', statusRoute, setStatus('approved'));
  app.post<{ Params: CommentP }>('/sites/:site/comments/:id/reject', statusRoute, setStatus('rejected'));

  app.delete<{ Params: CommentP }>(
    '/sites/:site/comments/:id',
    { schema: { params: CommentParams, response: { 204: { type: 'null' }, ...errors } } },
    async (req, reply) => {
      const siteId = await site(req.params.site);
      if (!(await store.remove(siteId, [req.params.id]))) throw notFound(`Comment "${req.params.id}"`);
      return reply.status(204).send();
    },
  );

  app.post<{ Params: SiteP; Body: Static<typeof BulkBody> }>(
    '/sites/:site/comments/bulk',
    { schema: { params: SiteParams, body: BulkBody, response: { 200: ChangedView, ...errors } } },
    async (req) => {
      const siteId = await site(req.params.site);
      const { action, ids } = req.body;
      const changed = action === 'delete' ? await store.remove(siteId, ids) : await store.setStatus(siteId, ids, action === 'approve' ? 'approved' : 'rejected');
      return { changed };
    },
  );

  app.put<{ Params: CommentP; Body: Static<typeof ReplyBody> }>(
    '/sites/:site/comments/:id/reply',
    { schema: { params: CommentParams, body: ReplyBody, response: { 200: AdminCommentView, ...errors } } },
    async (req) => {
      const siteId = await site(req.params.site);
      const content = cleanText(req.body.content);
      if (!content) throw new HttpError(400, 'invalid_request', 'Invalid field "content": is required');
      const row = await store.setReply(siteId, req.params.id, content);
      if (!row) throw notFound(`Comment "${req.params.id}"`);
      return view(siteId, row);
    },
  );

  app.delete<{ Params: CommentP }>(
    '/sites/:site/comments/:id/reply',
    { schema: { params: CommentParams, response: { 200: AdminCommentView, ...errors } } },
    async (req) => {
      const siteId = await site(req.params.site);
      const row = await store.setReply(siteId, req.params.id, null);
      if (!row) throw notFound(`Comment "${req.params.id}"`);
      return view(siteId, row);
    },
  );

  app.post<{ Params: CommentP; Body: Static<typeof BanBody> }>(
    '/sites/:site/comments/:id/ban',
    {
      schema: { params: CommentParams, body: BanBody, response: { 200: BanView, ...errors } },
      // The body is optional: no body means the default duration.
      preValidation: async (req) => void (req.body ??= {}),
    },
    async (req) => {
      const siteId = await site(req.params.site);
      const result = await store.ban(siteId, req.params.id, req.body.days ?? DEFAULT_BAN_DAYS);
      if (result === 'not_found') throw notFound(`Comment "${req.params.id}"`);
      if (result === 'gone') {
        throw new HttpError(409, 'ban_unavailable', 'This comment is older than the window in which its network can still be recognised; nothing was banned');
      }
      return { banned: true, expiresAt: new Date(result.expiresAt).toISOString() };
    },
  );

  app.delete<{ Params: CommentP }>(
    '/sites/:site/comments/:id/ban',
    { schema: { params: CommentParams, response: { 200: BanView, ...errors } } },
    async (req) => {
      const siteId = await site(req.params.site);
      const result = await store.unban(siteId, req.params.id);
      if (result === 'not_found') throw notFound(`Comment "${req.params.id}"`);
      return { banned: false };
    },
  );

  app.post<{ Params: SiteP; Body: Static<typeof PurgeBody> }>(
    '/sites/:site/comments/purge',
    { schema: { params: SiteParams, body: PurgeBody, response: { 200: PurgeView, ...errors } } },
    async (req) => ({ purged: await store.purgePending(await site(req.params.site), req.body.olderThanDays) }),
  );

  app.get<{ Params: SiteP }>(
    '/sites/:site/comment-settings',
    { schema: { params: SiteParams, response: { 200: CommentSettingsBody, ...errors } } },
    async (req) => {
      const settings = await store.settings(req.params.site);
      if (!settings) throw notFound(`Site "${req.params.site}"`);
      return settings;
    },
  );

  app.put<{ Params: SiteP; Body: Static<typeof CommentSettingsBody> }>(
    '/sites/:site/comment-settings',
    { schema: { params: SiteParams, body: CommentSettingsBody, response: { 200: CommentSettingsBody, ...errors } } },
    async (req) => {
      if (!(await store.setSettings(req.params.site, req.body))) throw notFound(`Site "${req.params.site}"`);
      return req.body;
    },
  );
}
