/**
 * `buildApp(options)`: the whole server as a Fastify instance, for `main.ts` and for tests
 * (`app.inject()`). It owns nothing global: storage comes in, and closes with the app.
 */
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { API_PREFIX } from '../shared/api-types.js';
import { adminScope } from './admin.js';
import { assets } from './assets/index.js';
import { siteCors } from './cors.js';
import { loadConfig, type ServerConfig } from './config.js';
import { HttpError, installErrorHandlers } from './errors.js';
import { ipPrefix } from './net.js';
import { adminSiteRoutes } from './routes/admin-sites.js';
import { adminListRoutes } from './routes/admin-lists.js';
import { listRoutes } from './routes/lists.js';
import { CaptchaService, type CaptchaHooks } from './captcha/service.js';
import { adminCaptchaRoutes, captchaRoutes, captchaVerifyRoutes } from './routes/captcha.js';
import { adminCommentRoutes } from './routes/admin-comments.js';
import { commentRoutes } from './routes/comments.js';
import { healthRoutes } from './routes/health.js';
import { adminPollRoutes } from './routes/admin-polls.js';
import { pollRoutes } from './routes/polls.js';
import { visitRoutes } from './routes/visits.js';
import { Sites } from './sites.js';
import type { Storage } from './storage/storage.js';
import { VisitCounter } from './visits.js';

export interface AppOptions {
  storage: Storage;
  /** Overrides of the configuration (defaults: `loadConfig({})`). */
  config?: Partial<ServerConfig>;
  /** Fastify logger options; false (the default in tests) for none. */
  logger?: FastifyServerOptions['logger'];
  /** Clock for tests. */
  now?: () => number;
  /** Test-only seam (never set by main.ts, no env var): sees each captcha code's answer. */
  captchaHooks?: CaptchaHooks;
}

export interface Civic {
  config: ServerConfig;
  storage: Storage;
  sites: Sites;
  visits: VisitCounter;
  captcha: CaptchaService;
}

declare module 'fastify' {
  interface FastifyInstance {
    civic: Civic;
  }
}

/**
 * Log serializers: method, path and status only. No IP, no query string (it may carry an
 * e-mail), no headers.
 */
export const logSerializers = {
  req: (req: { method: string; url: string; id?: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
};

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const config: ServerConfig = { ...loadConfig({}), ...options.config };
  const logger =
    options.logger === undefined || options.logger === false
      ? false
      : { level: config.logLevel, serializers: logSerializers, redact: ['*.email', '*.ip', 'email', 'ip'], ...(options.logger === true ? {} : options.logger) };
  const app = Fastify({
    logger,
    trustProxy: config.trustProxy,
    bodyLimit: 16 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    return503OnClosing: true,
    // A comment thread is one encoded path segment (`%2Ftin-t%25E1%25BB%25A9c%2F1`): longer than the default 100.
    routerOptions: { maxParamLength: 2048 },
  });

  const storage = options.storage;
  const sites = new Sites(storage);
  const visits = new VisitCounter(storage, config.flushIntervalMs, app.log, options.now);
  const captcha = new CaptchaService(storage.db, storage.dialect, options.captchaHooks, options.now);
  app.decorate('civic', { config, storage, sites, visits, captcha } satisfies Civic);
  installErrorHandlers(app);
  // JSON over 1 KB (a comment page, a poll with its results) goes out compressed; the small
  // answers of the hot paths (a visit, a vote) stay under the threshold. Brotli at quality 4 costs
  // about as much CPU as gzip. Request bodies are never decompressed (no zip bombs past bodyLimit).
  await app.register(compress, { threshold: 1024, encodings: ['br', 'gzip'], globalDecompression: false });

  app.addHook('onReady', async () => visits.start());
  // Flush acknowledged visits before the database goes away (SIGTERM → app.close()).
  app.addHook('onClose', async () => {
    await visits.close();
    await storage.close();
  });

  await app.register(healthRoutes);

  await app.register(
    async (api) => {
      // Only JSON bodies: every cross-origin write is preflighted.
      api.removeContentTypeParser('text/plain');
      siteCors(api, sites);
      await api.register(rateLimit, {
        max: config.rateLimitPerMinute,
        timeWindow: 60_000,
        keyGenerator: (req) => ipPrefix(req.ip),
        errorResponseBuilder: (_req, ctx) => {
          const err = new HttpError(429, 'rate_limited', `Too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s`);
          return err;
        },
      });
      await api.register(visitRoutes, { prefix: '/:site' });
      await api.register(pollRoutes, { prefix: '/:site' });
      await api.register(captchaRoutes, { prefix: '/:site' });
      await api.register(commentRoutes, { prefix: '/:site' });
      await api.register(listRoutes, { prefix: '/:site' });
    },
    // CORS's preflight route must sit above `:site` (`/sites/*`), so routes take the site below.
    { prefix: `${API_PREFIX}/sites` },
  );

  await app.register(adminScope([adminSiteRoutes, adminCaptchaRoutes, adminListRoutes, adminCommentRoutes, adminPollRoutes]), { prefix: `${API_PREFIX}/admin` });

  // Server-to-server captcha verification: outside the per-site CORS scope (no browser calls it).
  await app.register(captchaVerifyRoutes, { prefix: `${API_PREFIX}/captcha` });

  await app.register(assets, { distDir: config.distDir, demoDir: config.demoDir });
  return app;
}
