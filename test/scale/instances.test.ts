/**
 * Several instances: two real server processes (src/server/main.ts), started together on a fresh
 * PostgreSQL database and one Redis (keys under a prefix of this run, deleted afterwards), behind
 * no load balancer: the test spreads its requests over both itself. Every client address is its
 * own (`X-Forwarded-For` from loopback, `TRUST_PROXY=loopback`) unless a test means one client.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { COMMENT_POSTS_PER_MINUTE } from '../../src/server/comments/routes.js';
import type { PowChallenge } from '../../src/shared/captcha.js';
import type { PollView } from '../../src/shared/polls.js';
import { BROWSER_UA, sessionId } from '../helpers/app.js';
import { createTestDatabase, POSTGRES_ADMIN_URL, type TestDatabase } from '../helpers/pg.js';
import { solvePow } from '../helpers/pow.js';
import {
  dropPrefix,
  REDIS_SKIP,
  REDIS_URL,
  testPrefix,
  warnRedisSkipped,
} from '../helpers/redis.js';
import { startServer, type RunningServer } from '../helpers/server-process.js';

const skip = REDIS_SKIP || (POSTGRES_ADMIN_URL ? false : 'set TEST_DATABASE_URL=postgres://…');
/** Public API requests per minute per client, on each instance. */
const LIMIT = 25;
const SITE = 'demo';
const POLL = 'danh-gia-cong-thong-tin';
/** The demo site's legacy offset (sites/seed.ts). */
const OFFSET = 414428;

let ipCounter = 0;
/** A client address of its own: 10.x.y.z. */
const freshIp = () => {
  ipCounter++;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};

interface Reply {
  status: number;
  body: Record<string, unknown> & { error?: { code: string } };
  headers: Headers;
}

