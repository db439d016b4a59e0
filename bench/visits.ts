/**
 * `npm run bench:visits`: autocannon (this process) against POST …/visits of the real server
 * (its own process, SQLite file or DATABASE_URL) and, in the same run, against a bare Fastify
 * route (its own process). Prints req/s, the ratio, p99, and whether the stored total equals the
 * acknowledged (2xx, counted) visits after the flush on SIGTERM.
 * Each round sends a fixed number of requests (not a duration), so no request is still in flight
 * when autocannon stops and every acknowledged visit can be checked against the database.
 *   --requests 200000 per target per round   --connections 50   --rounds 1 (median taken)
 */
import { randomUUID } from 'node:crypto';
import { openStorage } from '../src/server/db/open.js';
import { startServer } from '../test/helpers/server-process.js';
import {
  benchDatabase,
  benchOptions,
  NO_RATE_LIMIT,
  load as loadRound,
  printRounds,
  startBare,
  warm as warmUp,
  type Round,
} from './lib.js';

const options = benchOptions(200_000);
const { amount, connections, rounds } = options;
const load = (url: string, body: () => string, n = amount): Promise<Round> =>
  loadRound(url, body, n, connections);

const db = benchDatabase();
const bare = await startBare();
const server = await startServer({ ...db.env, RATE_LIMIT_PER_MINUTE: NO_RATE_LIMIT });
const visitsUrl = `${server.url}/api/v1/sites/demo/visits`;
const visitBody = () => JSON.stringify({ page: '/tin-tuc/123', session: randomUUID() });

const storage0 = await openStorage(db.storage);
const before = (await storage0.visitTotals('demo', '0000-00-00', '0000-00')).stored;
await storage0.close();

// Warm up both (JIT), then alternate rounds so both see the same machine state.
await warmUp(bare.url, connections, visitBody());
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
const storage = await openStorage(db.storage);
const stored = (await storage.visitTotals('demo', '0000-00-00', '0000-00')).stored - before;
await storage.close();
db.cleanup();

printRounds({
  title: 'visits',
  options,
  engine: db.engine,
  bare: bareRounds,
  target: visitRounds,
  label: 'POST /visits',
  unit: 'req/s',
  failed: visitRounds.reduce((n, r) => n + r.other, 0),
  ratioNote: 'budget ≥ 0.50',
});
console.log(
  `acknowledged visits       ${acknowledged} (2xx of the warm-up and the rounds, each a new session)`,
);
console.log(
  `stored after SIGTERM      ${stored} — ${stored === acknowledged ? 'exact' : 'MISMATCH'}`,
);
console.log(`server exit code          ${exitCode}`);
if (stored !== acknowledged || exitCode !== 0) process.exitCode = 1;
