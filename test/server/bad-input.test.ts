/**
 * The bad-input corpus: every route the app registers (enumerated through the `onRoute` seam, so a
 * new route is covered without touching this file) gets requests generated from its own schemas
 * with fast-check (seeded, a fixed number of runs): wrong types, missing and extra fields, huge
 * strings, deep JSON, `__proto__` and `constructor` keys, odd Unicode (lone surrogates, bidi
 * overrides, NUL, piles of combining marks), wrong content types, malformed and poisoned JSON,
 * bad path parameters, bad query strings and bad credentials. Each request is checked to be
 * invalid before it is sent (ajv with the server's options), so none of them may succeed:
 * every answer must be a 4xx with `{error:{code,message}}` (or, from the pages without JavaScript
 * under `/s/`, an HTML error page under their policy), never a 5xx, and no table may change
 * (every row of every table hashed before and after). Admin routes are sent with the admin token
 * (so the request reaches their validation) and with bad credentials. SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';
import { before, test } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, RouteOptions } from 'fastify';
import { sql } from 'kysely';
import { seedDemo } from '../../src/server/app.js';
import type { Storage } from '../../src/server/db/storage.js';
import { ADMIN_TOKEN, BROWSER_UA, DEMO_ORIGIN, useTestApp } from '../helpers/app.js';
import { describeEngines } from '../helpers/engines.js';

/** Runs per route and kind of fault; the seed makes every run send the same corpus. */
const RUNS = 12;
const SEED = 20261130;

type Json = unknown;
type Schema = Record<string, unknown>;

/** The validator the server uses (see app.ts: no coercion, nothing removed). */
const ajv = new Ajv({
  coerceTypes: false,
  removeAdditional: false,
  allErrors: false,
  useDefaults: true,
  strict: false,
});
const validators = new WeakMap<object, ValidateFunction>();
function valid(schema: Schema | undefined, value: Json): boolean {
  if (!schema) return true;
  let check = validators.get(schema);
  if (!check) validators.set(schema, (check = ajv.compile(schema)));
  try {
    return check(JSON.parse(JSON.stringify(value)) as unknown);
  } catch {
    return false; // too deep to check: far too deep for any schema of the API
  }
}

// ---------------------------------------------------------------------------------------------
// Values

const ODD = [
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  '\u202E', // right-to-left override
  '\u2066', // left-to-right isolate
  '\u200B', // zero-width space
  '\uFEFF', // byte order mark
  '\u0000', // NUL
  '\u001B[31m', // escape sequence
  '\u2028', // line separator
  `a${'\u0301'.repeat(500)}`, // a pile of combining marks
  '𝕏', // astral
  '\u0085', // C1 control
  '..',
  '../../etc/passwd',
  "' OR 1=1 --",
  '%00',
  '<script>alert(1)</script>',
];
const oddString = fc
  .array(fc.oneof(fc.constantFrom(...ODD), fc.string({ unit: 'binary', maxLength: 8 })), {
    minLength: 1,
    maxLength: 6,
  })
  .map((parts) => parts.join(''));
/** Strings beyond every maxLength that still fit the 16 KB body limit. */
const hugeString = fc
  .tuple(fc.constantFrom('a', 'é', '\u0301', '😀', ' '), fc.integer({ min: 3_001, max: 5_000 }))
  .map(([c, n]) => c.repeat(n));
const DEEP = 1_000;
const deepValue = fc
  .constantFrom('array', 'object')
  .map(
    (kind) =>
      JSON.parse(
        kind === 'array'
          ? '['.repeat(DEEP) + ']'.repeat(DEEP)
          : `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`,
      ) as Json,
  );
const oddNumber = fc.constantFrom(-1, 0, 1.5, -0, 1e308, -1e308, 2 ** 53 + 1, 1e-7, 4294967296);
const badValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: oddString },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: deepValue },
  { weight: 2, arbitrary: oddNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, '', [null], { '': '' }) },
);
const badKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '',
    '\u0000',
    '\uD800',
    '\u202Eexe.png',
    'a'.repeat(2_000),
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
);

/** Sets own property `key` (even `__proto__`) so that JSON.stringify writes it. */
function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Candidate strings for a valid sample of a string schema. */
const STRING_CANDIDATES = [
  'demo',
  'abc',
  'Tiêu đề',
  'a@example.gov.vn',
  'https://example.gov.vn',
  'AAAAAAAAAAAAAAAA',
  '2026-01-01T00:00:00Z',
  'comment',
  'code',
  '1',
  '30',
  'editor',
  'x'.repeat(16),
  'correct horse battery staple',
];

