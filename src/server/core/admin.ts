/**
 * The admin API's gate, `/api/v1/admin/…`: who asks (`req.admin`), whether they may, and the
 * audit entry of what they changed. Every admin scope (core/api.ts `adminApi`) gets it through
 * {@link guardAdmin}:
 * - `onRequest`: `Cache-Control: no-store`; a cross-site browser request is refused whatever it
 *   carries; the caller is authenticated by the gate's `authenticate` — the bootstrap
 *   `ADMIN_TOKEN` alone until the auth feature installs accounts, sessions and API tokens; an
 *   unsafe method with a session cookie also needs proof of our own origin (Fetch Metadata or
 *   `Origin`); an editor may touch only the sites listed for them, and no route outside a site
 *   unless the route says so (`config: { editors: true }`);
 * - `onSend`: every successful unsafe request becomes one audit entry (action derived from the
 *   route, or `config: { audit: 'poll.update' }`; before → after when the handler calls
 *   `req.audit({ before, after })`), written before the answer leaves.
 * Without ADMIN_TOKEN and without any account, every admin route answers 403 (`admin_disabled`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { serverOrigin } from '../config.js';
import { HttpError } from './errors.js';

export type Role = 'admin' | 'editor';

/** Who is calling the admin API. */
export interface Principal {
  kind: 'bootstrap' | 'token' | 'session';
  /** As the audit log names them: the user's e-mail, `token:<name>`, or `ADMIN_TOKEN`. */
  actor: string;
  /** The account behind a session (null for tokens). */
  userId: string | null;
  role: Role;
  /** The sites an editor may manage (ignored for an admin: every site). */
  sites: string[];
  /** The session's stored id (kind `session`). */
  sessionId?: string;
}

/** What a route adds to its audit entry; every field optional. */
export interface AuditNote {
  action?: string;
  site?: string | null;
  target?: string | null;
  before?: unknown;
  after?: unknown;
}

/** One change, as the audit log stores it. */
export interface AuditEntry {
  actor: string;
  userId: string | null;
  action: string;
  site: string | null;
  target: string | null;
  before?: unknown;
  after?: unknown;
}

/** Resolves the caller or throws (401 `unauthorized`, 429, 403 `admin_disabled`). */
export type Authenticate = (req: FastifyRequest, reply: FastifyReply) => Promise<Principal>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller of an admin route (set before any handler of the admin API runs). */
    admin: Principal;
    /** Details for this request's audit entry (admin routes). */
    auditNote: AuditNote | null;
    /** Adds details (before → after, target, site, action) to this request's audit entry. */
    audit(note: AuditNote): void;
  }
  interface FastifyContextConfig {
    /** An admin route outside `/sites/:site` that editors may call too (default: admins only). */
    editors?: boolean;
    /** The audit action of this route (default: derived from method and path); false: none. */
    audit?: string | false;
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison of a presented token with the configured one. */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The bearer token of an `Authorization` header; '' for none or another scheme. */
export function bearerOf(req: FastifyRequest): string {
  const auth = req.headers.authorization ?? '';
  return /^Bearer /i.test(auth) ? auth.slice(7).trim() : '';
}

export const unauthorized = (reply: FastifyReply, message: string) => {
  reply.header('WWW-Authenticate', 'Bearer realm="civic-admin"');
  return new HttpError(401, 'unauthorized', message);
};

export const adminDisabled = () =>
  new HttpError(
    403,
    'admin_disabled',
    'The admin API is off: set ADMIN_TOKEN or add a user (civic-widgets user add)',
  );

/** The bootstrap administrator: whoever presents ADMIN_TOKEN. */
export const BOOTSTRAP: Principal = {
  kind: 'bootstrap',
  actor: 'ADMIN_TOKEN',
  userId: null,
  role: 'admin',
  sites: [],
};

/** Authentication by ADMIN_TOKEN alone (none configured: the admin API is off). */
export function bootstrapOnly(expected: string | undefined): Authenticate {
  return async (req, reply) => {
    if (!expected) throw adminDisabled();
    const token = bearerOf(req);
    if (!token || !tokenMatches(token, expected))
      throw unauthorized(reply, 'A valid admin bearer token is required');
    return BOOTSTRAP;
  };
}

/**
 * The gate every admin scope shares (`app.civic.admin`). The auth feature replaces
 * `authenticate`; the audit feature sets `record`.
 */
export class AdminGate {
  authenticate: Authenticate;
  record: ((entry: AuditEntry) => Promise<void>) | undefined;

  constructor(readonly adminToken: string | undefined) {
    this.authenticate = bootstrapOnly(adminToken);
  }
}

/** True when `who` may manage `site`. */
export function mayManage(who: Principal, site: string): boolean {
  return who.role === 'admin' || who.sites.includes(site);
}

export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);

/**
 * The address the client used (`req.protocol` and `req.host` follow trustProxy): for display only
 * (the embed snippet). Security checks compare with {@link serverOrigin}, from the configuration.
 */
