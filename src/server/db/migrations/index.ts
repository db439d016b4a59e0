import type { Migration, MigrationProvider } from 'kysely/migration';
import { sitesVisitsMigration } from './0001_sites_visits.js';
import { pollsMigration } from './0002_polls.js';
import { listsMigration } from './0003_lists.js';
import { captchaMigration } from './0004_captcha.js';
import { commentsMigration } from './0005_comments.js';
import { dailySaltsMigration } from './0006_daily_salts.js';
import { authMigration } from './0007_auth.js';
import { auditMigration } from './0008_audit.js';
import { notifyMigration } from './0009_notify.js';
import { userDisabledMigration } from './0010_user_disabled.js';
import { maintenanceMigration } from './0011_maintenance.js';
import { rateCountsMigration } from './0012_rate_counts.js';
import { visitSessionsKeyMigration } from './0013_visit_sessions_key.js';

/*
 * Migrations shared by SQLite and PostgreSQL: only portable column types (`text`, `bigint`,
 * which SQLite stores as INTEGER) and times as epoch milliseconds. Append new entries (a file
 * `NNNN_<what>.ts` each); never change what one that has shipped creates — the name is its id in
 * `kysely_migration`, and they run in name order.
 */
const migrations: Record<string, Migration> = {
  '0001_sites_visits': sitesVisitsMigration,
  '0002_polls': pollsMigration,
  '0003_lists': listsMigration,
  '0004_captcha': captchaMigration,
  '0005_comments': commentsMigration,
  '0006_daily_salts': dailySaltsMigration,
  '0007_auth': authMigration,
  '0008_audit': auditMigration,
  '0009_notify': notifyMigration,
  '0010_user_disabled': userDisabledMigration,
  '0011_maintenance': maintenanceMigration,
  '0012_rate_counts': rateCountsMigration,
  '0013_visit_sessions_key': visitSessionsKeyMigration,
};

/** In-code provider for Kysely's `Migrator` (no migration files to ship or locate at runtime). */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
