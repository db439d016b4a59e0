/**
 * Shared by the benchmarks: command-line options, the database each run uses, the bare-Fastify
 * baseline process, and one autocannon round with a fixed number of requests (not a duration, so
 * nothing is in flight when it ends and every acknowledged write can be checked afterwards).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { freePort } from '../test/helpers/server-process.js';

/** RATE_LIMIT_PER_MINUTE for a benchmark run: the configuration's maximum (one client sends everything). */
export const NO_RATE_LIMIT = '10000000';

export const UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

export interface BenchOptions {
  /** Requests per target and round. */
  amount: number;
  connections: number;
  rounds: number;
}

/** `--requests N --connections N --rounds N`. */
export function benchOptions(defaultRequests: number): BenchOptions {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: String(defaultRequests) },
      connections: { type: 'string', default: '50' },
      rounds: { type: 'string', default: '1' },
    },
  });
  return {
    amount: Number(values.requests),
    connections: Number(values.connections),
    rounds: Number(values.rounds),
  };
}

export interface Round {
  rps: number;
  p99: number;
  /** 2xx answers. */
  ok: number;
  /** Non-2xx answers, errors and timeouts. */
  other: number;
}

/**
 * POSTs `n` JSON bodies from `body()` to `url` over `connections` connections. `onResponse`
 * sees every answer (e.g. to count the writes the server says it made).
 */
export async function load(
  url: string,
  body: () => string,
  n: number,
  connections: number,
  onResponse?: (status: number, body: string) => void,
): Promise<Round> {
  const result = await autocannon({
    url,
    connections,
    amount: n,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': UA },
    requests: [
      {
        setupRequest: (req) => ({ ...req, body: body() }),
        ...(onResponse
          ? { onResponse: (status: number, resBody: string) => onResponse(status, resBody) }
          : {}),
      },
    ],
  });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    ok: result['2xx'],
    other: result.non2xx + result.errors + result.timeouts,
  };
}

/** Warms a target up for `seconds` (JIT), results discarded. */
export async function warm(
  url: string,
  connections: number,
  body: string,
  seconds = 2,
): Promise<void> {
  await autocannon({
    url,
    method: 'POST',
    duration: seconds,
    connections,
    headers: { 'content-type': 'application/json' },
    body,
  });
}

/** The baseline: `bench/bare-server.ts` in its own process. */
export async function startBare(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-server.ts'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Never outlive the benchmark, even when it fails.
  process.once('exit', () => child.kill('SIGTERM'));
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return { url: `http://127.0.0.1:${port}/bare`, stop: () => child.kill('SIGTERM') };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** DATABASE_URL when set (PostgreSQL), else a SQLite file in a temporary folder. */
export function benchDatabase(): {
  env: Record<string, string>;
  storage: { databaseUrl?: string; dbFile?: string };
  engine: string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'civic-bench-'));
  const databaseUrl = process.env.DATABASE_URL;
  const dbFile = join(dir, 'bench.db');
  return {
    env: databaseUrl ? { DATABASE_URL: databaseUrl } : { CIVIC_DB_FILE: dbFile },
    storage: databaseUrl ? { databaseUrl } : { dbFile },
    engine: databaseUrl ? 'PostgreSQL' : 'SQLite',
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