/** A public API request to `server` as a browser at `ip` would send it. */
async function call(
  server: RunningServer,
  method: 'GET' | 'POST',
  path: string,
  { ip = freshIp(), body }: { ip?: string; body?: unknown } = {},
): Promise<Reply> {
  const res = await fetch(`${server.url}/api/v1/sites/${SITE}${path}`, {
    method,
    headers: {
      'user-agent': BROWSER_UA,
      'x-forwarded-for': ip,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Reply['body'], headers: res.headers };
}

const visit = (server: RunningServer, session = sessionId(), ip?: string) =>
  call(server, 'POST', '/visits', { ip, body: { page: '/', session } });

describe('two instances on PostgreSQL and Redis', { skip }, () => {
  const prefix = testPrefix();
  let db: TestDatabase;
  let sql: pg.Client;
  let a: RunningServer;
  let b: RunningServer;
  const both = () => [a, b];

  /** Stored visits of the demo site, straight from the database. */
  const storedVisits = async () =>
    Number(
      (
        await sql.query(`select coalesce(sum(count), 0) as n from visit_days where site = $1`, [
          SITE,
        ])
      ).rows[0].n,
    );
  /** Waits until the stored visits reach `expected` (the flushes run every 100 ms), then checks they stay. */
  const settledVisits = async (expected: number) => {
    const deadline = Date.now() + 10_000;
    let n = await storedVisits();
    while (n < expected && Date.now() < deadline) {
      await sleep(50);
      n = await storedVisits();
    }
    await sleep(400); // several more flushes of both: nothing counted twice arrives late
    return storedVisits();
  };

  before(async () => {
    db = (await createTestDatabase())!;
    sql = new pg.Client({ connectionString: db.url });
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: REDIS_URL!,
      REDIS_PREFIX: prefix,
      TRUST_PROXY: 'loopback',
      RATE_LIMIT_PER_MINUTE: String(LIMIT),
      FLUSH_INTERVAL_MS: '100',
    };
    // Started together on the empty database: both migrate (one waits for the other's lock).
    [a, b] = await Promise.all([
      startServer(env, { readyTimeoutMs: 60_000 }),
      startServer(env, { readyTimeoutMs: 60_000 }),
    ]);
    await sql.connect();
  });
  after(async () => {
    for (const server of [a, b]) {
      const code = await server?.stop();
      assert.equal(code, 0, server?.output());
    }
    await sql?.end();
    await db?.drop();
    await dropPrefix(prefix);
  });

  it('started together on a fresh database: migrated once, both ready', async () => {
    const { rows } = await sql.query(
      'select name, count(*)::int as n from kysely_migration group by name',
    );
    assert.ok(rows.length >= 9);
    assert.ok(rows.every((r: { n: number }) => r.n === 1));
    for (const server of both()) {
      const ready = await fetch(`${server.url}/health/ready`);
      assert.deepEqual(await ready.json(), {
        status: 'ok',
        database: 'postgres',
        shared: 'redis',
      });
    }
  });

  it('counts visits spread over both exactly', async () => {
    const before = await storedVisits();
    const N = 400;
    const replies: Reply[] = [];
    for (let i = 0; i < N; i += 50)
      replies.push(
        ...(await Promise.all(Array.from({ length: 50 }, (_, j) => visit((i + j) % 2 ? a : b)))),
      );
    assert.deepEqual(
      replies.map((r) => r.status),
      Array(N).fill(200),
    );
    assert.equal(replies.filter((r) => r.body.counted === true).length, N);
    assert.equal(await settledVisits(before + N), before + N);
    for (const server of both()) {
      const figures = await call(server, 'GET', '/visits');
      assert.equal(figures.body.total, OFFSET + before + N);
    }
  });

  it('counts one session visiting both once, also when it reaches both at once', async () => {
    const before = await storedVisits();
    const sessions = Array.from({ length: 40 }, () => sessionId());
    const together = await Promise.all(sessions.flatMap((s) => [visit(a, s), visit(b, s)]));
    assert.ok(together.every((r) => r.status === 200));
    assert.equal(together.filter((r) => r.body.counted === true).length, sessions.length);
    for (const s of sessions.slice(0, 10)) {
      assert.equal((await visit(a, s)).body.counted, false);
      assert.equal((await visit(b, s)).body.counted, false);
    }
    const one = sessionId();
    assert.equal((await visit(a, one)).body.counted, true);
    const second = await visit(b, one);
    assert.equal(second.body.counted, false, 'the other instance knows the session');
    assert.ok(Number(second.body.online) >= sessions.length + 1, 'and sees it online');
    assert.equal(await settledVisits(before + sessions.length + 1), before + sessions.length + 1);
  });

  it('counts votes spread over both exactly; a repeat on the other instance counts nothing', async () => {
    const start = (await call(a, 'GET', `/polls/${POLL}`)).body as unknown as PollView;
    const options = start.options.map((o) => o.id);
    const tally = (view: PollView) =>
      Object.fromEntries(view.results!.options.map((o) => [o.id, o.votes]));
    const expected = tally(start);
    const N = 120;
    const voters = await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        const issued = await call(i % 2 ? a : b, 'POST', `/polls/${POLL}/voters`, { body: {} });
        assert.equal(issued.status, 201);
        return issued.body.voterToken as string;
      }),
    );
    const votes = await Promise.all(
      voters.map((voter, i) => {
        const choice = options[i % options.length]!;
        expected[choice]! += 1;
        return call(i % 2 ? b : a, 'POST', `/polls/${POLL}/votes`, {
          body: { choices: [choice], voter },
        });
      }),
    );
    assert.deepEqual(
      votes.map((v) => v.status),
      Array(N).fill(200),
    );
    assert.ok(votes.every((v) => v.body.counted === true));
    const repeats = await Promise.all(
      voters.slice(0, 20).map((voter, i) =>
        call(i % 2 ? a : b, 'POST', `/polls/${POLL}/votes`, {
          body: { choices: [options[0]], voter },
        }),
      ),
    );
    assert.ok(repeats.every((r) => r.status === 200 && r.body.counted === false));
    for (const server of both()) {
      const view = (await call(server, 'GET', `/polls/${POLL}`)).body as unknown as PollView;
      assert.deepEqual(tally(view), expected);
      assert.equal(view.results!.voters, start.results!.voters + N);
    }
  });

  it('shows a vote on one instance in the next read on the other', async () => {
    for (let i = 0; i < 10; i++) {
      const [writer, reader] = i % 2 ? [a, b] : [b, a];
      const voter = (await call(writer, 'POST', `/polls/${POLL}/voters`, { body: {} })).body
        .voterToken as string;
      const before = (await call(reader, 'GET', `/polls/${POLL}`)).body as unknown as PollView;
      const vote = await call(writer, 'POST', `/polls/${POLL}/votes`, {
        body: { choices: ['tot'], voter },
      });
      assert.equal(vote.status, 200);
      const afterRead = (await call(reader, 'GET', `/polls/${POLL}`)).body as unknown as PollView;
      const votesFor = (v: PollView) => v.results!.options.find((o) => o.id === 'tot')!.votes;
      assert.equal(votesFor(afterRead), votesFor(before) + 1);
      assert.equal(afterRead.results!.voters, before.results!.voters + 1);
    }
  });

  it('accepts a captcha proof used on both at once exactly once', async () => {
    for (let round = 0; round < 4; round++) {
      const issued = await call(round % 2 ? a : b, 'POST', '/captcha', {
        body: { action: 'comment' },
      });
      assert.equal(issued.status, 200);
      const token = solvePow(issued.body.pow as PowChallenge);
      const comment = {
        name: 'Nguyễn Văn A',
        email: 'a@example.vn',
        content: `Ý kiến ${round}`,
        captcha: token,
      };
      const thread = encodeURIComponent('/tin-tuc/nhieu-may-chu');
      const posts = await Promise.all(
        both().map((server) =>
          call(server, 'POST', `/threads/${thread}/comments`, { body: comment }),
        ),
      );
      const accepted = posts.filter((p) => p.status === 201 || p.status === 202);
      const refused = posts.filter((p) => p.status === 400);
      assert.equal(accepted.length, 1, JSON.stringify(posts.map((p) => p.body)));
      assert.equal(refused[0]?.body.error?.code, 'captcha_used');
    }
    const { rows } = await sql.query(
      `select count(*)::int as n from comments where site = $1 and thread = $2`,
      [SITE, '/tin-tuc/nhieu-may-chu'],
    );
    assert.equal(rows[0].n, 4);
  });

  it(`lets exactly ${LIMIT} requests a minute of one client through across both`, async () => {
    const ip = freshIp();
    const replies = await Promise.all(
      Array.from({ length: 2 * LIMIT + 10 }, (_, i) =>
        call(i % 2 ? a : b, 'GET', '/visits', { ip }),
      ),
    );
    const codes = replies.map((r) => r.status);
    assert.equal(codes.filter((c) => c === 200).length, LIMIT, codes.join(' '));
    assert.equal(codes.filter((c) => c === 429).length, LIMIT + 10);
    const limited = replies.find((r) => r.status === 429)!;
    assert.equal(limited.body.error?.code, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    // Another client is not affected.
    assert.equal((await call(a, 'GET', '/visits')).status, 200);
  });

  it(`keeps a route's own limit across both (comment posts: ${COMMENT_POSTS_PER_MINUTE} a minute)`, async () => {
    const ip = freshIp();
    const thread = encodeURIComponent('/tin-tuc/gioi-han');
    // Without a captcha each post is refused (400), but it is counted by the limit first.
    const replies = await Promise.all(
      Array.from({ length: 4 * COMMENT_POSTS_PER_MINUTE }, (_, i) =>
        call(i % 2 ? a : b, 'POST', `/threads/${thread}/comments`, {
          ip,
          body: { name: 'A', email: 'a@example.vn', content: 'x' },
        }),
      ),
    );
    const codes = replies.map((r) => r.status);
    assert.equal(codes.filter((c) => c === 400).length, COMMENT_POSTS_PER_MINUTE, codes.join(' '));
    assert.equal(codes.filter((c) => c === 429).length, 3 * COMMENT_POSTS_PER_MINUTE);
  });
});

warnRedisSkipped();
