/**
 * Read paths served from memory: the public answers that change a few times a day (polls with
 * their tallies, slogan and link lists, comment pages) are kept per instance as READY RESPONSE
 * BYTES — the serialized JSON, its strong ETag and, from {@link COMPRESS_MIN_BYTES}, brotli and
 * gzip copies made once (off the event loop) — so a read costs a map lookup and a write of bytes.
 *
 * Entries are grouped by (kind, site, id): a group holds the variants of one item (a comment
 * page per cursor, a poll's view per set of choices). Every write that changes an item calls
 * `Civic.changed(site, kind, id)` BEFORE it answers: the group is dropped here at once and,
 * through the change channel (core/changes.ts), on every other instance. A build that started before a change
 * is never stored after it (each group and each (kind, site) scope carries a generation), and a
 * read after the change never joins such a build. A group may also end at a time of its own
 * (`until`: the moment a poll opens or closes). Nothing personal is kept: variants are keyed by
 * public inputs (a cursor, a set of choices), never by a voter.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Change } from './changes.js';

/** The `id` of a change that concerns every item of its kind on its site (and, as `kind`, everything). */
export const ANY = '*';

/** Answers from this size are also kept compressed (the threshold @fastify/compress uses). */
export const COMPRESS_MIN_BYTES = 1024;
/** Variants kept per group (e.g. a poll's views per set of choices); more are built per request. */
const MAX_VARIANTS = 64;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** One ready answer. */
export interface Ready {
  /** The JSON as text (for answers that add a per-request field to it). */
  json: string;
  body: Buffer;
  etag: string;
  br?: { body: Buffer; etag: string };
  gzip?: { body: Buffer; etag: string };
}

/** What a build returns: the answer's value, and when it stops being true on its own (epoch ms). */
export interface Built {
  value: unknown;
  until?: number;
}

interface Group {
  gen: number;
  scope: string;
  entries: Map<string, Ready>;
  pending: Map<string, Promise<Ready | undefined>>;
  until: number;
  bytes: number;
}

export interface ReadCacheLimits {
  /** Items (groups) kept; the oldest go first. */
  groups: number;
  /** Bytes kept (bodies and compressed copies). */
  bytes: number;
}

const size = (r: Ready) => r.body.length + (r.br?.body.length ?? 0) + (r.gzip?.body.length ?? 0);

/** A strong ETag of `text`: 27 characters of its SHA-256, base64url, with a coding suffix. */
export function strongEtag(text: string | Buffer, suffix = ''): string {
  return `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}${suffix}"`;
}

/** The ready bytes of `json`: the body, its ETag, and compressed copies when large enough. */
export async function prepare(json: string): Promise<Ready> {
  const body = Buffer.from(json);
  const etag = strongEtag(body);
  const ready: Ready = { json, body, etag };
  if (body.length >= COMPRESS_MIN_BYTES) {
    const [br, gz] = await Promise.all([
      brotli(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }),
      gzipAsync(body, { level: 9 }),
    ]);
    const tag = etag.slice(0, -1);
    if (br.length < body.length) ready.br = { body: br, etag: `${tag}-br"` };
    if (gz.length < body.length) ready.gzip = { body: gz, etag: `${tag}-gz"` };
  }
  return ready;
}

const groupKey = (kind: string, site: string, id: string) => `${kind}\0${site}\0${id}`;
const scopeKey = (kind: string, site: string) => `${kind}\0${site}`;

