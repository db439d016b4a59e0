/**
 * Server configuration from environment variables, validated once at start.
 * Every problem is reported in one readable line; nothing starts with a bad setting.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { POW_BASE, POW_CEILING } from '../shared/captcha.js';
import { normalizeOrigin } from '../shared/origins.js';

/**
 * The package's own folder: this file is `src/server/config.ts` in a clone and
 * `dist/server/config.js` in an installed package, two levels down either way. The served files
 * are found from here, so `npx civic-widgets serve` works from any folder.
 */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerConfig {
  host: string;
  port: number;
  /** `postgres://…` selects PostgreSQL; unset means the embedded SQLite file. */
  databaseUrl?: string;
  dbFile: string;
  /** Fastify `trustProxy`: false, or the proxies' addresses/CIDRs (or `loopback`, `uniquelocal`…). */
  trustProxy: false | string[];
  adminToken?: string;
  logLevel: string;
  /**
   * Fastify's two lines per request ("incoming request", "request completed", at `info`);
   * off by default: errors and failed requests are logged either way.
   */
  logRequests: boolean;
  /** Requests per minute per IP prefix on the public API (visits, reads). */
  rateLimitPerMinute: number;
  /** How often batched visit increments are written (≤ 1000 ms). */
  flushIntervalMs: number;
  /**
   * `DEMO=on|off`: seed the `demo` site and the gallery's sites, and serve the demo portal and
   * `/gallery/`. Off by default (a production server); `npm start` in a clone turns it on.
   */
  demo: boolean;
  /** Built widgets (`dist/widgets/`) and demo portal (`demo/`) of this package, unless set. */
  distDir: string;
  demoDir: string;
  /** Extra origins allowed for the seeded `demo` site (besides this server's own). */
  demoOrigins: string[];
  /** `smtp://user:pass@host:587` or `smtps://…`: moderators' e-mails; unset means none are sent. */
  smtpUrl?: string;
  /** The notifications' sender, e.g. `Cổng thông tin <no-reply@example.gov.vn>` (required with SMTP_URL). */
  notifyFrom?: string;
  /** At most one e-mail per site per this many minutes. */
  notifyIntervalMinutes: number;
  /** This server's public address (`https://widgets.example.gov.vn`), for links in e-mails. */
  publicUrl?: string;
  /** Lets webhooks reach loopback and private addresses (tests, a closed network); off by default. */
  notifyAllowPrivate: boolean;
  /** A request (headers and body) must arrive within this many ms, or it gets 408 and the socket closes. */
  requestTimeoutMs: number;
  /** The request headers must arrive within this many ms (≤ requestTimeoutMs). */
  headersTimeoutMs: number;
  /** A socket with no traffic for this many ms is closed. */
  connectionTimeoutMs: number;
  /** An idle keep-alive socket is closed after this many ms. */
  keepAliveTimeoutMs: number;
  /** A keep-alive socket serves at most this many requests, then closes. */
  maxRequestsPerSocket: number;
  /** Open sockets per client IP prefix (IPv4 address, IPv6 /64); 0: no cap. */
  maxConnectionsPerIp: number;
  /** `CIVIC_SECRET`: the master secret of every server key (at least 32 characters). */
  secret?: string;
  /** `CIVIC_SECRET_FILE`: the key file used without CIVIC_SECRET (created when absent). */
  secretFile?: string;
  /** `CIVIC_SECRET_PREVIOUS`: the master secret before a rotation (verifies only). */
  secretPrevious?: string;
  /** Memory for remembered visit sessions without Redis; past it the least recent are forgotten. */
  visitSessionMemoryMb: number;
  /**
   * `redis://[:password@]host:6379[/db]` (or `rediss://`): state several instances share (visit
   * dedupe, presence, rate limits, change notices). Unset: kept in this process.
   */
  redisUrl?: string;
  /** Prefix of every Redis key and channel of this server (`civic:`), so that several share one Redis. */
  redisPrefix: string;
  /** Proof-of-work `maxnumber` of a network's first challenges in an hour (about 1 s in a browser). */
  powBase: number;
  /** The highest `maxnumber` the doubling reaches (about 10 s in a browser). */
  powCeiling: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function int(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
  errors: string[],
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    errors.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return n;
}

/** An on/off switch: `on`/`off` (also `true`/`false`, `yes`/`no`, `1`/`0`); unset: `fallback`. */
function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean, errors: string[]): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['on', 'true', 'yes', '1'].includes(raw)) return true;
  if (['off', 'false', 'no', '0'].includes(raw)) return false;
  errors.push(`${name} must be on or off (got "${env[name]}")`);
  return fallback;
}