/** A small value that satisfies `schema` when it can (the base the faults are applied to). */
function sample(schema: Schema): Json {
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (Array.isArray(schema.anyOf)) return sample(schema.anyOf[0] as Schema);
  switch (schema.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required as string[] | undefined) ?? []);
      const keys = Object.keys(props);
      for (const key of keys) if (required.has(key)) out[key] = sample(props[key]!);
      // minProperties without required fields (a PATCH): the first property.
      if (Object.keys(out).length < Number(schema.minProperties ?? 0) && keys[0])
        out[keys[0]] = sample(props[keys[0]]!);
      return out;
    }
    case 'array': {
      const n = Number(schema.minItems ?? 0);
      return Array.from({ length: n }, () => sample((schema.items ?? {}) as Schema));
    }
    case 'string': {
      for (const s of STRING_CANDIDATES) if (valid(schema, s)) return s;
      return 'x'.repeat(Number(schema.minLength ?? 1));
    }
    case 'integer':
    case 'number':
      return Number(schema.minimum ?? 0);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return 'x';
  }
}

/** Paths (keys) to every object and its members in `value`, the root first. */
function paths(value: Json, prefix: string[] = []): string[][] {
  const out = [prefix];
  if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

type Edit =
  | { op: 'set'; path: string[]; value: Json }
  | { op: 'delete'; path: string[] }
  | { op: 'extra'; path: string[]; key: string; value: Json };

function applyEdit(base: Json, edit: Edit): Json {
  if (edit.path.length === 0 && edit.op === 'set') return edit.value;
  const root = structuredClone(base) as Record<string, unknown>;
  let node: Record<string, unknown> = root;
  const parents = edit.op === 'extra' ? edit.path : edit.path.slice(0, -1);
  for (const k of parents) {
    const next = node?.[k];
    if (!next || typeof next !== 'object') return root;
    node = next as Record<string, unknown>;
  }
  const last = edit.path.at(-1)!;
  if (edit.op === 'set') setOwn(node, last, edit.value);
  else if (edit.op === 'delete') delete node[last];
  else setOwn(node, edit.key, edit.value);
  return root;
}

/** Bodies near `schema`: one edit of the valid sample (the caller keeps those ajv refuses). */
function badBodies(schema: Schema): fc.Arbitrary<Json> {
  const base = sample(schema);
  const where = paths(base);
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.record({
      op: fc.constant('set' as const),
      path: fc.constantFrom(...where),
      value: badValue,
    }),
    fc.record({
      op: fc.constant('delete' as const),
      path: fc.constantFrom(...(where.length > 1 ? where.slice(1) : where)),
    }),
    fc.record({
      op: fc.constant('extra' as const),
      path: fc.constantFrom(...where),
      key: badKey,
      value: badValue,
    }),
  );
  return edit.map((e) => applyEdit(base, e));
}

// ---------------------------------------------------------------------------------------------
// Requests

interface Case {
  kind: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** `4xx`: must be refused; `no5xx`: an answer without input to refuse (a preflight, health). */
  expect: '4xx' | 'no5xx';
}

/** A path parameter: a value to encode, or raw text put in the URL as is. */
type Param = string | { raw: string };

/** Known ids, so that a request reaches the validation of the part that is wrong. */
interface Known {
  params: Record<string, string>;
  slogans: string;
  links: string;
}

function paramNames(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z]+)|\*/g)].map((m) => m[1] ?? '*');
}

function fill(url: string, params: Record<string, Param>): string {
  return url.replace(/:([A-Za-z]+)|\*/g, (_, name: string | undefined) => {
    const p = params[name ?? '*']!;
    return typeof p === 'string' ? encodeURIComponent(toWellFormed(p)) : p.raw;
  });
}

function knownParams(route: RouteOptions, known: Known): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of paramNames(route.url)) {
    if (name === 'list') out[name] = route.url.includes('/links') ? known.links : known.slogans;
    else out[name] = known.params[name] ?? 'index.html';
  }
  return out;
}

