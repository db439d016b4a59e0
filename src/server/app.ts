/**
 * `buildApp(options)`: the whole server as a Fastify instance, for `main.ts` and for tests
 * (`app.inject()`): the core plugin, then one plugin per feature, then the static files. It owns
 * nothing global: storage comes in, and closes with the app. `seedDemo()` runs each feature's seed.
 */
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
  type FastifyInstance,
  type FastifyServerOptions,
  type RouteOptions,
} from 'fastify';
import pino, {
  type Bindings,
  type ChildLoggerOptions,
  type DestinationStream,
  type Level,
  type Logger,
  type LoggerOptions,
} from 'pino';
import { assets } from './assets/index.js';
import { audit } from './audit/index.js';
import { auth } from './auth/index.js';
import { captcha } from './captcha/index.js';
import type { CaptchaHooks } from './captcha/service.js';
import { comments } from './comments/index.js';
import { seedDemoComments } from './comments/seed.js';
import { loadConfig, type ServerConfig } from './config.js';
import { BodyCapture, jsonBodies } from './core/body.js';
import { capConnectionsPerIp, timeoutOptions } from './core/connections.js';
import { core } from './core/index.js';
import type { ChangeBus } from './core/changes.js';
import { frameworkErrors } from './core/errors.js';
import { gallery } from './gallery/index.js';
import { seedGallery } from './gallery/seed.js';
import type { Storage } from './db/storage.js';
import { lists } from './lists/index.js';
import { seedDemoLists } from './lists/seed.js';
import { nojs } from './nojs/index.js';
import { notify } from './notify/index.js';
import { polls } from './polls/index.js';
import { seedDemoPoll } from './polls/seed.js';
import { sites } from './sites/index.js';
import { seedDemoSite } from './sites/seed.js';
import { visits } from './visits/index.js';

export interface AppOptions {
  storage: Storage;
  /** Overrides of the configuration (defaults: `loadConfig({})`). */
  config?: Partial<ServerConfig>;
  /** Fastify logger options; false (the default in tests) for none. */
  logger?: FastifyServerOptions['logger'];
  /** Clock for tests. */
  now?: () => number;
  /** Test seam: a change channel to use instead of the configured one (several apps in one process). */
  changes?: ChangeBus;
  /** Test-only seam (never set by main.ts, no env var): sees each captcha code's answer. */
  captchaHooks?: CaptchaHooks;
  /**
   * Test-only seam (never set by main.ts): sees each route as it is registered. Scopes complete
   * the same object later (the site parameter, error replies), so read it after `ready()`.
   */
  onRoute?: (route: RouteOptions) => void;
}

/**
 * Log serializers: method, path and status only. No IP, no query string (it may carry an
 * e-mail), no headers.
 */
export const logSerializers = {
  req: (req: { method: string; url: string; id?: string }) => ({
    id: req.id,
    method: req.method,
    path: req.url.split('?')[0],
  }),
  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
};

type LogMethod = (...args: unknown[]) => void;

/**
 * A request's logger that becomes pino's child logger (its bindings serialized, its redaction
 * set up: about 3 % of a small request's CPU) only when a line is written at an enabled level.
 * Most requests log nothing; a failing request's lines still carry its request id.
 */
export class LazyRequestLogger {
  private made?: FastifyBaseLogger;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  /** The child logger, made on first use. */
  get real(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.made?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real.level = level;
  }

  isLevelEnabled(level: string): boolean {
    return this.made
      ? (this.made as Logger).isLevelEnabled(level)
      : this.parent.isLevelEnabled(level);
  }

  private write(level: Level, args: unknown[]): void {
    // pino puts its no-op (`silent`) in place of each method below its level.
    if (this.made || this.parent[level] !== this.parent.silent)
      (this.real[level] as LogMethod).apply(this.real, args);
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }
}

/**
 * Fastify's `childLoggerFactory` for requests logged through `parent`: the request's logger made
 * lazily ({@link LazyRequestLogger}); a route with a log level of its own gets its child at once.
 */
export function lazyChildLogger(parent: Logger) {
  return function (
    this: FastifyInstance,
    _logger: FastifyBaseLogger,
    bindings: Bindings,
    options: ChildLoggerOptions,
  ): FastifyBaseLogger {
    if (options.level) return parent.child(bindings, options);
    return new LazyRequestLogger(parent, bindings, options) as unknown as FastifyBaseLogger;
  };
}

