import { forbidden, mayManage } from '../core/admin.js';
import type { Routes } from '../core/api.js';
import { decodeCursor, encodeCursor } from '../core/cursor.js';
import { AuditPage, AuditQuery } from './schemas.js';
import type { AuditCursor, AuditRecord } from './store.js';

const DEFAULT_LIMIT = 50;

function readCursor(cursor: string | undefined): AuditCursor | undefined {
  const at = decodeCursor(cursor, '"cursor" in the query string');
  return at && { at: at.ms, id: at.id };
}

const nextCursor = (items: AuditRecord[], limit: number) => {
  const last = items[limit - 1];
  return items.length >= limit && last ? encodeCursor(last.at, last.id) : null;
};

/**
 * Admin `GET /audit?site=&action=&actor=&cursor=&limit=`: the audit log, newest first, `limit`
 * (≤ 200, default 50) a page, filtered by action (or group: `poll`) and by who made the change.
 * An editor sees only the entries of their sites. There is no route that changes it.
 */
export const adminAuditRoutes: Routes = async (app) => {
  const { audit } = app;

  app.get(
    '/audit',
    {
      config: { editors: true },
      schema: { querystring: AuditQuery, response: { 200: AuditPage } },
    },
    async (req) => {
      const { site, action, actor, cursor } = req.query;
      const limit = Number(req.query.limit ?? DEFAULT_LIMIT);
      const who = req.admin;
      if (site !== undefined && !mayManage(who, site))
        throw forbidden(`This account may not read the log of site "${site}"`);
      const sites = site !== undefined ? [site] : who.role === 'admin' ? undefined : who.sites;
      const items = await audit.list({
        sites,
        action,
        actor,
        before: readCursor(cursor),
        limit,
      });
      return {
        items: items.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
        next: nextCursor(items, limit),
      };
    },
  );
};
