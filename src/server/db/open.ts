import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Driver } from 'kysely';
import pg from 'pg';
import { defaultSecretFile, loadMasterSecret, registerKeys, ServerKeys } from '../core/secrets.js';
import type { ServerConfig } from '../config.js';
import { KyselyStorage } from './kysely-storage.js';
import type { Database } from './database.js';
import { registerPool } from './prepared.js';
import type { Storage } from './storage.js';
import { SqliteWorker } from './sqlite-worker.js';

/** The embedded database `npm start` uses when no PostgreSQL URL is given. */
export const DEFAULT_DB_FILE = './data/civic.db';

/** Where the data lives: a PostgreSQL URL wins; otherwise a SQLite file (or `:memory:`). */
export interface OpenStorageOptions {
  databaseUrl?: string;
  dbFile?: string;
  /** The master secret of the server keys (core/secrets.ts): `CIVIC_SECRET`. */
  secret?: string;
  /** `CIVIC_SECRET_FILE` (default: `secret.key` next to `dbFile`). */
  secretFile?: string;
  /** `CIVIC_SECRET_PREVIOUS`: keys that still verify after a rotation. */
  secretPrevious?: string;
}

/** The storage settings of the configuration. */
export function storageOptions(
  config: Pick<ServerConfig, 'databaseUrl' | 'dbFile' | 'secret' | 'secretFile' | 'secretPrevious'>,
): OpenStorageOptions {
  const { databaseUrl, dbFile, secret, secretFile, secretPrevious } = config;
  return { databaseUrl, dbFile, secret, secretFile, secretPrevious };
}

/**
 * Opens PostgreSQL when `databaseUrl` is a `postgres://` / `postgresql://` URL, else the SQLite
 * file `dbFile` (parent directory created), and runs pending migrations. Failures throw an Error
 * whose message names the database and the cause, never the password.
 */
export async function openStorage(opts: OpenStorageOptions): Promise<Storage> {
  const url = opts.databaseUrl?.trim();
  if (url && !/^postgres(ql)?:\/\//i.test(url)) {
    throw new Error(
      'DATABASE_URL must start with postgres:// or postgresql:// (leave it unset for SQLite)',
    );
  }
  const file = opts.dbFile ?? DEFAULT_DB_FILE;
  const what = url ? `PostgreSQL at ${describeUrl(url)}` : `SQLite database ${file}`;
  const secrets = url ? passwordsOf(url) : [];
  // The keys first: a start without its secret fails before touching the database (an unusable
  // folder for the key file next to the database is said in the same one line).
  let master: Buffer;
  try {
    master = loadMasterSecret({
      secret: opts.secret,
      secretFile: opts.secretFile ?? defaultSecretFile(file === ':memory:' ? undefined : file),
    });
  } catch (err) {
    throw new Error(`Cannot open ${what}: ${reason(err, secrets)}`, { cause: err });
  }
  const previous = opts.secretPrevious ? Buffer.from(opts.secretPrevious, 'utf8') : undefined;

  let storage: KyselyStorage;
  try {
    storage = url ? openPostgres(url) : openSqlite(file);
  } catch (err) {
    throw new Error(`Cannot open ${what}: ${reason(err, secrets)}`, { cause: err });
  }
  registerKeys(storage.db, new ServerKeys(storage.db, master, previous));
  let step = 'open';
  try {
    await storage.ping();
    step = 'migrate';
    await storage.migrate();
    return storage;
  } catch (err) {
    await storage.close().catch(() => {});
    throw new Error(`Cannot ${step} ${what}: ${reason(err, secrets)}`, { cause: err });
  }
}

function openPostgres(url: string): KyselyStorage {
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its server is dropped by the pool and replaced on the next query;
  // without a listener its 'error' event would crash the process.
  pool.on('error', () => {});
  // A client in use (a query or transaction under way) that loses its server fails that query
  // (a 503 for the request) and emits 'error', which the pool does not listen to while the client
  // is checked out: without this listener the process would crash. The pool drops the dead client
  // when it comes back (it is no longer queryable).
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  registerPool(db, pool);
  return new KyselyStorage(db, 'postgres');
}

/**
 * SQLite rolls a transaction back by itself when a write fails for lack of space or I/O
 * (`SQLITE_FULL`, `SQLITE_IOERR`…); Kysely's own ROLLBACK then fails with "no transaction is
 * active" and that error would replace the real one. Here the ROLLBACK is skipped when SQLite has
 * already done it, so the request sees `SQLITE_FULL` (a 503 `storage_full`).
 */
class KeepSqliteErrors extends SqliteDialect {
  constructor(private readonly config: { database: KeptStatements }) {
    super(config);
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.rollbackTransaction = async (connection) => {
      if (this.config.database.inTransaction) await rollback(connection);
    };
    return driver;
  }
}

/** Statements kept per connection (the oldest is dropped past it). */
const KEPT_STATEMENTS = 512;

/** The connection as Kysely sees it: `prepare` answers a statement already made for the same SQL. */
interface KeptStatements {
  prepare(sql: string): SQLite.Statement;
  close(): void;
  readonly inTransaction: boolean;
}

/**
 * Kysely prepares every query anew, and for most of ours SQLite's parse costs more than the run
 * (16–110 µs against 5–50 µs, measured on a vote's statements): statements are kept by their SQL
 * text and used again. One in use by an unfinished `iterate()` (busy) is not shared.
 */
export function keepStatements(db: SQLite.Database, max = KEPT_STATEMENTS): KeptStatements {
  const kept = new Map<string, SQLite.Statement>();
  return {
    prepare(sql) {
      const known = kept.get(sql);
      if (known && !known.busy) return known;
      const statement = db.prepare(sql);
      if (kept.size >= max) kept.delete(kept.keys().next().value!);
      kept.set(sql, statement);
      return statement;
    },
    close() {
      kept.clear();
      db.close();
    },
    get inTransaction() {
      return db.inTransaction;
    },
  };
}

function openSqlite(file: string): KyselyStorage {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new SQLite(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // 32 MB of pages in memory (2 MB by default): a poll's vote index and the visit sessions stay cached.
    db.pragma('cache_size = -32768');
  } catch (err) {
    db.close();
    throw err;
  }
  return new KyselyStorage(
    new Kysely<Database>({ dialect: new KeepSqliteErrors({ database: keepStatements(db) }) }),
    'sqlite',
    { db, worker: file === ':memory:' ? undefined : new SqliteWorker(db, file) },
  );
}

/** `host:port/database`, without user or password. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return 'DATABASE_URL (not a valid URL)';
  }
}

/** The URL's password as written and decoded, to scrub from driver messages. */
function passwordsOf(url: string): string[] {
  let password = '';
  try {
    password = new URL(url).password;
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return password ? [password] : [];
  }
}

/** The driver's message (all of them for an AggregateError, e.g. IPv6 and IPv4 refused), scrubbed. */
function reason(err: unknown, secrets: string[]): string {
  let text: string;
  if (err instanceof AggregateError && err.errors.length > 0)
    text = err.errors.map((e) => reason(e, [])).join('; ');
  else if (err instanceof Error)
    text = err.message || (err as NodeJS.ErrnoException).code || err.name;
  else text = String(err);
  for (const secret of secrets) text = text.replaceAll(secret, '***');
  return text;
}
