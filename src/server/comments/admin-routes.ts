import { empty, type Routes } from '../core/api.js';
import { HttpError, notFound } from '../core/errors.js';
import { NoContent } from '../core/schemas.js';
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
} from './schemas.js';
import { adminView, cleanText, nextCursor, readCursor } from './service.js';
import type { CommentRow, CommentStatus } from './store.js';

const DEFAULT_BAN_DAYS = 30;

/**
 * Moderation under `/api/v1/admin/sites/:site/…`: list by status with search, approve, reject,
 * delete, bulk actions, the official reply, bans of a comment's network, purging old pending
 * comments, and the site's comment settings (auto-approve, purge days).
 */
export const adminCommentRoutes: Routes = async (app) => {
  const { comments: store } = app;
  const { changed } = app.civic;
  /** After a moderation change: the site's public comment pages are read again (rare, so all of them). */
  const published = (site: string) => changed(site, 'comments');

  const missing = (id: string) => notFound(`Comment "${id}"`);
  /** The moderators' view of the comment `row` (a 404 when there is none). */
  const view = async (site: string, id: string, row: CommentRow | undefined) => {
    if (!row) throw missing(id);
    return adminView(row, (await store.bannedHashes(site, [row.ip_hash])).has(row.ip_hash));
  };
  const one = { params: CommentParams, response: { 200: AdminCommentView } };

  app.get(
    '/comments',
    { schema: { querystring: AdminListQuery, response: { 200: AdminCommentPage } } },
    async (req) => {
      const site = req.site.id;
      const limit = Number(req.query.limit ?? 20);
      const { rows, total } = await store.listForModeration(site, {
        status: req.query.status,
        q: req.query.q,
        before: readCursor(req.query.cursor),
        limit,
      });
      const banned = await store.bannedHashes(
        site,
        rows.map((r) => r.ip_hash),
      );
      return {
        items: rows.map((r) => adminView(r, banned.has(r.ip_hash))),
        total,
        next: nextCursor(rows, limit),
      };
    },
  );

  app.get('/comments/:id', { schema: one }, async ({ site, params: { id } }) =>
    view(site.id, id, await store.get(site.id, id)),
  );

  for (const [action, status] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as Array<[string, CommentStatus]>) {
    app.post(`/comments/:id/${action}`, { schema: one }, async ({ site, params: { id } }) => {
      if (!(await store.setStatus(site.id, [id], status))) throw missing(id);
      await published(site.id);
      return view(site.id, id, await store.get(site.id, id));
    });
  }

  app.delete(
    '/comments/:id',
    { schema: { params: CommentParams, response: { 204: NoContent } } },
    async ({ site, params: { id } }, reply) => {
      if (!(await store.remove(site.id, [id]))) throw missing(id);
      await published(site.id);
      return empty(reply, 204);
    },
  );

  app.post(
    '/comments/bulk',
    { schema: { body: BulkBody, response: { 200: ChangedView } } },
    async (req) => {
      const { action, ids } = req.body;
      const site = req.site.id;
      const count =
        action === 'delete'
          ? await store.remove(site, ids)
          : await store.setStatus(site, ids, action === 'approve' ? 'approved' : 'rejected');
      if (count) await published(site);
      return { changed: count };
    },
  );

  app.put(
    '/comments/:id/reply',
    { schema: { ...one, body: ReplyBody } },
    async ({ site, params: { id }, body }) => {
      const content = cleanText(body.content);
      if (!content)
        throw new HttpError(400, 'invalid_request', 'Invalid field "content": is required');
      const row = await store.setReply(site.id, id, content);
      if (row) await published(site.id);
      return view(site.id, id, row);
    },
  );

  app.delete('/comments/:id/reply', { schema: one }, async ({ site, params: { id } }) => {
    const row = await store.setReply(site.id, id, null);
    if (row) await published(site.id);
    return view(site.id, id, row);
  });

  app.post(
    '/comments/:id/ban',
    {
      schema: { params: CommentParams, body: BanBody, response: { 200: BanView } },
      // The body is optional: no body means the default duration.
      preValidation: async (req) => void (req.body ??= {}),
    },
    async ({ site, params: { id }, body }) => {
      const result = await store.ban(site.id, id, body.days ?? DEFAULT_BAN_DAYS);
      if (result === 'not_found') throw missing(id);
      if (result === 'gone') {
        throw new HttpError(
          409,
          'ban_unavailable',
          'This comment is older than the window in which its network can still be recognised; nothing was banned',
        );
      }
      return { banned: true, expiresAt: new Date(result.expiresAt).toISOString() };
    },
  );

  app.delete(
    '/comments/:id/ban',
    { schema: { params: CommentParams, response: { 200: BanView } } },
    async ({ site, params: { id } }) => {
      if ((await store.unban(site.id, id)) === 'not_found') throw missing(id);
      return { banned: false };
    },
  );

  app.post(
    '/comments/purge',
    { schema: { body: PurgeBody, response: { 200: PurgeView } } },
    async (req) => ({
      purged: await store.purgePending(req.site.id, req.body.olderThanDays),
    }),
  );

  // The site exists (its scope checked): its settings do too.
  app.get(
    '/comment-settings',
    { schema: { response: { 200: CommentSettingsBody } } },
    async (req) => (await store.settings(req.site.id))!,
  );

  app.put(
    '/comment-settings',
    { schema: { body: CommentSettingsBody, response: { 200: CommentSettingsBody } } },
    async (req) => {
      req.audit({ before: await store.settings(req.site.id), after: req.body });
      await store.setSettings(req.site.id, req.body);
      return req.body;
    },
  );
};
