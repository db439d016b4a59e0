/**
 * `kill -9` of the server under a load of visits, votes and comments, on a SQLite file and on
 * PostgreSQL: after a restart on the same database every acknowledged vote and comment is there,
 * and the visits are short by no more than what one flush interval (plus the write in flight)
 * held in memory. The test prints what was lost.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ENGINES, type TestEngine } from '../helpers/engines.js';
import {
  missingVotes,
  seedForLoad,
  powToken,
  startLoad,
  stored,
  type LoadLog,
} from '../helpers/fault.js';
import { startServer, type RunningServer } from '../helpers/server-process.js';

const FLUSH_MS = 1000;
/** How long the load runs before the kill. */
const LOAD_MS = 4000;
const COMMENTS = 8;
const ADMIN_TOKEN = 'fault-admin-token-0123456789abcdef';

for (const engine of ENGINES) {
  test(
    `kill -9 under load on ${engine.name}: every acknowledged vote and comment survives`,
    {
      skip: engine.skip,
    },
    async () => {
      const db: TestEngine = await engine.create();
      const servers: RunningServer[] = [];
      after(async () => {
        for (const s of servers) await s.stop('SIGKILL');
        await db.drop();
      });
      const setup = await db.open();
      const { poll, option } = await seedForLoad(setup);
      const env = {
        ...db.env,
        ADMIN_TOKEN,
        TRUST_PROXY: 'loopback',
        RATE_LIMIT_PER_MINUTE: '100000',
        FLUSH_INTERVAL_MS: String(FLUSH_MS),
      };
      let server = await startServer(env, { readyTimeoutMs: 60_000 });
      servers.push(server);
      const tokens: string[] = [];
      for (let i = 0; i < COMMENTS; i++) tokens.push(await powToken(server.url));
      const before = await stored(setup, poll.id);

      const load = startLoad(() => server.url, { poll: poll.id, option: option.id, tokens });
      await new Promise((r) => setTimeout(r, LOAD_MS));
      const killedAt = Date.now();
      await server.stop('SIGKILL');
      await load.stop();
      const log: LoadLog = load.log;

      server = await startServer(env, { readyTimeoutMs: 60_000 });
      servers.push(server);
      const now = await stored(setup, poll.id);
      await setup.close();

      const lostComments = log.comments.filter((c) => !now.comments.has(c)).length;
      const lostVotes = await missingVotes(server.url, poll.id, log.votes);
      const storedVisits = now.visits - before.visits;
      const lostVisits = log.visits.length - storedVisits;
      // The visits acknowledged in the last flush interval before the kill, and in the one before
      // (the batch whose write may have been in flight).
      const within = (ms: number) => log.visits.filter((t) => t > killedAt - ms).length;
      const span = lostVisits > 0 ? killedAt - log.visits[log.visits.length - lostVisits]! : 0;
      console.log(
        `kill -9 on ${engine.name}: acknowledged ${log.visits.length} visits, ${log.votes.length} votes, ${log.comments.length} comments; ` +
          `lost ${lostVisits} visits (acknowledged in the last ${span} ms; ${within(FLUSH_MS)} were in the last flush interval of ${FLUSH_MS} ms), ` +
          `${lostVotes} votes, ${lostComments} comments; answers ${JSON.stringify(log.statuses)}`,
      );
      assert.ok(
        log.visits.length > 0 && log.votes.length > 0 && log.comments.length > 0,
        'load ran',
      );
      assert.deepEqual(log.bad, [], 'no 5xx before the kill');
      assert.equal(lostVotes, 0, 'acknowledged votes lost');
      assert.equal(lostComments, 0, 'acknowledged comments lost');
      assert.ok(lostVisits >= 0, `more visits stored (${storedVisits}) than acknowledged`);
      assert.ok(
        lostVisits <= within(2 * FLUSH_MS),
        `lost ${lostVisits} visits: more than the last two flush intervals held (${within(2 * FLUSH_MS)})`,
      );
    },
  );
}