/**
 * Fastify's own log lines, without the two every request writes at `info` ("incoming request",
 * "request completed") unless `LOG_REQUESTS` is on. With them, a core answered half the visits
 * (19,900 → 9,900 a second, one returning session, wrk on the other core) and wrote about 300
 * bytes a request (180 MB an hour at 10,000 visits a minute). Stream errors, Fastify's lines of
 * a failing request and the error handler's (core/errors.ts) are written as before; a reverse
 * proxy's access log is the usual record of every request. Without LOG_REQUESTS, Fastify has no
 * logger of its own (see `buildApp`) and never calls `requestCompleted`: a response that emits an
 * error of its own (its socket failing) is not logged as "request errored".
 */
export class RequestLines extends LogController {
  constructor(private readonly everyRequest: boolean) {
    super();
  }

  override incomingRequest(request: FastifyRequest, reply: FastifyReply): void {
    if (this.everyRequest) super.incomingRequest(request, reply);
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error || this.everyRequest) super.requestCompleted(error, request, reply);
  }
}

/**
 * The app's pino logger (none for `logger: false` or unset): Fastify's serializers with ours over
 * them, e-mail and IP fields redacted.
 */
function makeLogger(options: AppOptions['logger'], level: string): Logger | undefined {
  if (options === undefined || options === false) return undefined;
  const { stream, ...rest } = {
    level,
    redact: ['*.email', '*.ip', 'email', 'ip'],
    ...(options === true ? {} : (options as LoggerOptions & { stream?: DestinationStream })),
  };
  return pino(
    {
      ...rest,
      serializers: { err: pino.stdSerializers.err, ...logSerializers, ...rest.serializers },
    },
    stream,
  );
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const config: ServerConfig = { ...loadConfig({}), ...options.config };
  const log = makeLogger(options.logger, config.logLevel);
  const timeouts = timeoutOptions(config);
  const app = Fastify({
    /*
     * Without LOG_REQUESTS, Fastify is given no logger of its own: it then sets no listeners on
     * each response to time and log it ("request completed"), 3–5 % of a small request's CPU
     * (returning visits, paired rounds). Each request still gets a logger (lazily made, below),
     * through which Fastify writes its lines of a failing request, and `app.log` is the same
     * pino logger. With LOG_REQUESTS, Fastify gets it and writes every request's two lines.
     */
    ...(log && config.logRequests && { loggerInstance: log as FastifyBaseLogger }),
    ...(log && {
      childLoggerFactory: lazyChildLogger(log),
      logController: new RequestLines(config.logRequests),
    }),
    trustProxy: config.trustProxy,
    bodyLimit: 16 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    return503OnClosing: true,
    frameworkErrors,
    // A comment thread is one encoded path segment (`%2Ftin-t%25E1%25BB%25A9c%2F1`): longer than the default 100.
    routerOptions: { maxParamLength: 2048 },
    ...timeouts,
    // JSON bodies handed over as Node receives them, not read back out of a stream (core/body.ts).
    http: { ...timeouts.http, IncomingMessage: BodyCapture },
  });
  if (log && !config.logRequests) app.log = log;
  jsonBodies(app);
  capConnectionsPerIp(app.server, config.maxConnectionsPerIp);
  if (options.onRoute) app.addHook('onRoute', options.onRoute);

  await app.register(core, {
    config,
    storage: options.storage,
    now: options.now,
    changes: options.changes,
  });
  await app.register(auth);
  await app.register(audit);
  await app.register(sites);
  await app.register(visits);
  await app.register(captcha, { hooks: options.captchaHooks });
  await app.register(polls);
  await app.register(comments);
  await app.register(lists);
  await app.register(notify);
  await app.register(nojs);
  // DEMO=off (production): neither the demo portal nor the gallery and its routes.
  if (config.demo) await app.register(gallery, { demoDir: config.demoDir });
  await app.register(assets, {
    distDir: config.distDir,
    demoDir: config.demo ? config.demoDir : undefined,
  });
  return app;
}

/**
 * The `demo` site that `npm start` shows and its content, and the gallery's sites, each part
 * created only when missing. `main.ts` runs it only with `DEMO=on`.
 */
export async function seedDemo(
  storage: Storage,
  config: Pick<ServerConfig, 'port' | 'demoOrigins'>,
): Promise<boolean> {
  const created = await seedDemoSite(storage, config);
  // Slogans and link lists of the demo page (an edited list is never overwritten).
  await seedDemoLists(storage);
  // The sidebar poll "Bạn đánh giá như thế nào về cổng thông tin này?".
  await seedDemoPoll(storage);
  // One approved readers' comment with the agency's reply under the demo article (only when none).
  await seedDemoComments(storage);
  // The gallery's sites and content (`/gallery/`: every widget in every state).
  await seedGallery(storage, config);
  return created;
}