/** Path values that break a parameter: raw bytes, encodings that do not decode, odd text. */
const badParam: fc.Arbitrary<Param> = fc.oneof(
  fc.constantFrom<Param>(
    { raw: '%00' },
    { raw: '%ED%A0%80' }, // a UTF-8 encoded lone surrogate
    { raw: '%FF%FE' },
    { raw: '%E0%A4%A' },
    { raw: '%ZZ' },
    { raw: '%' },
    { raw: '..%2F..%2Fetc%2Fpasswd' },
    { raw: '%2e%2e' },
    { raw: 'a'.repeat(3_000) },
    { raw: '%E2%80%AE' },
    'DEMO',
    '-demo',
    'a b',
    '\u202Edemo',
    'x'.repeat(64),
    'x'.repeat(3_000),
  ),
  oddString,
);

/** Query strings near the route's query schema (raw text after `?`). */
function badQueries(schema: Schema): fc.Arbitrary<string> {
  const names = Object.keys((schema.properties ?? {}) as object);
  const key = fc.oneof(fc.constantFrom(...names, '__proto__', 'constructor', 'x'), badKey);
  const value = fc.oneof(
    oddString,
    hugeString,
    fc.constantFrom('', '-1', '0', '1e3', 'null', 'true', '[]', '%00', '%ZZ'),
  );
  const pair = fc
    .tuple(key, value, fc.boolean())
    .map(([k, v, raw]) =>
      raw
        ? `${k}=${v}`
        : `${encodeURIComponent(toWellFormed(k))}=${encodeURIComponent(toWellFormed(v))}`,
    );
  return fc.array(pair, { minLength: 1, maxLength: 3 }).map((pairs) => pairs.join('&'));
}

/** Whether Fastify's parse of `qs` fails `schema`. */
function badQuery(schema: Schema, qs: string): boolean {
  return !valid(schema, { ...parseQuery(qs) });
}

const toWellFormed = (s: string) => s.replace(/[\uD800-\uDFFF]/g, '\uFFFD');

const WRONG_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'text/html',
  'application/octet-stream',
  'image/png',
];
/** Bodies JSON.parse refuses (a leading BOM is stripped by the parser, so none starts with one). */
const malformedJson = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":}',
    "{'a':1}",
    '[1,]',
    'NaN',
    '{"a":1}}',
    '\u0000',
    '{"a":"\u0000',
    '{"a":1,"a"',
    '"\uD800',
    '{"__proto__":',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).filter((s) => {
    if (s.startsWith('\uFEFF')) return false;
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
);
/** Bodies the JSON parser refuses on purpose: prototype poisoning. */
const POISONED = [
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  '{"a":{"__proto__":{"x":1}}}',
  '[{"__proto__":null}]',
];

const isAdmin = (url: string) => url.startsWith('/api/v1/admin');
const isSiteApi = (url: string) => url.startsWith('/api/v1/sites/:site');
const hasBody = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method);

