import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { required } from './columns.js';

/**
 * `0004_captcha`: issued code challenges (answer stored as an HMAC, single use, attempts),
 * proof-of-work solutions already accepted (unique: a replay is refused by the database), and two
 * columns on `sites`: the captcha mode and the secret for server-to-server verification (existing
 * sites get one here; new sites get one on first use). The captcha HMAC key lives in
 * `server_secrets`, created by `0002_polls`. Portable types only; times are epoch milliseconds.
 */
export const captchaMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('captcha_challenges')
      .$call(
        required({
          key: 'id',
          text: ['site', 'action', 'answer'],
          bigint: ['created_at', 'expires_at'],
        }),
      )
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('used_at', 'bigint')
      .execute();

    await db.schema
      .createTable('captcha_pow_used')
      .$call(required({ key: 'signature', text: ['site'], bigint: ['expires_at'] }))
      .execute();
    // Purging expired rows: by expiry.
    for (const table of ['captcha_challenges', 'captcha_pow_used']) {
      await db.schema.createIndex(`${table}_expires_at`).on(table).column('expires_at').execute();
    }

    await db.schema
      .alterTable('sites')
      .addColumn('captcha_mode', 'text', (c) =>
        c
          .notNull()
          .defaultTo('code+pow')
          .check(sql`captcha_mode in ('code', 'pow', 'code+pow')`),
      )
      .execute();
    await db.schema.alterTable('sites').addColumn('captcha_secret', 'text').execute();
    // The same secret as captcha/store.ts makes: 32 random bytes, base64url.
    for (const { id } of await db.selectFrom('sites').select('id').execute()) {
      await db
        .updateTable('sites')
        .set({ captcha_secret: randomBytes(32).toString('base64url') })
        .where('id', '=', id)
        .execute();
    }
  },
};
