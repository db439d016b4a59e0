/**
 * Event counts per client network over a sliding window (the captcha's cost, the issuing of voter
 * tokens). `RateCounter` is the interface the features use; `DbRateCounter` keeps the counts in
 * the database (`rate_counts`), so every instance sharing it sees the same numbers. A shared
 * in-memory store (Redis) can implement the same interface.
 *
 * The window slides by the usual two-bucket estimate: the count of the current fixed window plus
 * the previous window's count weighted by how much of it still lies within `windowMs` of now.
 * Keys are an HMAC of scope and IP prefix under a server key: no address is stored.
 *
 * `SharedRateCounter` keeps counts in fixed windows in the shared state instead (this process
 * without Redis, Redis with it): no database write, for limits that only hold back floods on a
 * hot path (new voter tokens, asked for by every first-time reader of a poll).
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { HttpError } from './errors.js';
import { ipPrefix } from './net.js';
import { keysOf } from './secrets.js';
import { MemoryState, type SharedState } from './shared-state.js';

export interface EventCounter {
  /** Counts one event of `scope` for `prefix`; returns the events within `windowMs`, this one included. */
  hit(scope: string, prefix: string, windowMs: number): Promise<number>;
}

export interface RateCounter extends EventCounter {
  /** The events of `scope` for `prefix` within `windowMs`, without counting one. */
  count(scope: string, prefix: string, windowMs: number): Promise<number>;
}

export class DbRateCounter implements RateCounter {
  private readonly key: () => Promise<Buffer>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {
    // Derived from the master secret (core/secrets.ts), like every server key.
    const key = keysOf(db).key('rate-key');
    this.key = () => Promise.resolve(key);
  }

  async hit(scope: string, prefix: string, windowMs: number): Promise<number> {
    const now = this.now();
    const key = await this.keyOf(scope, prefix);
    const slot = Math.floor(now / windowMs);
    const row = await this.db
      .insertInto('rate_counts')
      .values({ key, slot, count: 1, expires_at: (slot + 2) * windowMs })
      .onConflict((oc) =>
        oc
          .columns(['key', 'slot'])
          .doUpdateSet((eb) => ({ count: eb('rate_counts.count', '+', 1) })),
      )
      .returning('count')
      .executeTakeFirstOrThrow();
    const previous = await this.read(key, slot - 1);
    return estimate(Number(row.count), previous, now, windowMs);
  }

  async count(scope: string, prefix: string, windowMs: number): Promise<number> {
    const now = this.now();
    const key = await this.keyOf(scope, prefix);
    const slot = Math.floor(now / windowMs);
    const [current, previous] = await Promise.all([this.read(key, slot), this.read(key, slot - 1)]);
    return estimate(current, previous, now, windowMs);
  }

  /** Deletes the rows whose windows can no longer count (the hourly maintenance; idempotent). */
  async prune(now = this.now()): Promise<number> {
    const result = await this.db
      .deleteFrom('rate_counts')
      .where('expires_at', '<', now)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private async read(key: string, slot: number): Promise<number> {
    const row = await this.db
      .selectFrom('rate_counts')
      .select('count')
      .where('key', '=', key)
      .where('slot', '=', slot)
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  private async keyOf(scope: string, prefix: string): Promise<string> {
    return rateKey(await this.key(), scope, prefix);
  }
}

/**
 * Counts in the shared state, in fixed windows aligned to multiples of `windowMs` (the window
 * ends when the 429's Retry-After says). Per instance without Redis, like the other request
 * limits; shared by every instance with it.
 */
export class SharedRateCounter implements EventCounter {
  private readonly key: Buffer;

  constructor(
    private readonly shared: SharedState,
    db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {
    this.key = keysOf(db).key('rate-key');
  }

  async hit(scope: string, prefix: string, windowMs: number): Promise<number> {
    const now = this.now();
    const slot = Math.floor(now / windowMs);
    // Redis gets an HMAC (no address leaves the process); this process's own memory keeps the
    // prefix itself, as the per-request limits do, and saves an HMAC a request.
    const who =
      this.shared.kind === 'memory' ? `${scope}\u0000${prefix}` : rateKey(this.key, scope, prefix);
    return (await this.shared.hit(`rate:${who}:${slot}`, (slot + 1) * windowMs - now, now)).count;
  }
}

/** The stored name of (scope, prefix): an HMAC, so no address is kept. */
function rateKey(key: Buffer, scope: string, prefix: string): string {
  return createHmac('sha256', key)
    .update(`${scope}\u0000${prefix}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/** The current window's count plus the part of the previous one that is still within the window. */
function estimate(current: number, previous: number, now: number, windowMs: number): number {
  const elapsed = (now % windowMs) / windowMs;
  return current + Math.floor(previous * (1 - elapsed));
}

/** The 429 of a request limit, `ttlMs` before its window ends. */
export const limitError = (ttlMs: number) =>
  new HttpError(429, 'rate_limited', `Too many requests; retry in ${Math.ceil(ttlMs / 1000)} s`);

/**
 * The shared request limit of the public API (`max` requests per IP prefix per `windowMs`, one
 * budget per client across every scope that uses it), as an `onRequest` hook. With Redis it is
 * @fastify/rate-limit's own hook on its Redis store (one count per client across instances).
 * Without, it counts in this process's shared state in the same turn, with the plugin's 429: the
 * plugin's hook took two async functions, an awaited key and a promise around its store per
 * request (about 4 % of a new visit's CPU).
 *
 * Either way the `x-ratelimit-*` headers go on the 429 only, with `Retry-After`. On every answer
 * they cost about a tenth of a visit's rate (`npm run bench`, one instance on SQLite: 17,500 →
 * 19,800 new visits/s) and 75 bytes, and the widgets could not even read them: a cross-origin
 * page sees only the headers CORS exposes (`Retry-After`).
 */
export function requestLimit(
  app: FastifyInstance,
  shared: SharedState,
  max: number,
  windowMs: number,
  now: () => number = Date.now,
): onRequestHookHandler {
  if (!(shared instanceof MemoryState)) return app.rateLimit();
  return (req, reply, done) => {
    const { count, resetInMs } = shared.hitNow(`limit:${ipPrefix(req.ip)}`, windowMs, now());
    if (count <= max) return done();
    const reset = Math.ceil(resetInMs / 1000);
    reply.header('x-ratelimit-limit', max);
    reply.header('x-ratelimit-remaining', 0);
    reply.header('x-ratelimit-reset', reset);
    reply.header('retry-after', reset);
    done(limitError(resetInMs));
  };
}
