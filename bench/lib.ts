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
import { PERSON_UA } from '../test/helpers/browsers.mjs';
import { freePort } from '../test/helpers/server-process.js';

/** RATE_LIMIT_PER_MINUTE for a benchmark run: the configuration's maximum (one client sends everything). */
export const NO_RATE_LIMIT = '10000000';

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
    headers: { 'content-type': 'application/json', 'user-agent': PERSON_UA },
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

/**
 * The head of a write benchmark's report: the run, the bare route and the target (median rate
 * and p99 over the rounds), and the ratio of their rates.
 */
export function printRounds(report: {
  title: string;
  options: BenchOptions;
  engine: string;
  bare: Round[];
  /** The target's rounds, what it is (`POST /visits`) and its rate's unit (`req/s`). */
  target: Round[];
  label: string;
  unit: string;
  /** Non-2xx answers of the target to report. */
  failed: number;
  ratioNote: string;
}): void {
  const { options: o, bare, target } = report;
  const rate = (rounds: Round[]) => median(rounds.map((r) => r.rps));
  const row = (label: string, rounds: Round[], unit: string) => {
    const rps = rate(rounds).toFixed(0).padStart(8);
    return `${label.padEnd(26)}${rps} ${unit.padEnd(8)}p99 ${median(rounds.map((r) => r.p99))} ms`;
  };
  console.log(
    `\n${report.title} benchmark — ${o.connections} connections, ${o.amount} requests per target and round, ${o.rounds} round(s), ${report.engine}`,
  );
  console.log(row('bare Fastify POST route', bare, 'req/s'));
  console.log(`${row(report.label, target, report.unit)}   non-2xx ${report.failed}`);
  const ratio = rate(target) / rate(bare);
  console.log(`${'ratio'.padEnd(26)}${ratio.toFixed(2)} (${report.ratioNote})`);
}
