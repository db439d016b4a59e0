/**
 * `npm run bench:votes`: autocannon (this process) against POST …/polls/{poll}/votes of the real
 * server (its own process, SQLite file or DATABASE_URL) and, in the same run, against a bare
 * Fastify route (its own process). Prints votes/s, the ratio, p99, and checks the totals: the
 * votes stored (poll voters, option counters and vote rows) must equal the answers that said
 * `counted: true`, and every repeated vote (a retry with an already-used token) must count nothing.
 * Each vote is one database transaction written before the answer (no batching).
 *   --requests 50000 per target per round   --connections 50   --rounds 1 (median taken)
 */
import { randomBytes } from 'node:crypto';
import { Polls } from '../src/server/polls/service.js';
import { openStorage } from '../src/server/db/open.js';
import { startServer } from '../test/helpers/server-process.js';
import {
  benchDatabase,
  benchOptions,
  NO_RATE_LIMIT,
  load,
  printRounds,
  startBare,
  warm,
  type Round,
} from './lib.js';

const options = benchOptions(50_000);
const { amount, connections, rounds } = options;
/** One request in REPEAT_EVERY re-sends a vote already sent (a client retry). */
const REPEAT_EVERY = 10;
const OPTIONS = ['rat-tot', 'tot', 'binh-thuong', 'chua-tot'];

const db = benchDatabase();
const server = await startServer({ ...db.env, RATE_LIMIT_PER_MINUTE: NO_RATE_LIMIT });
const bare = await startBare();

// A poll of its own on the seeded demo site, without the per-IP ceiling (every vote comes from
// 127.0.0.1), and voter tokens signed with the key the server uses (it is in the database).
const pollId = `bench-${randomBytes(4).toString('hex')}`;
const setup = await openStorage(db.storage);
const polls = new Polls(setup);
await polls.store.create({
  site: 'demo',
  id: pollId,
  question: 'Bạn đánh giá như thế nào về cổng thông tin này?',
  options: OPTIONS.map((id) => ({ id, label: id })),
  multiple: false,
  maxChoices: 1,
  opensAt: null,
  closesAt: null,
  resultsVisibility: 'always',
  ipCeiling: 0,
  requireProof: false,
});
const total = amount * rounds + 5_000;
const tokens: string[] = [];
for (let i = 0; i < total; i++) tokens.push(await polls.issueToken('demo', pollId));
await setup.close();

const votesUrl = `${server.url}/api/v1/sites/demo/polls/${pollId}/votes`;
let sent = 0;
let next = 0;
const voteBody = () => {
  sent++;
  // Every REPEAT_EVERY-th request repeats an earlier token: the server must not count it again.
  const voter =
    sent % REPEAT_EVERY === 0 && next > 0 ? tokens[(sent * 7919) % next]! : tokens[next++]!;
  return JSON.stringify({ choices: [OPTIONS[sent % OPTIONS.length]], voter });
};
let counted = 0;
let repeats = 0;
const onResponse = (status: number, body: string) => {
  if (status !== 200) return;
  if (body.includes('"counted":true')) counted++;
  else if (body.includes('"counted":false')) repeats++;
};
const bareBody = JSON.stringify({ choices: ['tot'], voter: tokens[0] });

// Warm up both (JIT), then alternate rounds so both see the same machine state.
await warm(bare.url, connections, bareBody);
const warmUp = await load(votesUrl, voteBody, 5_000, connections, onResponse);
const bareRounds: Round[] = [];
const voteRounds: Round[] = [];
for (let i = 0; i < rounds; i++) {
  bareRounds.push(await load(bare.url, () => bareBody, amount, connections));
  voteRounds.push(await load(votesUrl, voteBody, amount, connections, onResponse));
}
bare.stop();
const exitCode = await server.stop('SIGTERM');

const storage = await openStorage(db.storage);
const poll = await new Polls(storage).store.get('demo', pollId);
const rows = await storage.db
  .selectFrom('poll_votes')
  .select((eb) => eb.fn.countAll<number | string>().as('n'))
  .where('site', '=', 'demo')
  .where('poll', '=', pollId)
  .executeTakeFirstOrThrow();
await storage.close();
db.cleanup();

const voters = poll?.voters ?? -1;
const optionSum = poll?.options.reduce((n, o) => n + o.votes, 0) ?? -1;
const voteRows = Number(rows.n);
const ok = warmUp.ok + voteRounds.reduce((n, r) => n + r.ok, 0);
const exact =
  voters === counted && optionSum === counted && voteRows === counted && counted + repeats === ok;

printRounds({
  title: 'votes',
  options,
  engine: db.engine,
  bare: bareRounds,
  target: voteRounds,
  label: 'POST /polls/{poll}/votes',
  unit: 'votes/s',
  failed: warmUp.other + voteRounds.reduce((n, r) => n + r.other, 0),
  ratioNote: 'each vote is a transaction written before the answer',
});
console.log(
  `answers "counted": true   ${counted}   repeats answered "counted": false ${repeats}   (2xx ${ok})`,
);
console.log(
  `stored                    voters ${voters}, option votes ${optionSum}, vote rows ${voteRows} — ${exact ? 'exact' : 'MISMATCH'}`,
);
console.log(`server exit code          ${exitCode}`);
if (!exact || exitCode !== 0) process.exitCode = 1;
