/** Kysely row types of accounts, sessions, failed attempts and API tokens (`0007_auth`). */
import type { ColumnType } from 'kysely';
import type { Role } from '../core/admin.js';
import type { Int8 } from '../db/database.js';

/** `users`: one row per account. */
export interface UsersTable {
  /** Random, URL-safe, 16 characters. */
  id: string;
  /** As entered; shown to admins and to the user, never in a public response or a log line. */
  email: string;
  /** The e-mail in lower case: unique. */
  email_key: string;
  name: string;
  role: Role;
  /** JSON array of the site ids an editor manages (`[]` for an admin). */
  sites: string;
  /** `scrypt$ln=…,r=…,p=…$<salt>$<hash>` (auth/password.ts); never returned or logged. */
  password_hash: string;
  created_at: Int8;
  updated_at: Int8;
  /** When the account was disabled (`0010_user_disabled`); null while it is active. */
  disabled_at: ColumnType<number | string | null, number | null | undefined, number | null>;
}

/** `user_sessions`: a signed-in browser. */
export interface UserSessionsTable {
  /** SHA-256 (hex) of the cookie's random value: the database alone cannot sign anyone in. */
  id: string;
  user_id: string;
  created_at: Int8;
  last_seen: Int8;
}

/** `auth_failures`: one failed sign-in or admin-token attempt. */
export interface AuthFailuresTable {
  id: string;
  /** HMAC of `<scope>:<account or IP prefix>` under a server key: no e-mail, no IP. */
  key: string;
  at: Int8;
}

/** `api_tokens`: bearer tokens for automation, scoped to a role and sites. */
export interface ApiTokensTable {
  id: string;
  /** Unique; the audit log names the token `token:<name>`. */
  name: string;
  /** SHA-256 (hex) of the token, which is shown once. */
  token_hash: string;
  role: Role;
  /** JSON array of site ids (editor tokens). */
  sites: string;
  /** Who created it (the audit log's actor). */
  created_by: string;
  created_at: Int8;
  last_used_at: Int8<number | null> | null;
}

export interface AuthTables {
  users: UsersTable;
  user_sessions: UserSessionsTable;
  auth_failures: AuthFailuresTable;
  api_tokens: ApiTokensTable;
}
