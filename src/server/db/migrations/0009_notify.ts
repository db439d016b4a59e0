import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { required } from './columns.js';

/**
 * `0009_notify`: moderator notifications. `notify_settings` holds a site's choices (e-mails on or
 * off, the webhook's URL and signing secret); `notify_state` is the e-mail throttle every instance
 * shares: when the site's last mail went out and since when one is owed.
 */
export const notifyMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('notify_settings')
      .$call(required({ key: 'site', integer: ['emails'] }))
      .addColumn('webhook_url', 'text')
      .addColumn('webhook_secret', 'text')
      .$call(required({ bigint: ['updated_at'] }))
      .addForeignKeyConstraint('notify_settings_site', ['site'], 'sites', ['id'], (c) =>
        c.onDelete('cascade'),
      )
      .execute();
    await db.schema
      .createTable('notify_state')
      .$call(required({ key: 'site' }))
      .addColumn('last_mail_at', 'bigint')
      .addColumn('due_since', 'bigint')
      .addForeignKeyConstraint('notify_state_site', ['site'], 'sites', ['id'], (c) =>
        c.onDelete('cascade'),
      )
      .execute();
  },
};
