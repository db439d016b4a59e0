/** Server tests' app: `useTestApp()` (a describe block's database, sites and app) and `adminClient()`. */
import { after, before } from 'node:test';
import type { FastifyInstance, HTTPMethods, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOptions } from '../../src/server/app.js';
import type { SessionRows, Storage } from '../../src/server/db/storage.js';
import { SQLITE, type Engine, type TestEngine } from './engines.js';

export const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
export const DEMO_ORIGIN = 'https://portal.example.gov.vn';
/** The admin token of `useTestApp()` apps. */
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/** A site (`t1` by default) with one allowed origin and a legacy offset of 1000. */
export async function seedTestSite(storage: Storage, id = 't1'): Promise<void> {
  await storage.createSite({
    id,
    name: 'Test portal',
    origins: [DEMO_ORIGIN],
    legacyOffset: 1000,
    timeZone: 'Asia/Ho_Chi_Minh',
  });
}

/**
 * The app on `storage` (which it closes), ready; the built widgets and the demo as in a clone
 * (`npm start`: DEMO=on).
 */
export async function testApp(
  storage: Storage,
  options: Partial<AppOptions> = {},
): Promise<FastifyInstance> {
  const app = await buildApp({
    storage,
    ...options,
    config: { distDir: 'dist/widgets', demoDir: 'demo', demo: true, ...options.config },
  });
  await app.ready();
  return app;
}

/** Sends `method url` to the admin API (`/api/v1/admin` + url) with a bearer token; `payload` as JSON. */
export type AdminClient = (
  method: HTTPMethods,
  url: string,
  payload?: unknown,
  headers?: Record<string, string>,
) => Promise<LightMyRequestResponse>;

/** Admin API requests to `app` (or to whichever app the function returns at the time). */
export function adminClient(
  app: FastifyInstance | (() => FastifyInstance),
  token = ADMIN_TOKEN,
): AdminClient {
  const target = typeof app === 'function' ? app : () => app;
  return (method, url, payload, headers = {}) =>
    target().inject({
      method,
      url: `/api/v1/admin${url}`,
      headers: {
        authorization: `Bearer ${token}`,
        ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      payload: payload !== undefined ? JSON.stringify(payload) : undefined,
    });
}

export interface TestApp {
  engine: TestEngine;
  storage: Storage;
  app: FastifyInstance;
  /** The admin API of `app`, with {@link ADMIN_TOKEN}. */
  admin: AdminClient;
}

export interface TestAppOptions extends Partial<Omit<AppOptions, 'storage'>> {
  /** Test sites to create (`seedTestSite`); default `['t1']`. */
  sites?: string[];
  /** More content to create before the app starts (e.g. `seedDemo`). */
  seed?: (storage: Storage) => Promise<unknown>;
}

/**
 * For a `describe` block: a fresh database on `engine`, its test sites, and an app on it with
 * {@link ADMIN_TOKEN} and `options`; closed and dropped after the block. The fields are filled in
 * `before`: read them inside tests.
 */
export function useTestApp(
  engine: Engine = SQLITE,
  { sites = ['t1'], seed, ...options }: TestAppOptions = {},
): TestApp {
  const t = { admin: adminClient(() => t.app) } as TestApp;
  before(async () => {
    t.engine = await engine.create();
    t.storage = await t.engine.open();
    for (const id of sites) await seedTestSite(t.storage, id);
    await seed?.(t.storage);
    t.app = await testApp(t.storage, {
      ...options,
      config: { adminToken: ADMIN_TOKEN, ...options.config },
    });
  });
  after(async () => {
    await t.app?.close();
    await t.engine?.drop();
  });
  return t;
}

export interface VisitRequest {
  site?: string;
  headers?: Record<string, string>;
  /** The JSON body (a string is sent as is); default: a new session on `/`. */
  body?: unknown;
  /** The client address (default: light-my-request's). */
  ip?: string;
  /** Appended to the URL, e.g. `?email=…`. */
  query?: string;
}

/** `POST /api/v1/sites/<site>/visits` as a browser sends it (JSON, a browser user agent). */
export function postVisit(
  app: FastifyInstance,
  { site = 't1', headers = {}, body, ip, query = '' }: VisitRequest = {},
) {
  const payload = body === undefined ? { page: '/', session: sessionId() } : body;
  return app.inject({
    method: 'POST',
    url: `/api/v1/sites/${site}/visits${query}`,
    ...(ip && { remoteAddress: ip }),
    headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA, ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

/** The CORS preflight a browser on `origin` sends before posting a visit to `site`. */
export function preflightVisit(app: FastifyInstance, site: string, origin: string, ip?: string) {
  return app.inject({
    method: 'OPTIONS',
    url: `/api/v1/sites/${site}/visits`,
    ...(ip && { remoteAddress: ip }),
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  });
}

let n = 0;
/** A fresh RFC 4122-shaped session id. */
export function sessionId(): string {
  n++;
  const hex = (n.toString(16) + Math.random().toString(16).slice(2)).padEnd(32, '0').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Every stored session last seen at or after `since`, in key order (site, session), as the
 * storage's `sessionsSlice` gives them: site, session, last seen (ms), …
 */
export async function storedSessions(storage: Storage, since: Date): Promise<SessionRows> {
  const out: (string | number)[] = [];
  for (let after: [string, string] | undefined; ;) {
    const rows = await storage.sessionsSlice(since, 1000, after);
    out.push(...rows);
    if (rows.length < 3000) return out;
    after = [rows[rows.length - 3] as string, rows[rows.length - 2] as string];
  }
}
