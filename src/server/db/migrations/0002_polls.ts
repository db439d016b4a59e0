import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { required } from './columns.js';

/**
 * `0002_polls`: polls, their options, one row per counted vote (unique per poll and voter: a
 * retry or a race never counts twice), the vote tallies, the per-IP-prefix daily vote counts,
 * and `server_secrets` (the voter-token key, shared by every instance; until `0006_daily_salts`
 * also the daily IP salts). Portable types only; booleans are 0/1 integers; times are epoch
 * milliseconds.
 */
export const pollsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('server_secrets')
      .ifNotExists()
      .$call(required({ key: 'name', text: ['value'], bigint: ['created_at'] }))
      .execute();

    await db.schema
      .createTable('polls')
      .addColumn('site', 'text', (c) => c.notNull().references('sites.id'))
      .$call(required({ text: ['id', 'question'] }))
      .addColumn('multiple', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_choices', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('opens_at', 'bigint')
      .addColumn('closes_at', 'bigint')
      .addColumn('results_visibility', 'text', (c) => c.notNull().defaultTo('always'))
      .addColumn('ip_ceiling', 'integer', (c) => c.notNull().defaultTo(100))
      .addColumn('require_proof', 'integer', (c) => c.notNull().defaultTo(0))
      .$call(required({ bigint: ['created_at', 'updated_at'] }))
      .addPrimaryKeyConstraint('polls_pk', ['site', 'id'])
      .addCheckConstraint(
        'polls_visibility_check',
        sql`results_visibility in ('always', 'after_vote', 'after_close', 'never')`,
      )
      .execute();

    await db.schema
      .createTable('poll_options')
      .$call(required({ text: ['site', 'poll', 'id', 'label'], integer: ['position'] }))
      .addPrimaryKeyConstraint('poll_options_pk', ['site', 'poll', 'id'])
      .execute();

    await db.schema
      .createTable('poll_votes')
      .$call(required({ text: ['site', 'poll', 'voter', 'choices'], bigint: ['created_at'] }))
      // THE guarantee: one counted vote per (poll, voter), enforced by the database.
      .addPrimaryKeyConstraint('poll_votes_pk', ['site', 'poll', 'voter'])
      .execute();
    // Results over time (admin): a poll's votes by time.
    await db.schema
      .createIndex('poll_votes_time')
      .on('poll_votes')
      .columns(['site', 'poll', 'created_at'])
      .execute();

    // Counted votes per option (option '' counts voters), spread over a few shard rows so that
    // concurrent votes on PostgreSQL do not all wait for one row lock; a read sums the shards.
    await db.schema
      .createTable('poll_tallies')
      .$call(required({ text: ['site', 'poll', 'option'], integer: ['shard'], bigint: ['count'] }))
      .addPrimaryKeyConstraint('poll_tallies_pk', ['site', 'poll', 'option', 'shard'])
      .execute();

    await db.schema
      .createTable('poll_ip_counts')
      .$call(required({ text: ['site', 'poll', 'day', 'ip_key'], integer: ['count'] }))
      .addPrimaryKeyConstraint('poll_ip_counts_pk', ['site', 'poll', 'day', 'ip_key'])
      .execute();
  },
};
