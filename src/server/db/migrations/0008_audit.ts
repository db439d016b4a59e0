import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { required } from './columns.js';

/**
 * `0008_audit`: the audit log, one row per change through the admin API (and the CLI). Rows are
 * only ever added: no route updates or deletes them. `user_id` is kept without a foreign key, so
 * the history outlives a deleted account.
 */
export const auditMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('audit_log')
      .$call(required({ key: 'id', bigint: ['at'], text: ['actor'] }))
      .addColumn('user_id', 'text')
      .$call(required({ text: ['action'] }))
      .addColumn('site', 'text')
      .addColumn('target', 'text')
      .addColumn('before', 'text')
      .addColumn('after', 'text')
      .execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute();
    await db.schema
      .createIndex('audit_log_site_at')
      .on('audit_log')
      .columns(['site', 'at', 'id'])
      .execute();
  },
};