export class ReadCache {
  private readonly groups = new Map<string, Group>();
  /** Generation of each (kind, site) scope: raised by a change of every item of that kind. */
  private readonly scopes = new Map<string, number>();
  private bytes = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly limits: ReadCacheLimits = { groups: 20_000, bytes: 64 * 1024 * 1024 },
  ) {}

  /**
   * The ready answer of `variant` of (kind, site, id) when it is in memory, else undefined: what
   * a route answers in the same turn, without a promise (see {@link get} for the rest).
   */
  peek(kind: string, site: string, id: string, variant: string): Ready | undefined {
    const group = this.groups.get(groupKey(kind, site, id));
    if (!group || group.until <= this.now()) return undefined;
    return group.entries.get(variant);
  }

  /**
   * The ready answer of `variant` of (kind, site, id): from memory, or from `build` (one build
   * at a time per variant; concurrent reads share it). Undefined when `build` finds nothing
   * (never cached: a missing item is looked up again).
   */
  get(
    kind: string,
    site: string,
    id: string,
    variant: string,
    build: () => Promise<Built | undefined>,
  ): Promise<Ready | undefined> {
    const key = groupKey(kind, site, id);
    let group = this.groups.get(key);
    if (group && group.until <= this.now()) this.clear(group);
    if (group) {
      const hit = group.entries.get(variant);
      if (hit) return Promise.resolve(hit);
      const pending = group.pending.get(variant);
      if (pending) return pending;
    } else {
      const scope = scopeKey(kind, site);
      group = {
        gen: 0,
        scope,
        entries: new Map(),
        pending: new Map(),
        until: Infinity,
        bytes: 0,
      };
      this.groups.set(key, group);
      this.evict();
    }
    const g = group;
    const gen = g.gen;
    const scopeGen = this.scopes.get(g.scope) ?? 0;
    const current = () =>
      this.groups.get(key) === g && g.gen === gen && (this.scopes.get(g.scope) ?? 0) === scopeGen;
    const run = (async () => {
      const built = await build();
      if (!built) return undefined;
      const ready = await prepare(JSON.stringify(built.value));
      if (current() && (built.until === undefined || built.until > this.now())) {
        if (built.until !== undefined) g.until = Math.min(g.until, built.until);
        if (g.entries.size < MAX_VARIANTS) {
          g.entries.set(variant, ready);
          g.bytes += size(ready);
          this.bytes += size(ready);
          this.evict();
        }
      }
      return ready;
    })();
    g.pending.set(variant, run);
    const done = () => {
      if (g.pending.get(variant) === run) g.pending.delete(variant);
    };
    run.then(done, done);
    return run;
  }

  /**
   * Drops what a change makes stale: one item's group; with `id` {@link ANY}, every item of a
   * kind on a site; with `kind` {@link ANY} (after a gap in the change channel), everything.
   */
  invalidate({ site, kind, id }: Change): void {
    if (kind === ANY) {
      for (const scope of this.scopes.keys()) this.scopes.set(scope, this.scopes.get(scope)! + 1);
      for (const group of this.groups.values()) {
        this.scopes.set(group.scope, (this.scopes.get(group.scope) ?? 0) + 1);
        this.clear(group);
      }
      return;
    }
    if (id !== ANY) {
      const group = this.groups.get(groupKey(kind, site, id));
      if (group) this.clear(group);
      return;
    }
    const scope = scopeKey(kind, site);
    this.scopes.set(scope, (this.scopes.get(scope) ?? 0) + 1);
    for (const group of this.groups.values()) if (group.scope === scope) this.clear(group);
  }

  /** Items and bytes held (for tests and the benchmarks). */
  stats(): { groups: number; bytes: number } {
    return { groups: this.groups.size, bytes: this.bytes };
  }

  private clear(group: Group): void {
    group.gen++;
    group.entries.clear();
    group.pending.clear();
    group.until = Infinity;
    this.bytes -= group.bytes;
    group.bytes = 0;
  }

  private evict(): void {
    for (const [key, group] of this.groups) {
      if (this.groups.size <= this.limits.groups && this.bytes <= this.limits.bytes) return;
      this.clear(group);
      this.groups.delete(key);
    }
  }
}

/** True when an `If-None-Match` header value names `etag` (weak or strong) or is `*`. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

interface Accepted {
  br: boolean;
  gzip: boolean;
}
const NONE: Accepted = { br: false, gzip: false };
const accepted = new Map<string, Accepted>();

/** The codings `Accept-Encoding` takes (`;q=0` refuses one, `*` takes any); a few hundred headers repeat. */
function accepts(header: string | undefined): Accepted {
  if (!header) return NONE;
  let hit = accepted.get(header);
  if (hit) return hit;
  const ok = new Set<string>();
  for (const part of header.toLowerCase().split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (q && !(Number(q.slice(2)) > 0)) continue;
    ok.add(name);
  }
  hit = { br: ok.has('br') || ok.has('*'), gzip: ok.has('gzip') || ok.has('*') };
  if (accepted.size >= 1000) accepted.clear();
  accepted.set(header, hit);
  return hit;
}

/** Adds `value` to the Vary header unless it is there already. */
export function addVary(reply: FastifyReply, value: string): void {
  const current = reply.getHeader('vary');
  if (current === undefined || current === '') {
    reply.header('Vary', value);
    return;
  }
  const list = String(current);
  if (
    !list
      .toLowerCase()
      .split(/\s*,\s*/)
      .includes(value.toLowerCase())
  )
    reply.header('Vary', `${list}, ${value}`);
}

/**
 * Sends a ready answer: the coding the client accepts (when kept), its ETag, `Cache-Control`,
 * `Vary: Origin` (the CORS headers differ per Origin) and `Vary: Accept-Encoding` when compressed
 * copies exist; 304 without a body when `If-None-Match` names that ETag. The route must opt out
 * of @fastify/compress (`compress: false`): the bytes are final.
 */
export function sendReady(
  req: FastifyRequest,
  reply: FastifyReply,
  ready: Ready,
  cacheControl: string,
): FastifyReply {
  addVary(reply, 'Origin');
  let body = ready.body;
  let etag = ready.etag;
  let coding: 'br' | 'gzip' | undefined;
  if (ready.br || ready.gzip) {
    addVary(reply, 'Accept-Encoding');
    const ok = accepts(req.headers['accept-encoding']);
    const copy = ok.br && ready.br ? ready.br : ok.gzip ? ready.gzip : undefined;
    if (copy) {
      body = copy.body;
      etag = copy.etag;
      coding = copy === ready.br ? 'br' : 'gzip';
    }
  }
  reply.header('ETag', etag).header('Cache-Control', cacheControl);
  if (etagMatches(req.headers['if-none-match'], etag)) return reply.code(304).send();
  if (coding) reply.header('Content-Encoding', coding);
  return reply.type('application/json; charset=utf-8').send(body);
}

/**
 * A read route's answer: `now` (a ready answer found in memory, see {@link ReadCache.peek}) is
 * sent in this turn, without a promise; else the one `later` builds. A handler that is not
 * `async` returns what this returns.
 */
export function sendReadyNow(
  req: FastifyRequest,
  reply: FastifyReply,
  cacheControl: string,
  now: Ready | undefined,
  later: () => Promise<Ready>,
): Promise<void> | undefined {
  if (now) {
    sendReady(req, reply, now, cacheControl);
    return undefined;
  }
  return later().then((ready) => {
    sendReady(req, reply, ready, cacheControl);
  });
}
