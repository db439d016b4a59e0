import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * `0002_polls`: polls, their options, one row per counted vote (unique per poll and voter: a
 * retry or a race never counts twice), the vote tallies, the per-IP-prefix daily vote counts,
 * and `server_secrets` (the voter-token key and the daily IP salts, shared by every instance).
 * Portable types only; booleans are 0/1 integers; times are epoch milliseconds.
 */
export const pollsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('server_secrets')
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey().notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('polls')
      .addColumn('site', 'text', (c) => c.notNull().references('sites.id'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('question', 'text', (c) => c.notNull())
      .addColumn('multiple', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_choices', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('opens_at', 'bigint')
      .addColumn('closes_at', 'bigint')
      .addColumn('results_visibility', 'text', (c) => c.notNull().defaultTo('always'))
      .addColumn('ip_ceiling', 'integer', (c) => c.notNull().defaultTo(100))
      .addColumn('require_proof', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('polls_pk', ['site', 'id'])
      .addCheckConstraint('polls_visibility_check', sql`results_visibility in ('always', 'after_vote', 'after_close', 'never')`)
      .execute();

    await db.schema
      .createTable('poll_options')
      .addColumn('site', 'text', (c) => c.notNull())
      .addColumn('poll', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('poll_options_pk', ['site', 'poll', 'id'])
      .execute();

    await db.schema
      .createTable('poll_votes')
      .addColumn('site', 'text', (c) => c.notNull())
      .addColumn('poll', 'text', (c) => c.notNull())
      .addColumn('voter', 'text', (c) => c.notNull())
      .addColumn('choices', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      // THE guarantee: one counted vote per (poll, voter), enforced by the database.
      .addPrimaryKeyConstraint('poll_votes_pk', ['site', 'poll', 'voter'])
      .execute();
    // Results over time (admin): a poll's votes by time.
    await db.schema.createIndex('poll_votes_time').on('poll_votes').columns(['site', 'poll', 'created_at']).execute();

    // Counted votes per option (option '' counts voters), spread over a few shard rows so that
    // concurrent votes on PostgreSQL do not all wait for one row lock; a read sums the shards.
    await db.schema
      .createTable('poll_tallies')
      .addColumn('site', 'text', (c) => c.notNull())
      .addColumn('poll', 'text', (c) => c.notNull())
      .addColumn('option', 'text', (c) => c.notNull())
      .addColumn('shard', 'integer', (c) => c.notNull())
      .addColumn('count', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('poll_tallies_pk', ['site', 'poll', 'option', 'shard'])
      .execute();

    await db.schema
      .createTable('poll_ip_counts')
      .addColumn('site', 'text', (c) => c.notNull())
      .addColumn('poll', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('ip_key', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('poll_ip_counts_pk', ['site', 'poll', 'day', 'ip_key'])
      .execute();
  },
};
