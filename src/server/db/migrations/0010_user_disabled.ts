import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * `0010_user_disabled`: an account can be disabled (`users.disabled_at`, null while active): it
 * cannot sign in, its sessions end, and it no longer counts as an administrator.
 */
export const userDisabledMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('users').addColumn('disabled_at', 'bigint').execute();
  },
};
