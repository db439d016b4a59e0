/**
 * Databases made by earlier releases migrate on: a migration that changes data is run from the
 * state the release before it left, and what that release stored must still be read the same.
 */
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { CommentStore } from '../../src/server/comments/store.js';
import { visitSessionsKeyMigration } from '../../src/server/db/migrations/0013_visit_sessions_key.js';
import { migrationProvider } from '../../src/server/db/migrations/index.js';
import { DEMO_POLL } from '../../src/server/polls/seed.js';
import { Polls } from '../../src/server/polls/service.js';
import { describeEngines, type Engine, type TestEngine } from '../helpers/engines.js';

/** Any table, any column: the schema of an older release, as the migrations see it. */
type OldDatabase = Record<string, Record<string, unknown>>;

/** A fresh database on `engine`, reached without the app: raw Kysely and the migrator. */
async function withDatabase(
  engine: Engine,
  work: (db: Kysely<OldDatabase>, migrator: Migrator, test: TestEngine) => Promise<void>,
): Promise<void> {
  const test = await engine.create();
  const db = new Kysely<OldDatabase>({
    dialect:
      test.name === 'sqlite'
        ? new SqliteDialect({ database: new SQLite(test.env.CIVIC_DB_FILE!) })
        : new PostgresDialect({ pool: new pg.Pool({ connectionString: test.env.DATABASE_URL }) }),
  });
  try {
    await work(db, new Migrator({ db, provider: migrationProvider }), test);
  } finally {
    await db.destroy();
    await test.drop();
  }
}

const insertSite = (db: Kysely<OldDatabase>, id: string) =>
  db.insertInto('sites').values({ id, name: id, origins: '[]', created_at: Date.now() }).execute();

