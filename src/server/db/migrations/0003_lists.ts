import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { required } from './columns.js';

/** `0003_lists`: slogan lists and link lists (lists/store.ts), one row per list. */
export const listsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('lists')
      .addColumn('site', 'text', (c) => c.notNull().references('sites.id'))
      .$call(required({ text: ['kind', 'id'] }))
      .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('items', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(1))
      .$call(required({ bigint: ['created_at', 'updated_at'] }))
      .addPrimaryKeyConstraint('lists_pk', ['site', 'kind', 'id'])
      .execute();
  },
};
