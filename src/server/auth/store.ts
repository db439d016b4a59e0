/**
 * Accounts, sessions, failed attempts and API tokens over Kysely (SQLite and PostgreSQL alike).
 * Secrets never come back out: a session or token is found by the SHA-256 of what the client
 * presents, and the password hash is read only to check a sign-in.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Role } from '../core/admin.js';
import type { Database } from '../db/database.js';
import type { ApiTokensTable, UsersTable } from './tables.js';

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** The sites an editor manages (`[]` for an admin). */
  sites: string[];
  /** A disabled account cannot sign in and has no session. */
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  sites: string[];
  passwordHash: string;
}

export interface UserPatch {
  name?: string;
  role?: Role;
  sites?: string[];
  disabled?: boolean;
}

export interface SessionRecord {
  id: string;
  createdAt: number;
  lastSeen: number;
  user: UserRecord;
}

export interface TokenRecord {
  id: string;
  name: string;
  role: Role;
  sites: string[];
  createdBy: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface NewToken {
  name: string;
  role: Role;
  sites: string[];
  createdBy: string;
}

/** Random, URL-safe, 16 characters. */
export const newId = () => randomBytes(12).toString('base64url');
/** SHA-256, hex: how sessions and tokens are stored. */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
/** The key an e-mail is unique by. */
export const emailKey = (email: string) => email.trim().toLowerCase();

const sitesOf = (json: string) => JSON.parse(json) as string[];

function toUser(row: Selectable<UsersTable>): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    sites: sitesOf(row.sites),
    disabled: row.disabled_at !== null,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toToken(row: Selectable<ApiTokensTable>): TokenRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    sites: sitesOf(row.sites),
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  };
}

/** What changing a user's role, disabling or deleting them would do to the last administrator. */
export type GuardedOutcome = 'ok' | 'not_found' | 'last_admin';

