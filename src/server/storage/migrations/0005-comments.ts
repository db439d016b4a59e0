import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * `0005_comments`: comments, bans by IP-hash, the daily salts behind those hashes, and two
 * per-site settings on `sites` (auto-approve, days before pending comments are purged).
 * Portable types only; times are epoch milliseconds.
 */
export const commentsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('sites')
      .addColumn('comments_auto_approve', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('sites')
      .addColumn('comments_purge_days', 'integer', (c) => c.notNull().defaultTo(30))
      .execute();

    await db.schema
      .createTable('comments')
      .addColumn('id', 'text', (c) => c.primaryKey().notNull())
      .addColumn('site', 'text', (c) => c.notNull().references('sites.id'))
      .addColumn('thread', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('ip_hash', 'text', (c) => c.notNull())
      .addColumn('salt_day', 'text', (c) => c.notNull())
      .addColumn('search', 'text', (c) => c.notNull())
      .addColumn('reply', 'text')
      .addColumn('replied_at', 'bigint')
      .addCheckConstraint('comments_status_check', sql`status in ('pending', 'approved', 'rejected')`)
      .execute();
    // The public list: one thread's approved comments, newest first (keyset on created_at, id).
    await db.schema.createIndex('comments_thread_listing').on('comments').columns(['site', 'thread', 'status', 'created_at', 'id']).execute();
    // Moderation queue and purge: a site's comments by status and age.
    await db.schema.createIndex('comments_site_status').on('comments').columns(['site', 'status', 'created_at', 'id']).execute();
    // Per-IP-hash ceiling on posting.
    await db.schema.createIndex('comments_site_ip_hash').on('comments').columns(['site', 'ip_hash', 'created_at']).execute();

    await db.schema
      .createTable('comment_bans')
      .addColumn('site', 'text', (c) => c.notNull().references('sites.id'))
      .addColumn('ip_hash', 'text', (c) => c.notNull())
      .addColumn('salt_day', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('comment_bans_pk', ['site', 'ip_hash'])
      .execute();

    await db.schema
      .createTable('comment_salts')
      .addColumn('day', 'text', (c) => c.primaryKey().notNull())
      .addColumn('salt', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
