import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { normalizeOrigin } from '../config.js';
import { HttpError, notFound } from '../errors.js';
import { ErrorBody, NewSiteBody, SiteBody, SiteParams, SiteView } from '../schemas.js';
import type { NewSite, SiteRecord } from '../storage/storage.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

function view(site: SiteRecord): Static<typeof SiteView> {
  return { ...site, createdAt: site.createdAt.toISOString() };
}

/** Origins must be bare http(s) origins; the time zone a real IANA zone. */
function checked(id: string, body: Static<typeof SiteBody>): NewSite {
  const origins = body.origins.map((o) => {
    const normalized = normalizeOrigin(o);
    if (!normalized) throw new HttpError(400, 'invalid_request', `Invalid field "origins": "${o}" is not an http(s) origin like https://example.gov.vn`);
    return normalized;
  });
  const timeZone = body.timeZone ?? 'Asia/Ho_Chi_Minh';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new HttpError(400, 'invalid_request', `Invalid field "timeZone": "${timeZone}" is not an IANA time zone`);
  }
  return { id, name: body.name, origins: [...new Set(origins)], legacyOffset: body.legacyOffset ?? 0, timeZone };
}

/** Admin: list, create and edit sites (origins, legacy visit offset, time zone). */
export async function adminSiteRoutes(app: FastifyInstance): Promise<void> {
  const { storage, sites } = app.civic;

  app.get('/sites', { schema: { response: { 200: { type: 'object', properties: { items: { type: 'array', items: SiteView } } }, ...errors } } }, async () => ({
    items: (await storage.listSites()).map(view),
  }));

  app.get<{ Params: Static<typeof SiteParams> }>('/sites/:site', { schema: { params: SiteParams, response: { 200: SiteView, ...errors } } }, async (req) => {
    const site = await storage.getSite(req.params.site);
    if (!site) throw notFound(`Site "${req.params.site}"`);
    return view(site);
  });

  app.post<{ Body: Static<typeof NewSiteBody> }>('/sites', { schema: { body: NewSiteBody, response: { 201: SiteView, ...errors } } }, async (req, reply) => {
    const { id, ...rest } = req.body;
    const site = checked(id, rest);
    if (!(await storage.createSite(site))) throw new HttpError(409, 'conflict', `Site "${id}" already exists`);
    sites.forget(id);
    return reply.status(201).send(view((await storage.getSite(id))!));
  });

  app.put<{ Params: Static<typeof SiteParams>; Body: Static<typeof SiteBody> }>(
    '/sites/:site',
    { schema: { params: SiteParams, body: SiteBody, response: { 200: SiteView, ...errors } } },
    async (req) => {
      const site = checked(req.params.site, req.body);
      if (!(await storage.updateSite(site))) throw notFound(`Site "${req.params.site}"`);
      sites.forget(site.id);
      return view((await storage.getSite(site.id))!);
    },
  );
}
