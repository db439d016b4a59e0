import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { required } from './columns.js';

/**
 * `0006_daily_salts`: the two daily IP-salt stores become one table, `daily_salts` (scope, day),
 * read by core/daily-salt.ts. The salts already in use move over unchanged, so the hashes made
 * with them keep matching: the comments' salts (`comment_salts`, scope `comment`: comment hashes
 * and the bans on them) and the polls' (`server_secrets` named `ip-salt:<day>`, scope `poll`:
 * today's per-IP vote counts). The old table and rows go.
 */
export const dailySaltsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('daily_salts')
      .$call(required({ text: ['scope', 'day', 'salt'], bigint: ['created_at'] }))
      .addPrimaryKeyConstraint('daily_salts_pk', ['scope', 'day'])
      .execute();

    const columns = ['scope', 'day', 'salt', 'created_at'] as const;
    await db
      .insertInto('daily_salts')
      .columns(columns)
      .expression(
        db
          .selectFrom('comment_salts')
          .select([sql.lit('comment').as('scope'), 'day', 'salt', 'created_at']),
      )
      .execute();
    const pollSalts = db.selectFrom('server_secrets').where('name', 'like', 'ip-salt:%');
    await db
      .insertInto('daily_salts')
      .columns(columns)
      .expression(
        pollSalts.select([
          sql.lit('poll').as('scope'),
          sql<string>`substr(name, 9)`.as('day'),
          'value',
          'created_at',
        ]),
      )
      .execute();
    await db.deleteFrom('server_secrets').where('name', 'like', 'ip-salt:%').execute();
    await db.schema.dropTable('comment_salts').execute();
  },
};
