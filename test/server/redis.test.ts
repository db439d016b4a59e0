/**
 * The server with `REDIS_URL`: two apps on one PostgreSQL database and one real Redis share the
 * visit dedupe, presence and rate limits; Redis going away gives 503s (never a crash) and coming
 * back heals by itself; instances migrating a fresh database at once are safe.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { SharedRateCounter } from '../../src/server/core/rates.js';
import { openSharedState } from '../../src/server/core/shared-state.js';
import { openStorage } from '../../src/server/db/open.js';
import type { Storage } from '../../src/server/db/storage.js';
import {
  ADMIN_TOKEN,
  adminClient,
  DEMO_ORIGIN,
  postVisit,
  seedTestSite,
  sessionId,
  storedSessions,
  testApp,
} from '../helpers/app.js';
import { POSTGRES, SQLITE, type TestEngine } from '../helpers/engines.js';
import { createTestDatabase } from '../helpers/pg.js';
import {
  dropPrefix,
  keysUnder,
  REDIS_SKIP,
  REDIS_URL,
  redisClient,
  testPrefix,
  warnRedisSkipped,
} from '../helpers/redis.js';
import { tcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const skip = REDIS_SKIP || POSTGRES.skip;

describe('two instances on PostgreSQL and Redis', { skip }, () => {
  const prefix = testPrefix();
  let engine: TestEngine;
  const storages: Storage[] = [];
  let a: FastifyInstance;
  let b: FastifyInstance;
  const config = {
    redisUrl: REDIS_URL,
    redisPrefix: prefix,
    rateLimitPerMinute: 7,
    adminToken: ADMIN_TOKEN,
  };

  before(async () => {
    engine = await POSTGRES.create();
    for (let i = 0; i < 2; i++) storages.push(await engine.open());
    await seedTestSite(storages[0]!);
    a = await testApp(storages[0]!, { config });
    b = await testApp(storages[1]!, { config });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await engine?.drop();
    await dropPrefix(prefix);
  });

  it('counts a session once across both, even when it reaches both at once', async () => {
    const session = sessionId();
    const ip = '198.51.100.1';
    const [x, y] = await Promise.all([
      postVisit(a, { ip, body: { page: '/', session } }),
      postVisit(b, { ip, body: { page: '/', session } }),
    ]);
    assert.equal(x.statusCode, 200);
    assert.equal(y.statusCode, 200);
    assert.equal([x.json().counted, y.json().counted].filter(Boolean).length, 1);
    const again = await postVisit(a, { ip, body: { page: '/2', session } });
    assert.equal(again.json().counted, false);
    await a.visits.flush();
    await b.visits.flush();
    // Dedupe and presence are Redis's: no session is written to PostgreSQL.
    const rows = await storedSessions(storages[0]!, new Date(0));
    assert.equal(rows.includes(session), false, 'no session row');
    const totals = await storages[0]!.visitTotals('t1', '0000-00-00', '0000-00');
    assert.equal(totals.stored, 1);
    // Presence is one figure for both: the session is online on each.
    const online = (app: FastifyInstance) =>
      app.inject({ url: '/api/v1/sites/t1/visits', remoteAddress: '198.51.100.2' });
    assert.equal((await online(a)).json().online, 1);
    assert.equal((await online(b)).json().online, 1);
  });

  it('lets exactly the per-minute limit through across both', async () => {
    const ip = '198.51.100.3';
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).inject({
          url: '/api/v1/sites/t1/visits',
          remoteAddress: ip,
          headers: { origin: DEMO_ORIGIN },
        }),
      ),
    );
    const codes = replies.map((r) => r.statusCode);
    assert.equal(codes.filter((c) => c === 200).length, 7, codes.join(' '));
    assert.equal(codes.filter((c) => c === 429).length, 13);
    const limited = replies.find((r) => r.statusCode === 429)!;
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal(limited.headers['x-ratelimit-limit'], '7');
    assert.equal(limited.headers['access-control-allow-origin'], DEMO_ORIGIN);
    assert.equal(limited.headers['access-control-expose-headers'], 'Retry-After');
    // As without Redis, the limit's headers go on the 429 only.
    for (const r of replies.filter((r) => r.statusCode === 200))
      assert.deepEqual(
        Object.keys(r.headers).filter((h) => /^x-ratelimit|^access-control-expose/.test(h)),
        [],
      );
  });

  it('drops the cached site on the other instance when one edits it', async () => {
    const figures = (app: FastifyInstance) =>
      app.inject({ url: '/api/v1/sites/t1/visits', remoteAddress: '198.51.100.4' });
    assert.equal((await figures(b)).json().total, 1001, 'b has read (and cached) the site');
    const put = await adminClient(a)('PUT', '/sites/t1', {
      name: 'Test portal',
      origins: [],
      legacyOffset: 5000,
    });
    assert.equal(put.statusCode, 200);
    // The notice reaches b through Redis a moment after a's answer (well within the 5 s the
    // site cache would otherwise keep the old offset).
    const deadline = Date.now() + 1_000;
    let total = 0;
    while (Date.now() < deadline && total !== 5001) {
      total = (await figures(b)).json().total;
      if (total !== 5001) await sleep(5);
    }
    assert.equal(total, 5001);
  });
});

describe('Redis going away and coming back', { skip: REDIS_SKIP }, () => {
  const prefix = testPrefix();
  let engine: TestEngine;
  let proxy: TcpProxy;
  let app: FastifyInstance;

  before(async () => {
    const redis = new URL(REDIS_URL!);
    proxy = await tcpProxy(redis.hostname, Number(redis.port || 6379));
    engine = await SQLITE.create();
    const storage = await engine.open();
    await seedTestSite(storage);
    const url = new URL(REDIS_URL!);
    url.host = `127.0.0.1:${proxy.port}`;
    app = await testApp(storage, { config: { redisUrl: url.toString(), redisPrefix: prefix } });
  });
  after(async () => {
    await app?.close();
    await proxy?.close();
    await engine?.drop();
    await dropPrefix(prefix);
  });

  it('answers 503 unavailable while Redis is away, changes nothing, and heals', async () => {
    const ok = await postVisit(app);
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().total, 1001);
    assert.equal((await app.inject({ url: '/health/ready' })).json().shared, 'redis');

    await proxy.cut();
    await sleep(50);
    const visit = await postVisit(app);
    assert.equal(visit.statusCode, 503);
    assert.equal(visit.json().error.code, 'unavailable');
    const read = await app.inject({ url: '/api/v1/sites/t1/visits' });
    assert.equal(read.statusCode, 503, 'the rate limit needs Redis too');
    assert.equal(read.json().error.code, 'unavailable');
    const ready = await app.inject({ url: '/health/ready' });
    assert.equal(ready.statusCode, 503);
    assert.equal(ready.json().error.code, 'not_ready');
    assert.equal((await app.inject({ url: '/health/live' })).statusCode, 200);

    await proxy.restore();
    const deadline = Date.now() + 10_000;
    let back = await postVisit(app);
    while (back.statusCode !== 200 && Date.now() < deadline) {
      await sleep(100);
      back = await postVisit(app);
    }
    assert.equal(back.statusCode, 200);
    assert.equal(back.json().counted, true);
    assert.equal(back.json().total, 1002, 'the refused visit was not counted');
  });

  it('does not start without Redis', async () => {
    const storage = await openStorage({ dbFile: ':memory:' });
    await assert.rejects(
      testApp(storage, { config: { redisUrl: 'redis://127.0.0.1:1', redisPrefix: prefix } }),
      /Cannot connect to Redis at 127\.0\.0\.1:1/,
    );
    await storage.close();
  });
});

describe('new voter tokens counted in Redis', { skip: REDIS_SKIP }, () => {
  it('counts an address across instances, per hour, under keys that name no address', async () => {
    const HOUR = 3_600_000;
    const prefix = testPrefix();
    const engine = await SQLITE.create();
    const storage = await engine.open();
    const redis = redisClient();
    const states = [
      await openSharedState({ redisUrl: REDIS_URL, redisPrefix: prefix }),
      await openSharedState({ redisUrl: REDIS_URL, redisPrefix: prefix }),
    ];
    try {
      let now = 1000 * HOUR + 5;
      const [x, y] = states.map((s) => new SharedRateCounter(s, storage.db, () => now));
      const scope = 'voter-token\u0000t1';
      const counts: number[] = [];
      for (let i = 0; i < 6; i++)
        counts.push(await (i % 2 ? x : y)!.hit(scope, '203.0.113.7', HOUR));
      assert.deepEqual(counts, [1, 2, 3, 4, 5, 6]);
      assert.equal(await x!.hit(scope, '203.0.113.8', HOUR), 1, 'another address');
      const keys = await keysUnder(redis, prefix);
      assert.ok(keys.length > 0);
      assert.ok(!keys.some((k) => k.includes('203.0.113')), keys.join(' '));
      now += HOUR;
      assert.equal(await y!.hit(scope, '203.0.113.7', HOUR), 1, 'the next hour starts over');
    } finally {
      for (const s of states) await s.close();
      redis.disconnect();
      await storage.close();
      await engine.drop();
      await dropPrefix(prefix);
    }
  });
});

describe('migrations of instances starting together', { skip: POSTGRES.skip }, () => {
  it('migrate a fresh PostgreSQL database once, all four succeeding', async () => {
    const db = (await createTestDatabase())!;
    const storages: Storage[] = [];
    try {
      const opened = await Promise.allSettled(
        Array.from({ length: 4 }, () => openStorage({ databaseUrl: db.url })),
      );
      for (const o of opened) if (o.status === 'fulfilled') storages.push(o.value);
      assert.deepEqual(
        opened.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok')),
        ['ok', 'ok', 'ok', 'ok'],
      );
      const { rows } = await sql<{ name: string; n: string }>`
        select name, count(*) as n from kysely_migration group by name order by name`.execute(
        storages[0]!.db,
      );
      assert.ok(rows.length >= 9);
      assert.ok(rows.every((r) => Number(r.n) === 1));
      assert.equal(await storages[1]!.createSite({ id: 'x', name: 'x', origins: [] }), true);
    } finally {
      for (const s of storages) await s.close();
      await db.drop();
    }
  });
});

warnRedisSkipped();
