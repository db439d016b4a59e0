/**
 * `npm run bench:visits`: autocannon (this process) against POST …/visits of the real server
 * (its own process, SQLite file or DATABASE_URL) and, in the same run, against a bare Fastify
 * route (its own process). Prints req/s, the ratio, p99, and whether the stored total equals the
 * acknowledged (2xx, counted) visits after the flush on SIGTERM.
 * Each round sends a fixed number of requests (not a duration), so no request is still in flight
 * when autocannon stops and every acknowledged visit can be checked against the database.
 *   --requests 200000 per target per round   --connections 50   --rounds 1 (median taken)
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { openStorage } from '../src/server/storage/open.js';
import { freePort, startServer } from '../test/helpers/server-process.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '200000' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '1' },
  },
});
const amount = Number(values.requests);
const connections = Number(values.connections);
const rounds = Number(values.rounds);
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

interface Round {
  rps: number;
  p99: number;
  ok: number;
  other: number;
}

async function load(url: string, body: () => string, n = amount): Promise<Round> {
  const result = await autocannon({
    url,
    connections,
    amount: n,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': UA },
    requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
  });
  return { rps: result.requests.average, p99: result.latency.p99, ok: result['2xx'], other: result.non2xx + result.errors + result.timeouts };
}

async function startBare(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-server.ts'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return { url: `http://127.0.0.1:${port}/bare`, stop: () => child.kill('SIGTERM') };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), 'civic-bench-'));
const dbEnv: Record<string, string> = process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : { CIVIC_DB_FILE: join(dir, 'bench.db') };
const bare = await startBare();
process.on('exit', () => bare.stop());
const server = await startServer({ ...dbEnv, RATE_LIMIT_PER_MINUTE: '10000000' });
const visitsUrl = `${server.url}/api/v1/sites/demo/visits`;
const visitBody = () => JSON.stringify({ page: '/tin-tuc/123', session: randomUUID() });

const storage0 = await openStorage({ databaseUrl: process.env.DATABASE_URL, dbFile: dbEnv.CIVIC_DB_FILE });
const before = (await storage0.visitTotals('demo', '0000-00-00', '0000-00', new Date())).stored;
await storage0.close();

// Warm up both (JIT), then alternate rounds so both see the same machine state.
await autocannon({ url: bare.url, method: 'POST', duration: 2, connections, headers: { 'content-type': 'application/json' }, body: visitBody() });
const warm = await load(visitsUrl, visitBody, 20_000);
const bareRounds: Round[] = [];
const visitRounds: Round[] = [];
for (let i = 0; i < rounds; i++) {
  bareRounds.push(await load(bare.url, visitBody));
  visitRounds.push(await load(visitsUrl, visitBody));
}
bare.stop();

// Every visit POST had a fresh session, so every 2xx is an acknowledged, counted visit.
const acknowledged = warm.ok + visitRounds.reduce((n, r) => n + r.ok, 0);
const exitCode = await server.stop('SIGTERM');
const storage = await openStorage({ databaseUrl: process.env.DATABASE_URL, dbFile: dbEnv.CIVIC_DB_FILE });
const stored = (await storage.visitTotals('demo', '0000-00-00', '0000-00', new Date())).stored - before;
await storage.close();
rmSync(dir, { recursive: true, force: true });

const bareRps = median(bareRounds.map((r) => r.rps));
const visitRps = median(visitRounds.map((r) => r.rps));
const engine = process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite';
console.log(`\nvisits benchmark — ${connections} connections, ${amount} requests per target and round, ${rounds} round(s), ${engine}`);
console.log(`bare Fastify POST route   ${bareRps.toFixed(0).padStart(8)} req/s   p99 ${median(bareRounds.map((r) => r.p99))} ms`);
console.log(`POST /visits              ${visitRps.toFixed(0).padStart(8)} req/s   p99 ${median(visitRounds.map((r) => r.p99))} ms   non-2xx ${visitRounds.reduce((n, r) => n + r.other, 0)}`);
console.log(`ratio                     ${(visitRps / bareRps).toFixed(2)} (budget ≥ 0.50)`);
console.log(`acknowledged visits       ${acknowledged} (2xx of the warm-up and the rounds, each a new session)`);
console.log(`stored after SIGTERM      ${stored} — ${stored === acknowledged ? 'exact' : 'MISMATCH'}`);
console.log(`server exit code          ${exitCode}`);
if (stored !== acknowledged || exitCode !== 0) process.exitCode = 1;
