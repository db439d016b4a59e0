import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * `0012_rate_counts`: events per client network and fixed window (core/rates.ts): the captcha's
 * adaptive cost and the issuing of voter tokens. `key` is an HMAC of scope and IP prefix, never
 * an address; rows expire two windows after theirs began.
 */
export const rateCountsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('rate_counts')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('slot', 'bigint', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('rate_counts_pk', ['key', 'slot'])
      .execute();
    await db.schema
      .createIndex('rate_counts_expires_at')
      .on('rate_counts')
      .column('expires_at')
      .execute();
  },
};
