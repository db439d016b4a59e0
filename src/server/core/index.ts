/**
 * The core plugin: what every feature stands on. It decorates `app.civic` (configuration,
 * storage, cached site lookups, clock, the state instances share and their change channel),
 * installs the error format, compression and the rate limiter, and serves `/health/*` and the
 * CORS preflight. Features register after it.
 */
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { ServerConfig } from '../config.js';
import type { SiteRecord, Storage } from '../db/storage.js';
import { AdminGate } from './admin.js';
import { preflightApi } from './api.js';
import { openChanges, type ChangeBus } from './changes.js';
import { installErrorHandlers } from './errors.js';
import { healthRoutes } from './health.js';
import { Maintenance } from './maintenance.js';
import { ipPrefix } from './net.js';
import { ANY, ReadCache } from './read-cache.js';
import { isRedisError, openSharedState, type SharedState } from './shared-state.js';
import {
  DbRateCounter,
  limitError,
  requestLimit,
  SharedRateCounter,
  type EventCounter,
  type RateCounter,
} from './rates.js';
import { Sites } from './sites.js';

export interface Civic {
  config: ServerConfig;
  storage: Storage;
  sites: Sites;
  /** The clock of the visit counter and the captcha (tests move it). */
  now: () => number;
  /** Who may use the admin API, and where its changes are audited (core/admin.ts). */
  admin: AdminGate;
  /** Visit dedupe, presence and window counters: Redis with `REDIS_URL`, else this process (core/shared-state.ts). */
  shared: SharedState;
  /** "This changed" notices to every instance, for their caches (core/changes.ts). */
  changes: ChangeBus;
  /** The hourly clean-up: features register a prune task for each table that only grows. */
  maintenance: Maintenance;
  /** Event counts per client network shared by every instance (core/rates.ts). */
  rates: RateCounter;
  /** Event counts per client network in `shared`, no database write (core/rates.ts). */
  sharedRates: EventCounter;
  /** Ready answers of the public read paths (core/read-cache.ts). */
  reads: ReadCache;
  /**
   * The shared per-IP-prefix limit (`RATE_LIMIT_PER_MINUTE`), one budget per client across the
   * public API: an `onRequest` hook (core/rates.ts).
   */
  limit: onRequestHookHandler;
  /**
   * After a write that changes public data, before answering it: drops the cached answers of
   * (site, kind, id) here, at once, and tells the other instances (`changes`). Without `id`:
   * every item of that kind on the site. `noticeSent`: the write's commit already told the
   * other instances (core/changes.ts `CommitNotices`). Never throws.
   */
  changed: (site: string, kind: string, id?: string, noticeSent?: boolean) => Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    civic: Civic;
  }
}

export interface CoreOptions {
  config: ServerConfig;
  storage: Storage;
  now?: () => number;
  /** A change bus to use instead of the configured one (tests: several apps in one process). */
  changes?: ChangeBus;
}

export const core = fp(
  async (
    app: FastifyInstance,
    { config, storage, now = Date.now, changes: given }: CoreOptions,
  ) => {
    const shared = await openSharedState(config, app.log);
    let changes: ChangeBus;
    try {
      changes =
        given ??
        (await openChanges(
          {
            redis: shared.redis,
            redisPrefix: config.redisPrefix,
            databaseUrl: storage.dialect === 'postgres' ? config.databaseUrl : undefined,
            db: storage.db,
          },
          app.log,
        ));
    } catch (err) {
      await shared.close();
      throw err;
    }
    const sites = new Sites(storage, now);
    const reads = new ReadCache(now);
    // A site changed on any instance is read again here; a cached answer changed anywhere is dropped.
    const unsubscribe = changes.subscribe((change) => {
      if (change.kind === 'site') sites.forget(change.id);
      else if (change.kind === '*') sites.forgetAll();
      reads.invalidate(change);
    });
    const rates = new DbRateCounter(storage.db, now);
    app.decorate('civic', {
      config,
      storage,
      sites,
      now,
      admin: new AdminGate(config.adminToken),
      shared,
      changes,
      maintenance: new Maintenance(storage.db, app.log, now),
      rates,
      sharedRates: new SharedRateCounter(shared, storage.db, now),
      reads,
      // Set once the rate limiter is registered (below).
      limit: undefined as unknown as onRequestHookHandler,
      changed: (site: string, kind: string, id = ANY, noticeSent = false) =>
        changes.changed(site, kind, id, noticeSent),
    });
    app.decorateRequest('site', null as unknown as SiteRecord);
    // Redis not answering (a rate-limit counter, a visit) is a 503, not a 500.
    installErrorHandlers(app, isRedisError);
    // JSON over 1 KB (a comment page, a poll with its results) goes out compressed; the small
    // answers of the hot paths (a visit, a vote) stay under the threshold. Brotli at quality 4
    // costs about as much CPU as gzip. Request bodies are never decompressed (no zip bombs past
    // bodyLimit).
    await app.register(compress, {
      threshold: 1024,
      encodings: ['br', 'gzip'],
      globalDecompression: false,
    });
    // Counters per IP prefix (global: false): the limits routes set for themselves, and with Redis
    // the shared one that the scopes of core/api.ts apply (`limit`, core/rates.ts).
    await app.register(rateLimit, {
      global: false,
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      // With Redis, @fastify/rate-limit's Redis store: one count per client across instances.
      ...(shared.redis && { redis: shared.redis, nameSpace: `${config.redisPrefix}rl:` }),
      keyGenerator: (req) => ipPrefix(req.ip),
      // The limit's headers only on a 429 (see `requestLimit`).
      addHeadersOnExceeding: {
        'x-ratelimit-limit': false,
        'x-ratelimit-remaining': false,
        'x-ratelimit-reset': false,
      },
      errorResponseBuilder: (_req, ctx) => limitError(ctx.ttl),
    });
    app.civic.limit = requestLimit(app, shared, config.rateLimitPerMinute, 60_000, now);
    // Registered first, so it runs last: features flush into the database before it closes.
    app.addHook('onClose', async () => {
      // A bus handed in (tests: instances in one process) is its owner's to close.
      if (given) unsubscribe();
      else await changes.close();
      await shared.close();
      await storage.close();
    });
    // The first check once every feature has registered its tasks; stopped before the database closes.
    // Rate counts two windows after theirs began (they no longer count).
    app.civic.maintenance.register('rate_counts', (at) => rates.prune(at));
    app.addHook('onReady', async () => app.civic.maintenance.start());
    app.addHook('onClose', async () => app.civic.maintenance.close());
    await app.register(healthRoutes);
    await preflightApi(app);
  },
  { name: 'core', fastify: '5.x' },
);
