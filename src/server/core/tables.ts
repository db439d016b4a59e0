/** Kysely row types of the core tables: server keys and daily salts. */
import type { Int8 } from '../db/database.js';

/** `server_secrets` (`0002_polls`): random keys shared by every instance (created on first use, never logged). */
export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: Int8;
}

/** `daily_salts` (`0006_daily_salts`): one random salt per scope and UTC day (core/daily-salt.ts). */
export interface DailySaltsTable {
  scope: string;
  day: string;
  /** 32 random bytes, hex. */
  salt: string;
  created_at: Int8;
}

export interface CoreTables {
  server_secrets: ServerSecretsTable;
  daily_salts: DailySaltsTable;
}
