/**
 * Per-site, exact-origin CORS for the public API. Hand-written rather than @fastify/cors: the
 * plugin's per-request delegator re-normalizes its options on every request, which cost about a
 * sixth of the visit route's time under load (measured with --cpu-prof); this does one cached
 * site lookup and a string comparison.
 *
 * - No wildcard, no `null`, no suffix match: the Origin must equal a listed origin (or the
 *   server's own origin, from `PUBLIC_URL`, never from `Host`), compared as the exact string the
 *   browser sends.
 * - `Vary: Origin` on every response that saw an Origin; never credentials.
 * - Preflights (`OPTIONS`) get 204 and, only for an allowed origin, the allow headers.
 * - An unknown site answers any origin (its 404 is no secret), so a wrong `data-site` is reported.
 * - A browser write (POST…) from an origin that is not allowed is refused with 403 before any
 *   handler runs, so nothing is counted or stored.
 */
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import type { SiteRecord } from '../db/storage.js';
import { HttpError } from './errors.js';
import { originAllowed, type Sites } from './sites.js';

const SITE_PATH = /^\/api\/v1\/sites\/([^/?]+)\//;

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's Origin is allowed for its site (undefined: no Origin header). */
    corsAllowed?: boolean;
    /** Why the site could not be read for the CORS check (the database did not answer). */
    corsError?: unknown;
  }
}

/**
 * The `onRequest` hook: CORS headers for an allowed Origin, `req.corsAllowed` for the rest. A
 * callback hook, not an async one: a request without an Origin, or for a site in the cache,
 * goes on in the same turn (no promise per request on the hot path).
 */
export function corsCheck(sites: Sites, ownOrigin: string) {
  const decide = (req: FastifyRequest, reply: FastifyReply, site: SiteRecord | undefined) => {
    const origin = req.headers.origin!;
    // An unknown site has no data to protect: the browser may read its route's 404
    // `not_found`, so a widget with a mistyped `data-site` on a webmaster's page says so (and does
    // not retry) instead of failing as a network error with CORS messages in the console.
    req.corsAllowed = !site || originAllowed(site, origin, ownOrigin);
    // `Retry-After` is exposed by the error answers that carry it (core/errors.ts).
    if (req.corsAllowed) reply.header('Access-Control-Allow-Origin', origin);
  };
  return (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (!req.headers.origin) return done();
    reply.header('Vary', 'Origin');
    // The site as the route will see it: decoded (`de%6Do` is `demo`), so an encoded path cannot
    // pass for an unknown site.
    let id: string | undefined;
    try {
      id = decodeURIComponent(SITE_PATH.exec(req.url)?.[1] ?? '') || undefined;
    } catch {
      id = undefined; // malformed: the route refuses it
    }
    if (!id) {
      decide(req, reply, undefined);
      return done();
    }
    const hit = sites.cached(id);
    if (hit) {
      decide(req, reply, hit.site);
      return done();
    }
    sites.find(id).then(
      (site) => {
        decide(req, reply, site);
        done();
      },
      (err: unknown) => {
        // The database did not answer (and the site was never read before): allow nothing; a
        // write is refused with that error (503), not as a foreign origin.
        req.corsAllowed = false;
        req.corsError = err;
        done();
      },
    );
  };
}

/** For a `preHandler`: refuses a browser write from an origin the site does not allow. */
export function refuseForeignWrite(req: FastifyRequest): void {
  if (
    req.corsAllowed === false &&
    req.method !== 'GET' &&
    req.method !== 'HEAD' &&
    req.method !== 'OPTIONS'
  ) {
    if (req.corsError !== undefined) throw req.corsError;
    throw new HttpError(
      403,
      'origin_not_allowed',
      `Origin ${req.headers.origin} is not allowed for this site`,
    );
  }
}

/** The preflight route `OPTIONS /*` (registered above `:site`, so it takes the site from the URL). */
export function preflightRoute(api: FastifyInstance): void {
  api.options('/*', async (req, reply) => {
    if (req.corsAllowed && req.headers['access-control-request-method']) {
      reply.header('Access-Control-Allow-Methods', 'GET, POST');
      reply.header('Access-Control-Allow-Headers', 'Content-Type');
      reply.header('Access-Control-Max-Age', '600');
    }
    return reply.status(204).send();
  });
}
