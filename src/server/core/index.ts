/**
 * The core plugin: what every feature stands on. It decorates `app.civic` (configuration,
 * storage, cached site lookups, clock), installs the error format, compression and the rate
 * limiter, and serves `/health/*` and the CORS preflight. Features register after it.
 */
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ServerConfig } from '../config.js';
import type { SiteRecord, Storage } from '../db/storage.js';
import { AdminGate } from './admin.js';
import { preflightApi } from './api.js';
import { HttpError, installErrorHandlers } from './errors.js';
import { healthRoutes } from './health.js';
import { ipPrefix } from './net.js';
import { Sites } from './sites.js';

export interface Civic {
  config: ServerConfig;
  storage: Storage;
  sites: Sites;
  /** The clock of the visit counter and the captcha (tests move it). */
  now: () => number;
  /** Who may use the admin API, and where its changes are audited (core/admin.ts). */
  admin: AdminGate;
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
}

export const core = fp(
  async (app: FastifyInstance, { config, storage, now = Date.now }: CoreOptions) => {
    app.decorate('civic', {
      config,
      storage,
      sites: new Sites(storage),
      now,
      admin: new AdminGate(config.adminToken),
    });
    app.decorateRequest('site', null as unknown as SiteRecord);
    installErrorHandlers(app);
    // JSON over 1 KB (a comment page, a poll with its results) goes out compressed; the small
    // answers of the hot paths (a visit, a vote) stay under the threshold. Brotli at quality 4
    // costs about as much CPU as gzip. Request bodies are never decompressed (no zip bombs past
    // bodyLimit).
    await app.register(compress, {
      threshold: 1024,
      encodings: ['br', 'gzip'],
      globalDecompression: false,
    });
    // Counters per IP prefix; the scopes of core/api.ts apply them (global: false).
    await app.register(rateLimit, {
      global: false,
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: (req) => ipPrefix(req.ip),
      errorResponseBuilder: (_req, ctx) =>
        new HttpError(
          429,
          'rate_limited',
          `Too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s`,
        ),
    });
    // Registered first, so it runs last: features flush into the database before it closes.
    app.addHook('onClose', async () => storage.close());
    await app.register(healthRoutes);
    await preflightApi(app);
  },
  { name: 'core', fastify: '5.x' },
);
