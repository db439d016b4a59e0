import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { keepStatements, openStorage } from '../../src/server/db/open.js';
import { storageContract } from './storage-contract.js';

const dir = await mkdtemp(join(tmpdir(), 'civic-storage-'));
after(() => rm(dir, { recursive: true, force: true }));

// A file in a directory openStorage has to create.
storageContract('sqlite file', () =>
  openStorage({ dbFile: join(dir, 'contract', 'data', 'civic.db') }),
);
storageContract('sqlite :memory:', () => openStorage({ dbFile: ':memory:' }));

describe('sqlite specifics', () => {
  test('the database file is in WAL mode', async () => {
    const file = join(dir, 'wal', 'civic.db');
    const storage = await openStorage({ dbFile: file });
    try {
      assert.equal(storage.dialect, 'sqlite');
      const probe = new SQLite(file, { readonly: true });
      try {
        assert.equal(probe.pragma('journal_mode', { simple: true }), 'wal');
      } finally {
        probe.close();
      }
    } finally {
      await storage.close();
    }
  });

  test('statements are prepared once per SQL text and used again, never while one is busy', () => {
    const db = new SQLite(':memory:');
    const kept = keepStatements(db, 3);
    db.exec('create table t (n integer); insert into t values (1), (2), (3)');
    const select = 'select n from t order by n';
    const first = kept.prepare(select);
    assert.equal(kept.prepare(select), first, 'the same SQL, the same statement');
    assert.deepEqual(first.all(), [{ n: 1 }, { n: 2 }, { n: 3 }]);
    // A statement in the middle of an iterate() cannot run again: another one is made.
    const rows = first.iterate();
    rows.next();
    const other = kept.prepare(select);
    assert.notEqual(other, first);
    assert.deepEqual(
      other.all(),
      [{ n: 1 }, { n: 2 }, { n: 3 }],
      'it runs while the first is busy',
    );
    rows.return?.();
    // Past its size the oldest is dropped (and made again when asked for).
    for (const n of [1, 2, 3]) kept.prepare(`select ${n}`);
    assert.notEqual(kept.prepare(select), other, 'dropped, then prepared anew');
    assert.equal(kept.inTransaction, false);
    db.exec('begin');
    assert.equal(kept.inTransaction, true);
    kept.close();
    assert.equal(db.open, false);
  });

  test('an unusable path gives a one-line error naming the file', async () => {
    const blocker = join(dir, 'not-a-directory');
    await writeFile(blocker, '');
    await assert.rejects(openStorage({ dbFile: join(blocker, 'civic.db') }), (err: Error) => {
      assert.match(err.message, /^Cannot open SQLite database .*not-a-directory.*civic\.db: /);
      assert.doesNotMatch(err.message, /\n/);
      return true;
    });
  });
});
