import type { Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import { listsMigration } from './0003-lists.js';
import { captchaMigration } from './0004-captcha.js';
import { commentsMigration } from './0005-comments.js';
import { pollsMigration } from './0002-polls.js';

/*
 * Migrations shared by SQLite and PostgreSQL: only portable column types (`text`, `bigint`,
 * which SQLite stores as INTEGER) and times as epoch milliseconds. Append new entries
 * (`0002_polls`, `0003_comments`, …); never edit one that has shipped — the name is its id in
 * `kysely_migration`, and they run in name order.
 */
const migrations: Record<string, Migration> = {
  '0001_sites_visits': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('sites')
        .addColumn('id', 'text', (c) => c.primaryKey().notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('origins', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('legacy_offset', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Asia/Ho_Chi_Minh'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('visit_days')
        .addColumn('site', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('count', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('visit_days_pk', ['site', 'day'])
        .execute();

      await db.schema
        .createTable('visit_sessions')
        .addColumn('site', 'text', (c) => c.notNull())
        .addColumn('session', 'text', (c) => c.notNull())
        .addColumn('last_seen', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('visit_sessions_pk', ['site', 'session'])
        .execute();

      await db.schema
        .createIndex('visit_sessions_site_last_seen')
        .on('visit_sessions')
        .columns(['site', 'last_seen'])
        .execute();
    },
  },
  '0002_polls': pollsMigration,
  '0005_comments': commentsMigration,
  '0003_lists': listsMigration,
  '0004_captcha': captchaMigration,
};

/** In-code provider for Kysely's `Migrator` (no migration files to ship or locate at runtime). */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