const BAD_AUTH: Record<string, string>[] = [
  {},
  { authorization: 'Bearer' },
  { authorization: 'Bearer ' },
  { authorization: `Bearer ${ADMIN_TOKEN}x` },
  { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` },
  { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` },
  { authorization: `Bearer ${'a'.repeat(7_000)}` },
  { authorization: 'Bearer \u00ff\u00fe' },
  { cookie: 'civic_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
  { cookie: `civic_session=${'%'.repeat(100)}; civic_session=x` },
];

/** Every case for one route, drawn from its schemas. */
function casesFor(route: RouteOptions, method: string, known: Known): Case[] {
  const schema = (route.schema ?? {}) as Record<string, Schema | undefined>;
  const good = knownParams(route, known);
  const admin = isAdmin(route.url);
  const headers: Record<string, string> = {
    'user-agent': BROWSER_UA,
    ...(admin && { authorization: `Bearer ${ADMIN_TOKEN}` }),
    ...(isSiteApi(route.url) && { origin: DEMO_ORIGIN }),
  };
  const json = { ...headers, 'content-type': 'application/json' };
  const bodySchema = schema.body;
  const baseBody = bodySchema ? JSON.stringify(sample(bodySchema)) : undefined;
  const url = (params: Record<string, Param> = good, qs = '') =>
    fill(route.url, params) + (qs ? `?${qs}` : '');
  const out: Case[] = [];
  const add = (kind: string, c: Partial<Case>) =>
    out.push({ kind, method, url: url(), headers, expect: '4xx', ...c });
  /** `runs` values of `arb` that pass `keep` (from at most four times as many drawn). */
  const draw = <T>(
    arb: fc.Arbitrary<T>,
    salt: number,
    runs = RUNS,
    keep: (value: T) => boolean = () => true,
  ): T[] =>
    fc
      .sample(arb, { seed: SEED + salt, numRuns: runs * 4 })
      .filter(keep)
      .slice(0, runs);
  const salt = [...`${method} ${route.url}`].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7);

  // Routes that take no input: nothing to refuse, but odd query strings must not break them.
  // (`/admin` redirects to the console's page; it is there once the console has been built.)
  const noInput =
    route.url.startsWith('/health') ||
    route.url === '/s/civic.css' ||
    route.url === '/admin' ||
    method === 'OPTIONS';
  if (noInput) {
    for (const qs of draw(badQueries({ type: 'object', properties: {} }), salt))
      add('no input', { url: url(good, qs), expect: 'no5xx' });
    if (method === 'OPTIONS')
      for (const p of draw(badParam, salt + 1))
        add('no input', { url: url({ '*': p }), expect: 'no5xx' });
    return out;
  }

  // Bad path parameters (the rest of the request valid).
  const names = paramNames(route.url);
  for (const name of names) {
    const params = draw(badParam, salt + name.length, RUNS, (p) => {
      let value: string;
      try {
        value = typeof p === 'string' ? toWellFormed(p) : decodeURIComponent(p.raw);
      } catch {
        return true; // does not decode
      }
      // A wildcard path is any path (`/..` is the root): only what does not decode breaks it.
      return name !== '*' && !valid(schema.params, { ...good, [name]: value });
    });
    for (const p of params)
      add('path', {
        url: url({ ...good, [name]: p }),
        headers: bodySchema ? json : headers,
        payload: baseBody,
      });
  }
  // A site that does not exist, with a valid body: refused before anything is written.
  if (names.includes('site') && (isSiteApi(route.url) || route.url.includes('/sites/:site/')))
    for (const site of draw(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/), salt + 2, 4))
      if (site !== 'demo' && site !== 't1')
        add('unknown site', {
          url: url({ ...good, site: `zz${site}`.slice(0, 63) }),
          headers: bodySchema ? json : headers,
          payload: baseBody,
        });

  // Bad query strings.
  if (schema.querystring)
    for (const qs of draw(badQueries(schema.querystring), salt + 3, RUNS, (qs) =>
      badQuery(schema.querystring!, qs),
    ))
      add('query', { url: url(good, qs) });

  // Bad bodies: schema faults, then transport faults.
  if (bodySchema && hasBody(method)) {
    for (const body of draw(
      badBodies(bodySchema),
      salt + 4,
      RUNS * 2,
      (b) => !valid(bodySchema, b),
    ))
      add('body', { headers: json, payload: JSON.stringify(body) });
    add('body', { headers: json, payload: '['.repeat(50_00) + ']'.repeat(50_00) });
    add('body', { headers: json, payload: '' });
  }
  if (hasBody(method)) {
    const body = baseBody ?? '{}';
    for (const type of WRONG_TYPES)
      add('content type', { headers: { ...headers, 'content-type': type }, payload: body });
    for (const text of draw(malformedJson, salt + 5))
      add('malformed json', { headers: json, payload: text });
    for (const text of POISONED) add('poisoned json', { headers: json, payload: text });
    add('too large', { headers: json, payload: JSON.stringify({ a: 'x'.repeat(17 * 1024) }) });
  }

  // Bad credentials on the admin API and the signed-in routes.
  if (admin || /\/auth\/(me|password)$/.test(route.url))
    for (const auth of BAD_AUTH) {
      const h = { ...headers, ...auth };
      if (!auth.authorization) delete h.authorization;
      add('credentials', {
        headers: bodySchema ? { ...h, 'content-type': 'application/json' } : h,
        payload: baseBody,
      });
    }
  return out;
}

/**
 * Requests that are valid in shape but must still be refused by the route's own rules, with odd
 * text reaching the handlers: comments without a real captcha, votes with forged voter tokens.
 */
