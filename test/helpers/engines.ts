/** The storage engines server tests run against: a real SQLite file, and PostgreSQL when configured. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/server/storage/open.js';
import type { Storage } from '../../src/server/storage/storage.js';
import { createTestDatabase } from './pg.js';

export interface TestEngine {
  name: 'sqlite' | 'postgres';
  /** Opens a new connection to the same database (each call a new Storage). */
  open(): Promise<Storage>;
  /** Connection settings for a server process started by the test. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function sqliteEngine(): Promise<TestEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'civic-test-'));
  const dbFile = join(dir, 'civic.db');
  return {
    name: 'sqlite',
    open: () => openStorage({ dbFile }),
    env: { CIVIC_DB_FILE: dbFile },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function postgresEngine(): Promise<TestEngine | undefined> {
  const db = await createTestDatabase();
  if (!db) return undefined;
  return {
    name: 'postgres',
    open: () => openStorage({ databaseUrl: db.url }),
    env: { DATABASE_URL: db.url },
    drop: db.drop,
  };
}

/** Every engine available in this run: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const ENGINE_FACTORIES: Array<[string, () => Promise<TestEngine | undefined>]> = [
  ['sqlite', sqliteEngine],
  ['postgres', postgresEngine],
];
