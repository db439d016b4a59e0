/** Kysely row types of the core tables: server keys, daily salts, the maintenance lease and rate counts. */
import type { ColumnType } from 'kysely';
import type { Int8 } from '../db/database.js';

/**
 * `server_secrets` (`0002_polls`): the random keys older versions kept here. Read only to verify
 * what they signed (core/secrets.ts); no key is stored here any more.
 */
export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: Int8;
}

/** `daily_salts` (`0006_daily_salts`): one random salt per scope and UTC day (core/daily-salt.ts). */
export interface DailySaltsTable {
  scope: string;
  day: string;
  /** `k1:` + 32 random bytes (hex), used through the master secret's key; older rows: the bytes alone. */
  salt: string;
  created_at: Int8;
}

/** `maintenance_runs` (`0011_maintenance`): when each periodic job is next due, and who ran it last. */
export interface MaintenanceRunsTable {
  job: string;
  /** A random id of the instance that claimed the last round. */
  holder: string;
  next_at: Int8;
  last_at: Int8;
}

/** `rate_counts` (`0012_rate_counts`): events per client network and fixed window (core/rates.ts). */
export interface RateCountsTable {
  /** HMAC of scope and IP prefix (16 bytes, base64url). */
  key: string;
  /** The window's number: epoch ms divided by the window's length. */
  slot: Int8;
  count: ColumnType<number | string, number, number>;
  /** When the row can no longer count (two windows after its own began). */
  expires_at: Int8;
}

export interface CoreTables {
  maintenance_runs: MaintenanceRunsTable;
  server_secrets: ServerSecretsTable;
  daily_salts: DailySaltsTable;
  rate_counts: RateCountsTable;
}