function semanticCases(known: Known): Case[] {
  const text = fc.oneof(oddString, fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }));
  const headers = {
    'user-agent': BROWSER_UA,
    origin: DEMO_ORIGIN,
    'content-type': 'application/json',
  };
  const thread = encodeURIComponent(known.params.thread!);
  const out: Case[] = [];
  const comments = fc.record({
    name: text,
    email: fc.constant('a@example.gov.vn'),
    content: text,
    captcha: fc.oneof(
      fc.constant(undefined),
      fc.constantFrom('c1.AAAAAAAAAAAAAAAAAAAAAA.ABCDE', 'p1.e30', `p1.${'A'.repeat(900)}`),
      text,
    ),
  });
  for (const body of fc.sample(comments, { seed: SEED, numRuns: RUNS * 3 }))
    out.push({
      kind: 'comment without a valid captcha',
      method: 'POST',
      url: `/api/v1/sites/demo/threads/${thread}/comments`,
      headers,
      payload: JSON.stringify(body),
      expect: '4xx',
    });
  const votes = fc.record({
    choices: fc.array(text, { maxLength: 3 }),
    voter: fc.stringMatching(/^[A-Za-z0-9_-]{20,40}(\.[A-Za-z0-9_-]{10,43})?$/),
  });
  for (const body of fc.sample(votes, { seed: SEED + 1, numRuns: RUNS * 3 }))
    out.push({
      kind: 'vote with a forged voter token',
      method: 'POST',
      url: `/api/v1/sites/demo/polls/${known.params.poll}/votes`,
      headers,
      payload: JSON.stringify(body),
      expect: '4xx',
    });
  return out;
}

// ---------------------------------------------------------------------------------------------
// The database before and after

async function tableNames(storage: Storage): Promise<string[]> {
  const rows =
    storage.dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(
          storage.db,
        )
      : await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(
          storage.db,
        );
  return rows.rows.map((r) => r.name).sort();
}

/** Every table's row count and a hash of its sorted rows. */
async function snapshot(storage: Storage): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await tableNames(storage)) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(
      storage.db,
    );
    const lines = rows
      .map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)))
      .sort();
    out[name] =
      `${rows.length} rows ${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

async function knownIds(app: FastifyInstance, storage: Storage): Promise<Known> {
  const admin = (method: 'POST', url: string, body: unknown) =>
    app.inject({
      method,
      url: `/api/v1/admin${url}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
  const user = await admin('POST', '/users', {
    email: 'editor@example.gov.vn',
    name: 'Biên tập viên',
    role: 'editor',
    sites: ['demo'],
    password: 'correct horse battery staple',
  });
  assert.equal(user.statusCode, 201, user.body);
  const token = await admin('POST', '/tokens', { name: 'ci', role: 'admin' });
  assert.equal(token.statusCode, 201, token.body);
  const db = storage.db;
  const poll = await db
    .selectFrom('polls')
    .select('id')
    .where('site', '=', 'demo')
    .executeTakeFirstOrThrow();
  const comment = await db
    .selectFrom('comments')
    .select(['id', 'thread'])
    .where('site', '=', 'demo')
    .executeTakeFirstOrThrow();
  const list = (kind: string) =>
    db
      .selectFrom('lists')
      .select('id')
      .where('site', '=', 'demo')
      .where('kind', '=', kind)
      .executeTakeFirstOrThrow();
  return {
    params: {
      site: 'demo',
      poll: poll.id,
      thread: comment.thread,
      id: comment.id,
      user: (JSON.parse(user.body) as { id: string }).id,
      token: (JSON.parse(token.body) as { id: string }).id,
    },
    slogans: (await list('slogans')).id,
    links: (await list('links')).id,
  };
}

/** Lets every lazily created row exist before the snapshot (keys, the day's salts, sessions). */
async function warmUp(app: FastifyInstance, known: Known): Promise<void> {
  const site = '/api/v1/sites/demo';
  const headers = { 'user-agent': BROWSER_UA, origin: DEMO_ORIGIN };
  const json = { ...headers, 'content-type': 'application/json' };
  const poll = await app.inject({
    method: 'GET',
    url: `${site}/polls/${known.params.poll}`,
    headers,
  });
  assert.equal(poll.statusCode, 200, poll.body);
  const { options } = poll.json<{ options: { id: string }[] }>();
  const issued = await app.inject({
    method: 'POST',
    url: `${site}/polls/${known.params.poll}/voters`,
    headers: json,
    payload: '{}',
  });
  assert.equal(issued.statusCode, 201, issued.body);
  const { voterToken } = issued.json<{ voterToken: string }>();
  const vote = await app.inject({
    method: 'POST',
    url: `${site}/polls/${known.params.poll}/votes`,
    headers: json,
    payload: JSON.stringify({ voter: voterToken, choices: [options[0]!.id] }),
  });
  assert.equal(vote.statusCode, 200, vote.body);
  const challenge = await app.inject({
    method: 'POST',
    url: `${site}/captcha`,
    headers: json,
    payload: '{}',
  });
  assert.equal(challenge.statusCode, 200, challenge.body);
  const comment = await app.inject({
    method: 'POST',
    url: `${site}/threads/${encodeURIComponent(known.params.thread!)}/comments`,
    headers: json,
    payload: JSON.stringify({ name: 'A', email: 'a@example.gov.vn', content: 'B' }),
  });
  assert.equal(comment.json<{ error: { code: string } }>().error.code, 'captcha_required');
}

