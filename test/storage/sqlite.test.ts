import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { openStorage } from '../../src/server/db/open.js';
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