function origins(raw: string | undefined, name: string, errors: string[]): string[] {
  if (!raw) return [];
  const out: string[] = [];
  for (const item of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const normalized = normalizeOrigin(item);
    if (normalized) out.push(normalized);
    else errors.push(`${name}: "${item}" is not an http(s) origin like https://example.gov.vn`);
  }
  return out;
}

function smtpUrl(raw: string | undefined, errors: string[]): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    if ((url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname) return raw;
  } catch {
    // reported below
  }
  // Never echo the value: it may hold the SMTP password.
  errors.push('SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465');
  return undefined;
}

function publicUrl(raw: string | undefined, errors: string[]): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    if (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      !url.search &&
      !url.hash &&
      !url.username &&
      !url.password
    )
      return url.href.replace(/\/+$/, '');
  } catch {
    // reported below
  }
  errors.push(`PUBLIC_URL must be an http(s) address like https://widgets.example.gov.vn`);
  return undefined;
}

function redisUrl(raw: string | undefined, errors: string[]): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    if ((url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname) return raw;
  } catch {
    // reported below
  }
  // Never echo the value: it may hold the Redis password.
  errors.push(
    'REDIS_URL must look like redis://host:6379, redis://:password@host:6379/0 or rediss://…',
  );
  return undefined;
}

function trustProxy(raw: string | undefined, errors: string[]): ServerConfig['trustProxy'] {
  if (!raw || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || /^\d+$/.test(raw)) {
    errors.push(
      'TRUST_PROXY must name the proxies (e.g. 10.0.0.5 or loopback): trusting any peer or a hop count lets clients forge X-Forwarded-For',
    );
    return false;
  }
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of list) {
    if (!/^([0-9a-fA-F:.]+(\/\d{1,3})?|loopback|linklocal|uniquelocal)$/.test(item))
      errors.push(
        `TRUST_PROXY: "${item}" is not an IP address, CIDR, loopback, linklocal or uniquelocal`,
      );
  }
  return list;
}

/**
 * The server's own origin, which the admin gate and CORS compare `Origin` with: `PUBLIC_URL`'s,
 * else `http://localhost:<PORT>` (development; `main.ts` warns when it runs in production so). Never
 * taken from the request's `Host`, which a client chooses (DNS rebinding, a forged header).
 */
export function serverOrigin(config: Pick<ServerConfig, 'publicUrl' | 'port'>): string {
  return config.publicUrl ? new URL(config.publicUrl).origin : `http://localhost:${config.port}`;
}