let address = 0;
/** A new client address per request (a new /24 too), so no rate limit hides a route's answer. */
function nextAddress(): string {
  address++;
  return `10.${(address >> 8) & 255}.${address & 255}.${1 + (address >> 16)}`;
}

describeEngines('bad-input corpus on every route', (engine) => {
  const routes: RouteOptions[] = [];
  const t = useTestApp(engine, {
    sites: ['t1'],
    seed: (storage) => seedDemo(storage, { port: 8080, demoOrigins: [DEMO_ORIGIN] }),
    config: { flushIntervalMs: 50 },
    onRoute: (route) => void routes.push(route),
  });
  let known: Known;
  before(async () => {
    known = await knownIds(t.app, t.storage);
    await warmUp(t.app, known);
  });

  test('every answer is a 4xx with the error shape and no row changes', async () => {
    assert.ok(routes.length > 50, `only ${routes.length} routes seen`);
    const cases: Case[] = semanticCases(known);
    const covered = new Set<string>();
    for (const route of routes)
      for (const method of [route.method].flat()) {
        const mine = casesFor(route, method, known);
        if (mine.length) covered.add(`${method} ${route.url}`);
        cases.push(...mine);
      }
    const allRoutes = routes.flatMap((r) => [r.method].flat().map((m) => `${m} ${r.url}`));
    assert.deepEqual(
      allRoutes.filter((r) => !covered.has(r)),
      [],
      'routes without a case',
    );

    const failures: string[] = [];
    const byKind = new Map<string, number>();
    const send = async (c: Case) => {
      byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
      const res = await t.app.inject({
        method: c.method as InjectOptions['method'],
        url: c.url,
        headers: c.headers,
        payload: c.payload,
        remoteAddress: nextAddress(),
      });
      const what = `${c.kind}: ${c.method} ${c.url.slice(0, 120)} ${JSON.stringify(c.payload ?? '').slice(0, 120)} → ${res.statusCode} ${res.body.slice(0, 160)}`;
      if (res.statusCode >= 500 || (c.expect === '4xx' && res.statusCode < 400))
        return void failures.push(what);
      if (res.statusCode < 400 || c.method === 'HEAD') return;
      // The pages without JavaScript answer an HTML page under their policy (what the router
      // refuses before reaching them, e.g. a path that does not decode, keeps the error shape).
      if (c.url.startsWith('/s/') && String(res.headers['content-type']).startsWith('text/html')) {
        if (
          !String(res.headers['content-security-policy']).startsWith("default-src 'none'") ||
          !res.body.includes('<h1>')
        )
          failures.push(`${what} (not an HTML error page)`);
        return;
      }
      let body: { error?: { code?: unknown; message?: unknown } } | undefined;
      try {
        body = res.json();
      } catch {
        body = undefined;
      }
      if (typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string')
        failures.push(`${what} (not the error shape)`);
    };
    // Visits are written by the flush (every 50 ms here): let one run before each snapshot.
    const settled = async () => {
      await new Promise((r) => setTimeout(r, 200));
      return snapshot(t.storage);
    };

    const before = await settled();
    for (const c of cases.filter((c) => c.kind !== 'credentials')) await send(c);
    const after = await settled();
    // Bad credentials are counted (auth_failures: the per-network throttle of admin sign-ins),
    // and nothing else changes.
    for (const c of cases.filter((c) => c.kind === 'credentials')) await send(c);
    const { auth_failures: failuresBefore, ...restBefore } = after;
    const { auth_failures: failuresAfter, ...restAfter } = await settled();

    console.log(
      `bad-input corpus on ${engine.name}: ${cases.length} requests on ${covered.size} routes (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')})`,
    );
    assert.deepEqual(failures, [], `${failures.length} answers out of ${cases.length} were wrong`);
    assert.deepEqual(after, before, 'a refused request changed the database');
    assert.deepEqual(restAfter, restBefore, 'bad credentials changed more than auth_failures');
    assert.ok(
      Number.parseInt(failuresAfter!) > Number.parseInt(failuresBefore!),
      'bad credentials were not counted',
    );
  });
});
