/**
 * The hourly clean-up on SQLite and PostgreSQL: every table that only grows loses the rows past
 * their retention and keeps the others; with two instances on one database, exactly one does each
 * round.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { MAINTENANCE_EVERY_MS } from '../../src/server/core/maintenance.js';
import { seedTestSite, testApp } from '../helpers/app.js';
import { describeEngines, type TestEngine } from '../helpers/engines.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 30, 10, 0);

describeEngines('maintenance', (engineKind) => {
  let engine: TestEngine;
  let clock = T0;
  const now = () => clock;
  let app: FastifyInstance;
  let second: FastifyInstance;

  before(async () => {
    engine = await engineKind.create();
    const seedStorage = await engine.open();
    await seedTestSite(seedStorage);
    await seedStorage.close();
    app = await testApp(await engine.open(), { now });
    second = await testApp(await engine.open(), { now });
  });
  after(async () => {
    await app?.close();
    await second?.close();
    await engine?.drop();
  });

  it('registers a prune task for every table that only grows', () => {
    assert.deepEqual([...app.civic.maintenance.names].sort(), [
      'auth_failures',
      'captcha',
      'comments',
      'poll_ip_counts',
      'rate_counts',
      'user_sessions',
      'visit_sessions',
    ]);
  });

  it('deletes what is past its retention and keeps the rest', async () => {
    const db = app.civic.storage.db;
    const t = T0 + HOUR; // the next round
    const today = new Date(t).toISOString().slice(0, 10);
    const yesterday = new Date(t - DAY).toISOString().slice(0, 10);
    await db
      .insertInto('visit_sessions')
      .values([
        { site: 't1', session: 'old', last_seen: t - DAY - 60_000 },
        { site: 't1', session: 'recent', last_seen: t - DAY + 60_000 },
      ])
      .execute();
    const challenge = (id: string, expiresAt: number) => ({
      id,
      site: 't1',
      action: 'comment',
      answer: 'x',
      created_at: expiresAt - 600_000,
      expires_at: expiresAt,
      attempts: 0,
      used_at: null,
    });
    await db
      .insertInto('captcha_challenges')
      .values([
        challenge('expired-long-ago-0000', t - HOUR - 1),
        challenge('expired-recently-0000', t - 60_000),
        challenge('live-0000000000000000', t + 60_000),
      ])
      .execute();
    await db
      .insertInto('captcha_pow_used')
      .values([
        { signature: 'a'.repeat(64), site: 't1', expires_at: t - HOUR - 1 },
        { signature: 'b'.repeat(64), site: 't1', expires_at: t + 60_000 },
      ])
      .execute();
    await db
      .insertInto('polls')
      .values({
        site: 't1',
        id: 'p',
        question: 'Q?',
        multiple: 0,
        max_choices: 1,
        opens_at: null,
        closes_at: null,
        results_visibility: 'always',
        ip_ceiling: 100,
        require_proof: 0,
        created_at: T0,
        updated_at: T0,
      })
      .execute();
    await db
      .insertInto('poll_ip_counts')
      .values([
        { site: 't1', poll: 'p', day: yesterday, ip_key: 'k1', count: 3 },
        { site: 't1', poll: 'p', day: today, ip_key: 'k1', count: 2 },
      ])
      .execute();
    await db
      .insertInto('daily_salts')
      .values([
        { scope: 'poll', day: yesterday, salt: '1'.repeat(64), created_at: t - DAY },
        { scope: 'poll', day: today, salt: '2'.repeat(64), created_at: t },
      ])
      .execute();
    await db
      .insertInto('users')
      .values({
        id: 'u1',
        email: 'a@example.gov.vn',
        email_key: 'a@example.gov.vn',
        name: 'A',
        role: 'admin',
        sites: '[]',
        password_hash: 'x',
        created_at: T0,
        updated_at: T0,
      })
      .execute();
    await db
      .insertInto('user_sessions')
      .values([
        { id: 'idle', user_id: 'u1', created_at: t - 3 * HOUR, last_seen: t - 3 * HOUR },
        { id: 'too-old', user_id: 'u1', created_at: t - 13 * HOUR, last_seen: t - 60_000 },
        { id: 'live', user_id: 'u1', created_at: t - HOUR, last_seen: t - 60_000 },
      ])
      .execute();
    await db
      .insertInto('auth_failures')
      .values([
        { id: 'f1', key: 'k', at: t - HOUR },
        { id: 'f2', key: 'k', at: t - 60_000 },
      ])
      .execute();
    await db
      .insertInto('comment_bans')
      .values([
        { site: 't1', ip_hash: 'h1', salt_day: today, created_at: T0, expires_at: t - 1 },
        { site: 't1', ip_hash: 'h2', salt_day: today, created_at: T0, expires_at: t + DAY },
      ])
      .execute();

    await db
      .insertInto('rate_counts')
      .values([
        { key: 'ended', slot: 1, count: 3, expires_at: t - 1 },
        { key: 'counting', slot: 2, count: 1, expires_at: t + HOUR },
      ])
      .execute();

    // The start claimed the round at T0: nothing more is due before T0 + 1 h.
    clock = t - 1;
    assert.equal(await app.civic.maintenance.tick(), undefined, 'not due yet');
    assert.equal(
      Number(
        (
          await db
            .selectFrom('visit_sessions')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      2,
    );

    clock = t;
    const deleted = await app.civic.maintenance.tick();
    assert.deepEqual(deleted, {
      user_sessions: 2,
      auth_failures: 1,
      visit_sessions: 1,
      poll_ip_counts: 2, // yesterday's count and yesterday's salt
      captcha: 2,
      comments: 1,
      rate_counts: 1,
    });
    const ids = async <T extends string>(query: Promise<Record<T, string>[]>, key: T) =>
      (await query).map((r) => r[key]).sort();
    assert.deepEqual(
      await ids(db.selectFrom('visit_sessions').select('session').execute(), 'session'),
      ['recent'],
    );
    assert.deepEqual(await ids(db.selectFrom('captcha_challenges').select('id').execute(), 'id'), [
      'expired-recently-0000',
      'live-0000000000000000',
    ]);
    assert.deepEqual(
      await ids(db.selectFrom('captcha_pow_used').select('signature').execute(), 'signature'),
      ['b'.repeat(64)],
    );
    assert.deepEqual(await ids(db.selectFrom('poll_ip_counts').select('day').execute(), 'day'), [
      today,
    ]);
    assert.deepEqual(
      await ids(
        db.selectFrom('daily_salts').select('day').where('scope', '=', 'poll').execute(),
        'day',
      ),
      [today],
    );
    assert.deepEqual(await ids(db.selectFrom('user_sessions').select('id').execute(), 'id'), [
      'live',
    ]);
    assert.deepEqual(await ids(db.selectFrom('auth_failures').select('id').execute(), 'id'), [
      'f2',
    ]);
    assert.deepEqual(
      await ids(db.selectFrom('comment_bans').select('ip_hash').execute(), 'ip_hash'),
      ['h2'],
    );
    assert.deepEqual(await ids(db.selectFrom('rate_counts').select('key').execute(), 'key'), [
      'counting',
    ]);
  });

  it('lets exactly one of two instances do each round', async () => {
    for (let round = 2; round <= 4; round++) {
      clock = T0 + round * MAINTENANCE_EVERY_MS;
      const results = await Promise.all([
        app.civic.maintenance.tick(),
        second.civic.maintenance.tick(),
        app.civic.maintenance.tick(),
        second.civic.maintenance.tick(),
      ]);
      assert.equal(results.filter((r) => r !== undefined).length, 1, `round ${round}`);
      const row = await app.civic.storage.db
        .selectFrom('maintenance_runs')
        .selectAll()
        .executeTakeFirstOrThrow();
      assert.equal(Number(row.next_at), clock + MAINTENANCE_EVERY_MS);
      assert.ok(
        [app.civic.maintenance.holder, second.civic.maintenance.holder].includes(row.holder),
      );
    }
  });
});