/** Reads and validates the configuration; throws one ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const errors: string[] = [];
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    errors.push(
      'DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite file)',
    );
  }
  const adminToken = env.ADMIN_TOKEN || undefined;
  if (adminToken && adminToken.length < 24)
    errors.push('ADMIN_TOKEN must be at least 24 characters');
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel))
    errors.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const config: ServerConfig = {
    host: env.HOST || '0.0.0.0',
    port: int(env, 'PORT', 8080, 0, 65535, errors),
    databaseUrl,
    dbFile: env.CIVIC_DB_FILE || './data/civic.db',
    trustProxy: trustProxy(env.TRUST_PROXY, errors),
    adminToken,
    logLevel,
    logRequests: onOff(env, 'LOG_REQUESTS', false, errors),
    rateLimitPerMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 600, 1, 10_000_000, errors),
    flushIntervalMs: int(env, 'FLUSH_INTERVAL_MS', 1000, 10, 1000, errors),
    demo: onOff(env, 'DEMO', false, errors),
    distDir: env.CIVIC_DIST_DIR || join(PACKAGE_ROOT, 'dist', 'widgets'),
    demoDir: env.CIVIC_DEMO_DIR || join(PACKAGE_ROOT, 'demo'),
    demoOrigins: origins(env.DEMO_ORIGINS, 'DEMO_ORIGINS', errors),
    smtpUrl: smtpUrl(env.SMTP_URL, errors),
    notifyFrom: env.NOTIFY_FROM?.trim() || undefined,
    notifyIntervalMinutes: int(env, 'NOTIFY_INTERVAL_MINUTES', 15, 1, 1440, errors),
    publicUrl: publicUrl(env.PUBLIC_URL, errors),
    notifyAllowPrivate: /^(1|true|yes)$/i.test(env.NOTIFY_ALLOW_PRIVATE_WEBHOOKS ?? ''),
    secret: env.CIVIC_SECRET || undefined,
    secretFile: env.CIVIC_SECRET_FILE || undefined,
    secretPrevious: env.CIVIC_SECRET_PREVIOUS || undefined,
    visitSessionMemoryMb: int(env, 'VISIT_SESSION_MEMORY_MB', 256, 1, 65_536, errors),
    requestTimeoutMs: int(env, 'REQUEST_TIMEOUT_MS', 20_000, 1000, 600_000, errors),
    headersTimeoutMs: int(env, 'HEADERS_TIMEOUT_MS', 10_000, 1000, 600_000, errors),
    connectionTimeoutMs: int(env, 'CONNECTION_TIMEOUT_MS', 30_000, 1000, 600_000, errors),
    keepAliveTimeoutMs: int(env, 'KEEP_ALIVE_TIMEOUT_MS', 10_000, 1000, 600_000, errors),
    maxRequestsPerSocket: int(env, 'MAX_REQUESTS_PER_SOCKET', 1000, 1, 1_000_000, errors),
    // Behind a proxy every socket comes from the proxy: no cap unless one is set.
    maxConnectionsPerIp: int(
      env,
      'MAX_CONNECTIONS_PER_IP',
      env.TRUST_PROXY && !/^(false|0)$/.test(env.TRUST_PROXY) ? 0 : 500,
      0,
      1_000_000,
      errors,
    ),
    redisUrl: redisUrl(env.REDIS_URL, errors),
    redisPrefix: env.REDIS_PREFIX ?? 'civic:',
    powBase: int(env, 'CAPTCHA_POW_BASE', POW_BASE, 1_000, 100_000_000, errors),
    powCeiling: int(env, 'CAPTCHA_POW_CEILING', POW_CEILING, 1_000, 100_000_000, errors),
  };
  if (!/^[A-Za-z0-9_.:-]{0,64}$/.test(config.redisPrefix))
    errors.push('REDIS_PREFIX may hold up to 64 letters, digits and _ . : - (e.g. civic:)');
  // Never echo a secret's value.
  if (config.secret !== undefined && config.secret.length < 32)
    errors.push('CIVIC_SECRET must be at least 32 characters (e.g. openssl rand -hex 32)');
  if (config.secretPrevious !== undefined && config.secretPrevious.length < 32)
    errors.push('CIVIC_SECRET_PREVIOUS must be at least 32 characters');
  if (config.headersTimeoutMs > config.requestTimeoutMs)
    errors.push('HEADERS_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS');
  if (config.powCeiling < config.powBase)
    errors.push('CAPTCHA_POW_CEILING must be at least CAPTCHA_POW_BASE');
  if (config.smtpUrl && !config.notifyFrom)
    errors.push(
      'NOTIFY_FROM must name the sender when SMTP_URL is set (e.g. no-reply@example.gov.vn)',
    );
  if (config.notifyFrom && /[\r\n]/.test(config.notifyFrom))
    errors.push('NOTIFY_FROM must be one line');
  if (errors.length) throw new ConfigError(`Invalid configuration:\n  - ${errors.join('\n  - ')}`);
  return config;
}
