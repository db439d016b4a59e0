/**
 * Server keys, derived (HKDF-SHA256) from one master secret that is never in the database:
 * `CIVIC_SECRET`, or else a key file (`CIVIC_SECRET_FILE`, by default `secret.key` next to the
 * SQLite file), created with mode 0600 on first start. Every instance given the same secret
 * derives the same keys, so each accepts what another signed. A leaked database or backup holds
 * no key: it cannot forge a voter token, a captcha or an IP hash.
 *
 * Verification-only keys: the keys derived from `CIVIC_SECRET_PREVIOUS` (a rotation), and the
 * random keys an older version kept in `server_secrets` (read once, never created; each feature
 * decides what they may still verify, see `previous`). Nothing here is ever logged.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';

/** How the master secret is given (see the configuration). */
export interface SecretOptions {
  /** `CIVIC_SECRET` (at least 32 characters); wins over the file. */
  secret?: string;
  /** `CIVIC_SECRET_FILE`: read, or created with 32 random bytes (hex) and mode 0600 when absent. */
  secretFile: string;
  /** `CIVIC_SECRET_PREVIOUS`: the secret before a rotation; its keys only verify. */
  previous?: string;
}

export const MIN_SECRET_LENGTH = 32;

/** `secret.key` next to the SQLite file (`./data/` by default, also with PostgreSQL). */
export const defaultSecretFile = (dbFile = './data/civic.db') =>
  join(dirname(dbFile), 'secret.key');

/** The master secret: `secret`, or the key file's content (created when absent). */
export function loadMasterSecret(o: SecretOptions): Buffer {
  if (o.secret) return Buffer.from(o.secret, 'utf8');
  const file = o.secretFile;
  try {
    statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    createKeyFile(file);
  }
  const mode = statSync(file).mode;
  if (mode & 0o077)
    throw new Error(
      `The key file ${file} can be read or written by other users (mode ${(mode & 0o777).toString(8)}): chmod 600 ${file}`,
    );
  const text = readFileSync(file, 'utf8').trim();
  if (text.length < MIN_SECRET_LENGTH)
    throw new Error(`The key file ${file} holds fewer than ${MIN_SECRET_LENGTH} characters`);
  return Buffer.from(text, 'utf8');
}

/**
 * Writes 32 random bytes (hex) to a private temporary file and links it into place: of several
 * instances starting at once, one file wins whole and the others read it.
 */
function createKeyFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
}

/** HKDF-SHA256 of `master` for the key named `name` (32 bytes). */
export function deriveKey(master: Buffer, name: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, 'civic-widgets', `civic-widgets key ${name}`, 32));
}

export class ServerKeys {
  private readonly derived = new Map<string, Buffer>();
  private readonly older = new Map<string, Promise<Buffer | undefined>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly master: Buffer,
    private readonly previousMaster?: Buffer,
  ) {}

  /** The key named `name`: signs and verifies. */
  key(name: string): Buffer {
    let key = this.derived.get(name);
    if (!key) this.derived.set(name, (key = deriveKey(this.master, name)));
    return key;
  }

  /** `name` under `CIVIC_SECRET_PREVIOUS` (verifies only), when one is set. */
  previous(name: string): Buffer | undefined {
    return this.previousMaster && deriveKey(this.previousMaster, name);
  }

  /**
   * The random key `name` an older version kept in `server_secrets`, read once (never created):
   * it verifies only what was signed before the upgrade, within the limits its feature sets.
   */
  legacy(name: string): Promise<Buffer | undefined> {
    let key = this.older.get(name);
    if (!key) {
      key = this.db
        .selectFrom('server_secrets')
        .select('value')
        .where('name', '=', name)
        .executeTakeFirst()
        .then((row) => (row ? Buffer.from(row.value, 'hex') : undefined));
      key.catch(() => this.older.get(name) === key && this.older.delete(name));
      this.older.set(name, key);
    }
    return key;
  }

  /** The verification-only keys of `name`: after a rotation, and the stored `legacy` one. */
  async olderKeys(name: string, legacy?: string): Promise<Buffer[]> {
    const previous = this.previous(name);
    const stored = legacy ? await this.legacy(legacy) : undefined;
    return [previous, stored].filter((k): k is Buffer => k !== undefined);
  }
}

const registry = new WeakMap<object, ServerKeys>();

/** Makes `keys` the keys of the database `db` (openStorage does, once the secret is read). */
export function registerKeys(db: Kysely<Database>, keys: ServerKeys): void {
  registry.set(db, keys);
}

/** The keys of the database `db` opened by openStorage. */
export function keysOf(db: Kysely<Database>): ServerKeys {
  const keys = registry.get(db);
  if (!keys) throw new Error('No server keys: open the database with openStorage()');
  return keys;
}