export const ownOrigin = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

/** The server's own origin from its configuration (`PUBLIC_URL`), never from `Host`. */
const configuredOrigin = (req: FastifyRequest) => serverOrigin(req.server.civic.config);

/**
 * Refuses a browser request another site's page sent: by Fetch Metadata when the browser sends
 * it (it knows best), else by `Origin` (older browsers). Requests without either (curl) pass.
 */
export function refuseCrossSite(req: FastifyRequest): void {
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  if (site ? site !== 'same-origin' && site !== 'none' : origin && origin !== configuredOrigin(req))
    throw new HttpError(403, 'cross_site', 'Cross-site requests are refused here');
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const isUnsafe = (method: string) => UNSAFE.has(method);

/**
 * A cookie-authenticated write must show that our own page sent it: `Sec-Fetch-Site:
 * same-origin`, or (older browsers) an `Origin` equal to the server's own.
 */
export function requireSameOrigin(req: FastifyRequest): void {
  if (req.headers['sec-fetch-site'] === 'same-origin') return;
  if (req.headers.origin !== undefined && req.headers.origin === configuredOrigin(req)) return;
  throw new HttpError(
    403,
    'cross_site',
    'A change with the session cookie must come from this server’s own pages',
  );
}

const singular = (word: string) =>
  /settings$|ss$/.test(word) || !word.endsWith('s') ? word : word.slice(0, -1);

/**
 * The audit action of a route: its path's words after `/api/v1/admin` (and a site's
 * `/sites/:site`), the resource singular, and the verb: `POST /polls` → `poll.create`,
 * `PATCH /polls/:poll` → `poll.update`, `POST /polls/:poll/open` → `poll.open`,
 * `PUT /comments/:id/reply` → `comment.reply.update`, `DELETE …` → `….delete`.
 */
export function actionOf(method: string, url: string): string {
  const parts = url
    .replace(/^.*?\/admin(?=\/|$)/, '')
    .split('/')
    .filter(Boolean);
  if (parts[0] === 'sites' && parts[1] === ':site' && parts.length > 2) parts.splice(0, 2);
  const [first = 'admin', ...rest] = parts.filter((p) => !p.startsWith(':'));
  const words = [singular(first), ...rest];
  const verb =
    method === 'DELETE' ? 'delete' : method === 'POST' ? (rest.length ? '' : 'create') : 'update';
  return verb ? [...words, verb].join('.') : words.join('.');
}

/** The entry of a successful unsafe request: the route's note over what the request says. */
function entryOf(req: FastifyRequest): AuditEntry {
  const note = req.auditNote ?? {};
  const params = { ...(req.params as Record<string, string>) };
  const site = params.site ?? null;
  delete params.site;
  const last = Object.values(params).at(-1);
  const bodyId = (req.body as { id?: unknown } | null | undefined)?.id;
  const config = req.routeOptions.config.audit;
  return {
    actor: req.admin.actor,
    userId: req.admin.userId,
    action:
      note.action ??
      (typeof config === 'string' ? config : actionOf(req.method, req.routeOptions.url ?? '')),
    site: note.site !== undefined ? note.site : site,
    target:
      note.target !== undefined
        ? note.target
        : (last ?? (typeof bodyId === 'string' ? bodyId : null)),
    ...(note.before !== undefined && { before: note.before }),
    ...(note.after !== undefined && { after: note.after }),
  };
}

/** Installs the gate's hooks on an admin scope (see the top of this file). */
export function guardAdmin(scope: FastifyInstance, gate: AdminGate): void {
  scope.decorateRequest('admin', null as unknown as Principal);
  scope.decorateRequest('auditNote', null);
  scope.decorateRequest('audit', function (this: FastifyRequest, note: AuditNote) {
    this.auditNote = { ...this.auditNote, ...note };
  });

  scope.addHook('onRequest', async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    // A cross-site browser request never reaches the admin API, whatever it carries.
    const fetchSite = req.headers['sec-fetch-site'];
    if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none')
      throw new HttpError(403, 'cross_site', 'Cross-site requests to the admin API are refused');
    const who = await gate.authenticate(req, reply);
    req.admin = who;
    if (who.kind === 'session' && isUnsafe(req.method)) requireSameOrigin(req);
    if (who.role === 'admin') return;
    const site = (req.params as { site?: string }).site;
    if (site !== undefined) {
      if (!mayManage(who, site)) throw forbidden(`This account may not manage site "${site}"`);
    } else if (!req.routeOptions.config.editors) {
      throw forbidden('Only an administrator may do this');
    }
  });

  scope.addHook('onSend', async (req, reply, payload) => {
    const ok = reply.statusCode >= 200 && reply.statusCode < 300;
    if (
      ok &&
      gate.record &&
      req.admin &&
      isUnsafe(req.method) &&
      req.routeOptions.config.audit !== false
    )
      await gate.record(entryOf(req));
    return payload;
  });
}
