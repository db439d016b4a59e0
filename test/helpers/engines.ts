/**
 * The storage engines server tests run against: a real SQLite file always, and PostgreSQL when
 * TEST_DATABASE_URL (or DATABASE_URL) names a server. Without one, the PostgreSQL suites are
 * skipped, loudly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import { openStorage } from '../../src/server/db/open.js';
import type { Storage } from '../../src/server/db/storage.js';
import { createTestDatabase, POSTGRES_ADMIN_URL, warnPostgresSkipped } from './pg.js';

/** One fresh database. */
export interface TestEngine {
  name: 'sqlite' | 'postgres';
  /** Opens a new connection to the same database (each call a new Storage). */
  open(): Promise<Storage>;
  /** Connection settings for a server process started by the test. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** An engine to make fresh databases on. */
export interface Engine {
  name: TestEngine['name'];
  /** Why its suites are skipped (no PostgreSQL configured), or false. */
  skip: string | false;
  create(): Promise<TestEngine>;
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

export const SQLITE: Engine = { name: 'sqlite', skip: false, create: sqliteEngine };
export const POSTGRES: Engine = {
  name: 'postgres',
  skip: POSTGRES_ADMIN_URL ? false : 'set TEST_DATABASE_URL=postgres://…',
  create: async () => (await postgresEngine())!,
};
/** Every engine: SQLite, and PostgreSQL (skipped without TEST_DATABASE_URL). */
export const ENGINES: Engine[] = [SQLITE, POSTGRES];

/** `describe("<name> on <engine>")` once per engine; `body` gets the engine (see `useTestApp`). */
export function describeEngines(name: string, body: (engine: Engine) => void): void {
  for (const engine of ENGINES) {
    if (engine.skip) warnPostgresSkipped();
    describe(`${name} on ${engine.name}`, { skip: engine.skip }, () => body(engine));
  }
}
