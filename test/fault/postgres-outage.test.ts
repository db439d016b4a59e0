/**
 * PostgreSQL goes away under load and comes back. The server reaches it through a TCP proxy the
 * test controls (the machine's PostgreSQL stays up): cut, every connection is reset and new ones
 * are refused. While it is away `/health/ready` is 503, `/health/live` 200, and every request that
 * needs the database gets a clear 503 `{error:{code,message}}`, never a 500, and the process
 * lives. Restored, the same process is ready again and writes succeed; nothing acknowledged is
 * lost (the visits acknowledged during the outage are written once it is back).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { POSTGRES, type TestEngine } from '../helpers/engines.js';
import {
  call,
  LOAD_ORIGIN,
  missingVotes,
  seedForLoad,
  powToken,
  startLoad,
  stored,
  TcpProxy,
} from '../helpers/fault.js';
import { startServer, type RunningServer } from '../helpers/server-process.js';

const FLUSH_MS = 200;
const COMMENTS = 8;

async function waitFor(what: string, check: () => Promise<boolean>, ms: number): Promise<number> {
  const start = Date.now();
  while (!(await check().catch(() => false))) {
    if (Date.now() - start > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - start;
}

test(
  'PostgreSQL cut off under load: 503s, no crash, recovery without a restart',
  {
    skip: POSTGRES.skip,
  },
  async () => {
    const db: TestEngine = await POSTGRES.create();
    const url = new URL(db.env.DATABASE_URL!);
    const proxy = await TcpProxy.start(url.hostname, Number(url.port || 5432));
    const servers: RunningServer[] = [];
    after(async () => {
      for (const s of servers) await s.stop('SIGKILL');
      await proxy.close();
      await db.drop();
    });
    const setup = await db.open();
    const { poll, option } = await seedForLoad(setup);
    const viaProxy = new URL(url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const server = await startServer(
      {
        DATABASE_URL: viaProxy.toString(),
        TRUST_PROXY: 'loopback',
        RATE_LIMIT_PER_MINUTE: '100000',
        FLUSH_INTERVAL_MS: String(FLUSH_MS),
      },
      { readyTimeoutMs: 60_000 },
    );
    servers.push(server);
    const base = server.url;
    const tokens: string[] = [];
    for (let i = 0; i < COMMENTS; i++) tokens.push(await powToken(base));
    const before = await stored(setup, poll.id);

    const load = startLoad(() => base, { poll: poll.id, option: option.id, tokens });
    await new Promise((r) => setTimeout(r, 1500));
    const up = structuredClone(load.log.statuses);

    proxy.cut();
    await new Promise((r) => setTimeout(r, 500));
    const ready = await call(base, 'GET', '/health/ready');
    const live = await call(base, 'GET', '/health/live');
    // From a page the demo site allows: it can read the Retry-After.
    const commentFrom = (site: string) =>
      call(
        base,
        'POST',
        `/api/v1/sites/${site}/threads/%2F/comments`,
        {
          name: 'Người đọc',
          email: 'doc-gia@example.gov.vn',
          content: 'Trong lúc mất cơ sở dữ liệu',
          captcha: 'p1.e30',
        },
        { origin: LOAD_ORIGIN },
      );
    const comment = await commentFrom('demo');
    // Past the site cache's 5 s: the site read before the outage still answers for CORS, and a
    // site never read is refused with the database's 503, not as a foreign origin.
    await new Promise((r) => setTimeout(r, 5500));
    const later = await commentFrom('demo');
    const unknown = await commentFrom('chua-doc');
    const alive = server.process.exitCode === null;

    proxy.restore();
    const recoveredIn = await waitFor(
      'ready again',
      async () => (await call(base, 'GET', '/health/ready')).status === 200,
      30_000,
    );
    const acknowledgedBefore = load.log.votes.length;
    await waitFor(
      'a vote after the outage',
      async () => load.log.votes.length > acknowledgedBefore,
      30_000,
    );
    await load.stop();
    const log = load.log;
    const lostVotes = await missingVotes(base, poll.id, log.votes);
    // A clean stop writes the visits still in memory.
    assert.equal(await server.stop('SIGTERM'), 0, server.output());
    const now = await stored(setup, poll.id);
    await setup.close();
    const lostComments = log.comments.filter((c) => !now.comments.has(c)).length;
    const storedVisits = now.visits - before.visits;

    console.log(
      `PostgreSQL cut off on ${base}: ready ${ready.status}, live ${live.status}, a comment ${comment.status} ${JSON.stringify(comment.body)}; ` +
        `503 codes ${JSON.stringify(log.unavailable)}; ready again ${recoveredIn} ms after the restore; ` +
        `acknowledged ${log.visits.length} visits (${storedVisits} stored), ${log.votes.length} votes (${lostVotes} lost), ` +
        `${log.comments.length} comments (${lostComments} lost); answers before the cut ${JSON.stringify(up)}, in all ${JSON.stringify(log.statuses)}`,
    );
    assert.equal(ready.status, 503);
    assert.equal(ready.body.error.code, 'not_ready');
    assert.equal(live.status, 200);
    assert.equal(comment.status, 503, JSON.stringify(comment.body));
    assert.equal(comment.body.error.code, 'database_unavailable');
    assert.ok(Number(comment.headers.get('retry-after')) > 0);
    assert.equal(comment.headers.get('access-control-allow-origin'), LOAD_ORIGIN);
    assert.equal(comment.headers.get('access-control-expose-headers'), 'Retry-After');
    assert.equal(later.status, 503, JSON.stringify(later.body));
    assert.equal(later.body.error.code, 'database_unavailable');
    assert.equal(later.headers.get('access-control-allow-origin'), LOAD_ORIGIN);
    assert.equal(later.headers.get('access-control-expose-headers'), 'Retry-After');
    assert.equal(unknown.status, 503, JSON.stringify(unknown.body));
    assert.equal(unknown.body.error.code, 'database_unavailable');
    assert.ok(alive, 'the server died during the outage');
    assert.deepEqual(log.bad, [], 'answers other than 503 in the error shape');
    assert.ok((log.unavailable.database_unavailable ?? 0) > 0, 'no 503 under load');
    assert.equal(lostVotes, 0, 'acknowledged votes lost');
    assert.equal(lostComments, 0, 'acknowledged comments lost');
    assert.ok(
      storedVisits >= log.visits.length,
      `visits lost: ${log.visits.length} acknowledged, ${storedVisits} stored`,
    );
  },
);
