import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** A new site secret for `POST /api/v1/captcha/verify`: 32 random bytes, base64url. */
export const newSiteSecret = () => randomBytes(32).toString('base64url');

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
      .addColumn('id', 'text', (c) => c.primaryKey().notNull())
      .addColumn('site', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('answer', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('used_at', 'bigint')
      .execute();
    await db.schema.createIndex('captcha_challenges_expires_at').on('captcha_challenges').column('expires_at').execute();

    await db.schema
      .createTable('captcha_pow_used')
      .addColumn('signature', 'text', (c) => c.primaryKey().notNull())
      .addColumn('site', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('captcha_pow_used_expires_at').on('captcha_pow_used').column('expires_at').execute();

    await db.schema
      .alterTable('sites')
      .addColumn('captcha_mode', 'text', (c) => c.notNull().defaultTo('code+pow').check(sql`captcha_mode in ('code', 'pow', 'code+pow')`))
      .execute();
    await db.schema.alterTable('sites').addColumn('captcha_secret', 'text').execute();
    const sites = await db.selectFrom('sites').select('id').execute();
    for (const { id } of sites) {
      await db.updateTable('sites').set({ captcha_secret: newSiteSecret() }).where('id', '=', id).execute();
    }
  },
};
