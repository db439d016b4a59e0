/**
 * The scopes a feature registers its routes in. Each brings the rules of its part of the API, so
 * that a feature's routes hold only their own logic:
 * - {@link siteApi}: `/api/v1/sites/:site/…`, the public API of one site: JSON bodies only,
 *   exact-origin CORS, the per-IP-prefix rate limit, and `req.site` (an unknown site is a 404);
 * - {@link adminApi}: `/api/v1/admin/…`, the admin gate (core/admin.ts: who, may they, audit)
 *   and `no-store`; with `{ site: true }` under
 *   `/sites/:site`, with `req.site`.
 * In a site scope the `site` parameter is validated for every route, which names only its own
 * parameters (`params: Type.Object({ poll: Slug })`);
 * - {@link jsonApi}: any other prefix, JSON bodies only (the captcha's server-to-server verify).
 * Every route of them answers its errors as `ErrorBody`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TObject } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { API_PREFIX } from '../../shared/api.js';
import { serverOrigin } from '../config.js';
import type { SiteRecord } from '../db/storage.js';
import { guardAdmin } from './admin.js';
import { corsCheck, preflightRoute, refuseForeignWrite } from './cors.js';
import { ErrorBody, SiteParams, Slug } from './schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The site named by the path; set for the routes of a site scope (null elsewhere). */
    site: SiteRecord;
  }
}

export type Routes = FastifyPluginAsyncTypebox;

/** An answer without a body: 204 No Content (its schema: `NoContent`), or 304 Not Modified. */
export const empty = (reply: FastifyReply, status: 204 | 304) => reply.code(status).send();

const ERROR_REPLIES = Object.fromEntries(
  [400, 401, 403, 404, 409, 413, 415, 429].map((status) => [status, ErrorBody]),
);

/** The scope's `onRoute` hook: error answers serialized as `ErrorBody`. */
function errorReplies(route: RouteOptions): void {
  route.schema = {
    ...route.schema,
    response: { ...ERROR_REPLIES, ...(route.schema?.response as object | undefined) },
  };
}

/**
 * The `onRoute` hook that gives each route without a limit of its own the shared per-IP-prefix
 * limit (`RATE_LIMIT_PER_MINUTE`), as a route-level hook: after CORS, so a 429 an allowed page
 * receives carries its CORS headers. Every scope shares the one counter per client.
 */
function sharedLimit(app: FastifyInstance) {
  const { limit } = app.civic;
  return (route: RouteOptions) => {
    if (route.config?.rateLimit != null) return;
    route.onRequest = [...(route.onRequest === undefined ? [] : [route.onRequest].flat()), limit];
  };
}

/**
 * The `onRoute` hook of a site scope: `site` joins the route's own parameters (`{ poll }`), so
 * that every route validates it (a malformed id is a 400 before any lookup).
 */
function siteParam(route: RouteOptions): void {
  const params = route.schema?.params as TObject | undefined;
  const withSite = params
    ? {
        ...params,
        properties: { site: Slug, ...params.properties },
        required: ['site', ...(params.required ?? [])],
      }
    : SiteParams;
  route.schema = { ...route.schema, params: withSite };
}

const siteOf = (req: FastifyRequest) => (req.params as { site: string }).site;

/** Registers `routes` under `prefix`, taking JSON bodies only (every cross-origin write is preflighted). */
export async function jsonApi(app: FastifyInstance, prefix: string, routes: Routes): Promise<void> {
  await app.register(
    async (scope) => {
      scope.removeContentTypeParser('text/plain');
      scope.addHook('onRoute', errorReplies);
      await scope.register(routes);
    },
    { prefix },
  );
}

/** Registers `routes` in the public API of a site, `/api/v1/sites/:site/…`. */
export async function siteApi(app: FastifyInstance, routes: Routes): Promise<void> {
  const { sites, config } = app.civic;
  await jsonApi(app, `${API_PREFIX}/sites/:site`, async (api) => {
    api.addHook('onRequest', corsCheck(sites, serverOrigin(config)));
    api.addHook('onRoute', siteParam);
    api.addHook('onRoute', sharedLimit(app));
    // One lookup per request, from the decoded parameter; cached in `Sites`. A callback hook: a
    // site in the cache goes on in the same turn.
    api.addHook('preHandler', (req, _reply, done) => {
      refuseForeignWrite(req);
      const id = siteOf(req);
      const hit = sites.cached(id);
      if (hit?.site) {
        req.site = hit.site;
        return done();
      }
      sites.get(id).then((site) => {
        req.site = site;
        done();
      }, done);
    });
    await api.register(routes);
  });
}

/**
 * The CORS preflight of every site route, `OPTIONS /api/v1/sites/*` (above `:site`). Not rate
 * limited: a browser's write costs the client one request of its budget, not two.
 */
export async function preflightApi(app: FastifyInstance): Promise<void> {
  await jsonApi(app, `${API_PREFIX}/sites`, async (api) => {
    api.addHook('onRequest', corsCheck(app.civic.sites, serverOrigin(app.civic.config)));
    preflightRoute(api);
  });
}

/** Registers `routes` in the admin API; with `site`, under `/sites/:site` with `req.site` (read fresh). */
export async function adminApi(
  app: FastifyInstance,
  routes: Routes,
  { site = false } = {},
): Promise<void> {
  const { admin: gate, sites } = app.civic;
  await jsonApi(
    app,
    site ? `${API_PREFIX}/admin/sites/:site` : `${API_PREFIX}/admin`,
    async (admin) => {
      guardAdmin(admin, gate);
      if (site) {
        admin.addHook('onRoute', siteParam);
        admin.addHook(
          'preHandler',
          async (req) => void (req.site = await sites.get(siteOf(req), true)),
        );
      }
      await admin.register(routes);
    },
  );
}
