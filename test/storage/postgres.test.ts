import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { openStorage } from '../../src/server/db/open.js';
import { prepared } from '../../src/server/db/prepared.js';
import { createTestDatabase } from '../helpers/pg.js';
import { storageContract } from './storage-contract.js';

const db = await createTestDatabase();

if (db) storageContract('postgres', () => openStorage({ databaseUrl: db.url }), db.drop);
else
  describe('storage contract: postgres', { skip: 'set TEST_DATABASE_URL=postgres://…' }, () => {});

describe('postgres instances', { skip: !db }, () => {
  test('four instances migrate a fresh database at the same time', async () => {
    const fresh = (await createTestDatabase())!;
    try {
      const all = await Promise.all(
        Array.from({ length: 4 }, () => openStorage({ databaseUrl: fresh.url })),
      );
      assert.deepEqual(
        all.map((s) => s.dialect),
        ['postgres', 'postgres', 'postgres', 'postgres'],
      );
      await Promise.all(all.map((s) => s.close()));
    } finally {
      await fresh.drop();
    }
  });
});

describe('prepared statements', { skip: !db }, () => {
  test('a statement run by prepared() is named on its connection, and gives its rows', async () => {
    const fresh = (await createTestDatabase())!;
    const storage = await openStorage({ databaseUrl: fresh.url });
    try {
      // The statement lists the connection's prepared statements: itself among them. Many at
      // once, so that several connections prepare it, each once.
      const query = sql<{ name: string; n: number }>`
        select name, ${2}::int as n from pg_prepared_statements`.compile(storage.db);
      const runs = await Promise.all(Array.from({ length: 30 }, () => prepared(storage.db, query)));
      for (const rows of runs) {
        assert.equal(rows.length, 1, JSON.stringify(rows));
        assert.match(rows[0]!.name, /^civic_/);
        assert.equal(rows[0]!.n, 2);
      }
    } finally {
      await storage.close();
      await fresh.drop();
    }
  });
});

describe('postgres connection errors', () => {
  const hidesPassword = (pattern: RegExp) => (err: Error) => {
    assert.match(err.message, pattern);
    assert.doesNotMatch(err.message, /s3cret/);
    assert.doesNotMatch(err.message, /\n/);
    return true;
  };

  test('an unreachable server names host and cause, never the password', async () => {
    await assert.rejects(
      openStorage({ databaseUrl: 'postgres://civic:s3cret@127.0.0.1:1/civic' }),
      hidesPassword(/^Cannot open PostgreSQL at 127\.0\.0\.1:1\/civic: .*ECONNREFUSED/),
    );
  });

  test('a missing database is reported as such', { skip: !db }, async () => {
    const url = new URL(db!.url);
    url.username = 'postgres';
    url.password = 's3cret';
    url.pathname = '/civic_no_such_db';
    await assert.rejects(
      openStorage({ databaseUrl: url.toString() }),
      hidesPassword(/civic_no_such_db" does not exist/),
    );
  });

  test('a URL of another engine is refused', async () => {
    await assert.rejects(
      openStorage({ databaseUrl: 'mysql://root:s3cret@localhost/civic' }),
      hidesPassword(/postgres:\/\//),
    );
  });
});