describeEngines('migrations', (engine) => {
  it('0013_visit_sessions_key keeps every session, drops the time index, and on SQLite keeps the key only', async () => {
    await withDatabase(engine, async (db, migrator) => {
      assert.equal((await migrator.migrateTo('0012_rate_counts')).error, undefined);
      await insertSite(db, 'old');
      const rows = Array.from({ length: 50 }, (_, i) => ({
        site: 'old',
        session: `s${i}`,
        last_seen: 1_700_000_000_000 + i,
      }));
      await db.insertInto('visit_sessions').values(rows).execute();
      assert.equal((await migrator.migrateToLatest()).error, undefined);
      const after = await db
        .selectFrom('visit_sessions')
        .select(['site', 'session', 'last_seen'])
        .orderBy('last_seen')
        .execute();
      assert.deepEqual(
        after.map((r) => ({ ...r, last_seen: Number(r.last_seen) })),
        rows,
      );
      const indexes =
        engine.name === 'sqlite'
          ? await sql<{ name: string }>`select name from sqlite_master
              where type = 'index' and tbl_name = 'visit_sessions'`.execute(db)
          : await sql<{ name: string }>`select indexname as name from pg_indexes
              where tablename = 'visit_sessions' and schemaname = current_schema()`.execute(db);
      assert.deepEqual(
        indexes.rows.map((r) => r.name),
        engine.name === 'sqlite' ? [] : ['visit_sessions_pk'],
        'no index but the key',
      );
      if (engine.name === 'sqlite') {
        const { rows: table } = await sql<{ sql: string }>`select sql from sqlite_master
          where type = 'table' and name = 'visit_sessions'`.execute(db);
        assert.match(table[0]!.sql, /without rowid$/i);
      }
      // The key still refuses a session twice.
      await assert.rejects(db.insertInto('visit_sessions').values(rows[0]!).execute());
      // Run again (a crash after it ran, before it was recorded): nothing to do, nothing lost.
      await visitSessionsKeyMigration.up(db);
      assert.equal((await db.selectFrom('visit_sessions').select('session').execute()).length, 50);
    });
  });

  it('0004_captcha gives the sites that existed before it a verify secret', async () => {
    await withDatabase(engine, async (db, migrator) => {
      assert.equal((await migrator.migrateTo('0003_lists')).error, undefined);
      await insertSite(db, 'old');
      assert.equal((await migrator.migrateToLatest()).error, undefined);
      const row = await db
        .selectFrom('sites')
        .select(['captcha_mode', 'captcha_secret'])
        .where('id', '=', 'old')
        .executeTakeFirstOrThrow();
      assert.equal(row.captcha_mode, 'code+pow');
      assert.match(String(row.captcha_secret), /^[A-Za-z0-9_-]{43}$/);
    });
  });

  it('0006_daily_salts keeps the salts in use: old comment hashes, bans and poll IP counts still match', async () => {
    await withDatabase(engine, async (db, migrator, test) => {
      assert.equal((await migrator.migrateTo('0005_comments')).error, undefined);
      await insertSite(db, 'old');
      // What the release before stored today: the comments' salt (hex, the HMAC key as text) and
      // the polls' (hex in server_secrets, the HMAC key as bytes), a comment and a ban on its network.
      const now = Date.now();
      const day = new Date(now).toISOString().slice(0, 10);
      const [commentSalt, pollSalt] = [
        randomBytes(32).toString('hex'),
        randomBytes(32).toString('hex'),
      ];
      const prefix = '198.51.100.7';
      const commentHash = createHmac('sha256', commentSalt)
        .update(`old\u0000${prefix}`)
        .digest('base64url');
      const pollKey = createHmac('sha256', Buffer.from(pollSalt, 'hex'))
        .update(`old\u0000${prefix}`)
        .digest()
        .subarray(0, 16)
        .toString('base64url');
      await db
        .insertInto('comment_salts')
        .values({ day, salt: commentSalt, created_at: now })
        .execute();
      await db
        .insertInto('server_secrets')
        .values({ name: `ip-salt:${day}`, value: pollSalt, created_at: now })
        .execute();
      await db
        .insertInto('server_secrets')
        .values({ name: 'poll-voter-key', value: randomBytes(32).toString('hex'), created_at: now })
        .execute();
      const comment = {
        site: 'old',
        thread: '/',
        name: 'A',
        email: 'a@example.vn',
        title: '',
        content: 'x',
        status: 'pending',
        search: 'x',
      };
      await db
        .insertInto('comments')
        .values({
          ...comment,
          id: 'AAAAAAAAAAAAAAAA',
          created_at: now,
          ip_hash: commentHash,
          salt_day: day,
        })
        .execute();
      await db
        .insertInto('comment_bans')
        .values({
          site: 'old',
          ip_hash: commentHash,
          salt_day: day,
          created_at: now,
          expires_at: now + 86_400_000,
        })
        .execute();

      assert.equal((await migrator.migrateToLatest()).error, undefined);
      const salts = await db
        .selectFrom('daily_salts')
        .select(['scope', 'day', 'salt'])
        .orderBy('scope')
        .execute();
      assert.deepEqual(salts, [
        { scope: 'comment', day, salt: commentSalt },
        { scope: 'poll', day, salt: pollSalt },
      ]);
      assert.deepEqual(
        await db.selectFrom('server_secrets').select('name').execute(),
        [{ name: 'poll-voter-key' }],
        'the old salt rows are gone',
      );

      const storage = await test.open();
      try {
        const comments = new CommentStore(storage.db);
        assert.equal(
          await comments.isBanned('old', prefix),
          true,
          'the ban still recognises the network',
        );
        assert.deepEqual(
          await comments.ipHash('old', prefix),
          { hash: commentHash, day },
          "today's hash is unchanged",
        );
        assert.equal(await comments.isBanned('old', '198.51.100.8'), false);

        // Today's count of that network on a poll with a ceiling of 1: the next vote is over it.
        const polls = new Polls(storage);
        await polls.store.create({ ...DEMO_POLL, site: 'old', ipCeiling: 1 });
        await storage.db
          .insertInto('poll_ip_counts')
          .values({ site: 'old', poll: DEMO_POLL.id, day, ip_key: pollKey, count: 1 })
          .execute();
        const vote = async (ip: string) =>
          polls.vote(
            'old',
            DEMO_POLL.id,
            { choices: ['tot'], voter: await polls.issueToken('old', DEMO_POLL.id) },
            ip,
          );
        await assert.rejects(vote(prefix), (err: { code?: string }) => err.code === 'vote_limit');
        assert.equal((await vote('198.51.100.8')).counted, true);
        // The day's first vote started a clean-up of older salts: ended before the storage closes.
        await polls.idle();
      } finally {
        await storage.close();
      }
    });
  });
});
