import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { normalizeOrigin } from '../../shared/origins.js';
import { forbidden, mayManage, ownOrigin } from '../core/admin.js';
import type { Routes } from '../core/api.js';
import { HttpError, notFound } from '../core/errors.js';
import { Items } from '../core/schemas.js';
import type { NewSite, SiteRecord } from '../db/storage.js';
import { EmbedView, NewSiteBody, SiteBody, SiteView } from './schemas.js';
import { cleanLine } from '../core/text.js';

const view = (site: SiteRecord): SiteView => ({ ...site, createdAt: site.createdAt.toISOString() });

/**
 * Origins must be bare http(s) origins; the time zone a real IANA zone. An omitted offset or zone
 * is `old`'s (a new site: 0 and Asia/Ho_Chi_Minh).
 */
function checked(id: string, body: SiteBody, old?: SiteRecord): NewSite {
  const origins = body.origins.map((o) => {
    const normalized = normalizeOrigin(o);
    if (!normalized)
      throw new HttpError(
        400,
        'invalid_request',
        `Invalid field "origins": "${o}" is not an http(s) origin like https://example.gov.vn`,
      );
    return normalized;
  });
  const timeZone = body.timeZone ?? old?.timeZone ?? 'Asia/Ho_Chi_Minh';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new HttpError(
      400,
      'invalid_request',
      `Invalid field "timeZone": "${timeZone}" is not an IANA time zone`,
    );
  }
  const name = cleanLine(body.name);
  if (!name) throw new HttpError(400, 'invalid_request', 'Invalid field "name": it is empty');
  return {
    id,
    name,
    origins: [...new Set(origins)],
    legacyOffset: body.legacyOffset ?? old?.legacyOffset ?? 0,
    timeZone,
  };
}

/** Admin `/sites`: list and create sites. */
export const adminSitesRoutes: Routes = async (app) => {
  const { storage, changes, now } = app.civic;

  // Editors may list the sites too: only theirs.
  app.get(
    '/sites',
    { config: { editors: true }, schema: { response: { 200: Items(SiteView) } } },
    async (req) => ({
      items: (await storage.listSites()).filter((s) => mayManage(req.admin, s.id)).map(view),
    }),
  );

  app.post(
    '/sites',
    { schema: { body: NewSiteBody, response: { 201: SiteView } } },
    async (req, reply) => {
      const { id, ...rest } = req.body;
      if (!(await storage.createSite(checked(id, rest), now())))
        throw new HttpError(409, 'conflict', `Site "${id}" already exists`);
      await changes.changed(id, 'site', id);
      const created = view((await storage.getSite(id))!);
      req.audit({ site: id, after: created });
      return reply.status(201).send(created);
    },
  );
};

const sameOrigins = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ');

/**
 * Admin `/sites/:site`: read and edit one site (name, origins, legacy visit offset, time zone),
 * and the addresses (and integrity values) of its embed snippet. The allowed origins (which pages may call the site's
 * API) and the legacy visit offset (the published visit figure) are for administrators only: an
 * editor's edit that changes either is refused (403) and changes nothing.
 */
export const adminSiteRoutes: Routes = async (app) => {
  const { storage, changes, config } = app.civic;

  app.get('', { schema: { response: { 200: SiteView } } }, async (req) => view(req.site));

  app.get('/embed', { schema: { response: { 200: EmbedView } } }, async (req) => {
    const base = config.publicUrl ?? ownOrigin(req);
    // Read on each request: a new build served from the same folder has new values.
    const hashes = await readFile(join(config.distDir, 'integrity.json'), 'utf8')
      .then((text) => JSON.parse(text) as Record<string, unknown>)
      .catch(() => ({}) as Record<string, unknown>);
    const hash = (file: string) => {
      const value = hashes[file];
      return typeof value === 'string' ? value : undefined;
    };
    return {
      loader: `${base}/civic.js`,
      legacy: `${base}/civic.iife.js`,
      loaderIntegrity: hash('civic.js'),
      legacyIntegrity: hash('civic.iife.js'),
    };
  });

  app.put('', { schema: { body: SiteBody, response: { 200: SiteView } } }, async (req) => {
    const site = checked(req.site.id, req.body, req.site);
    if (req.admin.role !== 'admin') {
      if (!sameOrigins(site.origins, req.site.origins))
        throw forbidden('Only an administrator may change the allowed origins of a site');
      if (site.legacyOffset !== req.site.legacyOffset)
        throw forbidden('Only an administrator may change the legacy visit offset of a site');
    }
    if (!(await storage.updateSite(site))) throw notFound(`Site "${site.id}"`);
    await changes.changed(site.id, 'site', site.id);
    const after = view((await storage.getSite(site.id))!);
    req.audit({ before: view(req.site), after });
    return after;
  });
};
