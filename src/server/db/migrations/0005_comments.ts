import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { required } from './columns.js';

/**
 * `0005_comments`: comments, bans by IP-hash, the daily salts behind those hashes (moved to
 * `daily_salts` by `0006_daily_salts`), and two per-site settings on `sites` (auto-approve, days
 * before pending comments are purged). Portable types only; times are epoch milliseconds.
 */
export const commentsMigration: Migration = {
  async up(db: Kysely<any>) {
    for (const [column, value] of [
      ['comments_auto_approve', 0],
      ['comments_purge_days', 30],
    ] as const) {
      await db.schema
        .alterTable('sites')
        .addColumn(column, 'integer', (c) => c.notNull().defaultTo(value))
        .execute();
    }

    await db.schema
      .createTable('comments')
      .$call(required({ key: 'id' }))
      .addColumn('site', 'text', (c) => c.notNull().references('sites.id'))
      .$call(required({ text: ['thread', 'name', 'email', 'title', 'content'] }))
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
      .$call(required({ bigint: ['created_at'], text: ['ip_hash', 'salt_day', 'search'] }))
      .addColumn('reply', 'text')
      .addColumn('replied_at', 'bigint')
      .addCheckConstraint(
        'comments_status_check',
        sql`status in ('pending', 'approved', 'rejected')`,
      )
      .execute();
    const indexes: Array<[string, string[]]> = [
      // The public list: one thread's approved comments, newest first (keyset on created_at, id).
      ['comments_thread_listing', ['site', 'thread', 'status', 'created_at', 'id']],
      // Moderation queue and purge: a site's comments by status and age.
      ['comments_site_status', ['site', 'status', 'created_at', 'id']],
      // Per-IP-hash ceiling on posting.
      ['comments_site_ip_hash', ['site', 'ip_hash', 'created_at']],
    ];
    for (const [name, columns] of indexes)
      await db.schema.createIndex(name).on('comments').columns(columns).execute();

    await db.schema
      .createTable('comment_bans')
      .addColumn('site', 'text', (c) => c.notNull().references('sites.id'))
      .$call(required({ text: ['ip_hash', 'salt_day'], bigint: ['created_at', 'expires_at'] }))
      .addPrimaryKeyConstraint('comment_bans_pk', ['site', 'ip_hash'])
      .execute();

    await db.schema
      .createTable('comment_salts')
      .$call(required({ key: 'day', text: ['salt'], bigint: ['created_at'] }))
      .execute();
  },
};
