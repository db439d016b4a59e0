import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { required } from './columns.js';

/** `0001_sites_visits`: sites, visits per site and local day, and browser sessions for "online now". */
export const sitesVisitsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('sites')
      .$call(required({ key: 'id', text: ['name'] }))
      .addColumn('origins', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('legacy_offset', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Asia/Ho_Chi_Minh'))
      .$call(required({ bigint: ['created_at'] }))
      .execute();

    await db.schema
      .createTable('visit_days')
      .addColumn('site', 'text', (c) => c.notNull().references('sites.id'))
      .$call(required({ text: ['day'], bigint: ['count'] }))
      .addPrimaryKeyConstraint('visit_days_pk', ['site', 'day'])
      .execute();

    await db.schema
      .createTable('visit_sessions')
      .$call(required({ text: ['site', 'session'], bigint: ['last_seen'] }))
      .addPrimaryKeyConstraint('visit_sessions_pk', ['site', 'session'])
      .execute();

    await db.schema
      .createIndex('visit_sessions_site_last_seen')
      .on('visit_sessions')
      .columns(['site', 'last_seen'])
      .execute();
  },
};
