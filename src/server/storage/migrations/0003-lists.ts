import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** `0003_lists`: slogan lists and link lists (src/server/storage/lists.ts), one row per list. */
export const listsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('lists')
      .addColumn('site', 'text', (c) => c.notNull().references('sites.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('items', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('lists_pk', ['site', 'kind', 'id'])
      .execute();
  },
};