export class AuthStore {
  constructor(
    readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  // Users

  /** The new user; undefined when the e-mail is taken (case-insensitively). */
  async createUser(user: NewUser, now: number): Promise<UserRecord | undefined> {
    const id = newId();
    const result = await this.db
      .insertInto('users')
      .values({
        id,
        email: user.email.trim(),
        email_key: emailKey(user.email),
        name: user.name,
        role: user.role,
        sites: JSON.stringify(user.role === 'admin' ? [] : user.sites),
        password_hash: user.passwordHash,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('email_key').doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n ? this.user(id) : undefined;
  }

  async user(id: string): Promise<UserRecord | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toUser(row);
  }

  /** The user and their password hash, for a sign-in. */
  async userForLogin(email: string): Promise<{ user: UserRecord; hash: string } | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('email_key', '=', emailKey(email))
      .executeTakeFirst();
    return row && { user: toUser(row), hash: row.password_hash };
  }

  async users(): Promise<UserRecord[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('email_key').execute();
    return rows.map(toUser);
  }

  /** True when any account or API token exists (else, without ADMIN_TOKEN, the admin API is off). */
  async hasAccounts(): Promise<boolean> {
    const user = await this.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (user) return true;
    return !!(await this.db.selectFrom('api_tokens').select('id').limit(1).executeTakeFirst());
  }

  /**
   * Runs `work` in a transaction after locking the active administrators' rows (PostgreSQL;
   * SQLite writes one at a time), with their ids: two requests cannot remove the last two.
   */
  private withAdmins<T>(work: (trx: Kysely<Database>, admins: string[]) => Promise<T>) {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'admin')
        .where('disabled_at', 'is', null)
        .$if(this.dialect === 'postgres', (q) => q.forUpdate())
        .execute();
      return work(
        trx,
        rows.map((r) => r.id),
      );
    });
  }

  async updateUser(id: string, patch: UserPatch, now: number): Promise<GuardedOutcome> {
    return this.withAdmins(async (trx, admins) => {
      const row = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return 'not_found';
      const role = patch.role ?? row.role;
      const disabled = patch.disabled ?? row.disabled_at !== null;
      const stillAdmin = role === 'admin' && !disabled;
      if (admins.includes(id) && !stillAdmin && admins.length <= 1) return 'last_admin';
      const sites = role === 'admin' ? [] : (patch.sites ?? sitesOf(row.sites));
      await trx
        .updateTable('users')
        .set({
          name: patch.name ?? row.name,
          role,
          sites: JSON.stringify(sites),
          disabled_at: disabled ? (row.disabled_at === null ? now : Number(row.disabled_at)) : null,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
      // A disabled account's sessions end at once.
      if (disabled) await trx.deleteFrom('user_sessions').where('user_id', '=', id).execute();
      return 'ok';
    });
  }

  /**
   * Sets a new password hash and ends the user's sessions, but for `keep` (the session that
   * changed its own password); false for an unknown user.
   */
  async setPassword(id: string, hash: string, now: number, keep?: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('users')
        .set({ password_hash: hash, updated_at: now })
        .where('id', '=', id)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      await trx
        .deleteFrom('user_sessions')
        .where('user_id', '=', id)
        .$if(keep !== undefined, (q) => q.where('id', '!=', keep!))
        .execute();
      return true;
    });
  }

  /** Deletes the user (their sessions go with them). */
  async deleteUser(id: string): Promise<GuardedOutcome> {
    return this.withAdmins(async (trx, admins) => {
      const row = await trx
        .selectFrom('users')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return 'not_found';
      if (admins.includes(id) && admins.length <= 1) return 'last_admin';
      await trx.deleteFrom('user_sessions').where('user_id', '=', id).execute();
      await trx.deleteFrom('users').where('id', '=', id).execute();
      return 'ok';
    });
  }

  // Sessions

  /** A new session of `userId`; returns the cookie's value (only its SHA-256 is stored). */
  async createSession(userId: string, now: number): Promise<string> {
    const value = randomBytes(32).toString('base64url');
    await this.db
      .insertInto('user_sessions')
      .values({ id: sha256(value), user_id: userId, created_at: now, last_seen: now })
      .execute();
    return value;
  }

  /** The session stored as `id` (a SHA-256) and its user (none for a disabled account). */
  async session(id: string): Promise<SessionRecord | undefined> {
    const row = await this.db
      .selectFrom('user_sessions')
      .innerJoin('users', 'users.id', 'user_sessions.user_id')
      .selectAll('users')
      .select([
        'user_sessions.id as session_id',
        'user_sessions.created_at as session_created_at',
        'user_sessions.last_seen',
      ])
      .where('user_sessions.id', '=', id)
      .where('users.disabled_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    const { session_id, session_created_at, last_seen, ...user } = row;
    return {
      id: session_id,
      createdAt: Number(session_created_at),
      lastSeen: Number(last_seen),
      user: toUser(user),
    };
  }

  async touchSession(id: string, now: number): Promise<void> {
    await this.db
      .updateTable('user_sessions')
      .set({ last_seen: now })
      .where('id', '=', id)
      .execute();
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.deleteFrom('user_sessions').where('id', '=', id).execute();
  }

  /** Deletes sessions idle since `idleBefore` or created before `createdBefore`. */
  async pruneSessions(idleBefore: number, createdBefore: number): Promise<number> {
    const result = await this.db
      .deleteFrom('user_sessions')
      .where((eb) =>
        eb.or([eb('last_seen', '<', idleBefore), eb('created_at', '<', createdBefore)]),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  // Failed attempts

  /** The times (oldest first) of the failures under each of `keys` since `since`. */
  async failures(keys: string[], since: number): Promise<Map<string, number[]>> {
    const rows = await this.db
      .selectFrom('auth_failures')
      .select(['key', 'at'])
      .where('key', 'in', keys)
      .where('at', '>', since)
      .orderBy('at')
      .execute();
    const byKey = new Map<string, number[]>(keys.map((k) => [k, []]));
    for (const row of rows) byKey.get(row.key)?.push(Number(row.at));
    return byKey;
  }

  async addFailure(keys: string[], now: number): Promise<void> {
    await this.db
      .insertInto('auth_failures')
      .values(keys.map((key) => ({ id: newId(), key, at: now })))
      .execute();
  }

  async clearFailures(key: string): Promise<void> {
    await this.db.deleteFrom('auth_failures').where('key', '=', key).execute();
  }

  async pruneFailures(before: number): Promise<number> {
    const result = await this.db
      .deleteFrom('auth_failures')
      .where('at', '<=', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  // API tokens

  /** A new token: its record and the secret (shown once); undefined when the name is taken. */
  async createToken(
    token: NewToken,
    now: number,
  ): Promise<{ record: TokenRecord; secret: string } | undefined> {
    const secret = `cwt_${randomBytes(32).toString('base64url')}`;
    const id = newId();
    const result = await this.db
      .insertInto('api_tokens')
      .values({
        id,
        name: token.name,
        token_hash: sha256(secret),
        role: token.role,
        sites: JSON.stringify(token.role === 'admin' ? [] : token.sites),
        created_by: token.createdBy,
        created_at: now,
        last_used_at: null,
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    if ((result.numInsertedOrUpdatedRows ?? 0n) === 0n) return undefined;
    const row = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return { record: toToken(row), secret };
  }

  /** The token whose secret is `secret`. */
  async tokenBySecret(secret: string): Promise<TokenRecord | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', sha256(secret))
      .executeTakeFirst();
    return row && toToken(row);
  }

  async tokens(): Promise<TokenRecord[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().orderBy('name').execute();
    return rows.map(toToken);
  }

  async token(id: string): Promise<TokenRecord | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toToken(row);
  }

  async touchToken(id: string, now: number): Promise<void> {
    await this.db
      .updateTable('api_tokens')
      .set({ last_used_at: now })
      .where('id', '=', id)
      .execute();
  }

  async deleteToken(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('api_tokens').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
