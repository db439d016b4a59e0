import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { required } from './columns.js';

/**
 * `0007_auth`: accounts (`users`, e-mail unique case-insensitively through `email_key`), their
 * server-side sessions (`user_sessions`, id = SHA-256 of the cookie's value, gone with the user),
 * failed sign-ins and admin-token attempts (`auth_failures`, keys HMAC-ed: no e-mail or IP), and
 * the API tokens admins create (`api_tokens`, stored as SHA-256).
 */
export const authMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('users')
      .$call(required({ key: 'id', text: ['email', 'email_key', 'name', 'role'] }))
      .addColumn('sites', 'text', (c) => c.notNull().defaultTo('[]'))
      .$call(required({ text: ['password_hash'], bigint: ['created_at', 'updated_at'] }))
      .addUniqueConstraint('users_email_key', ['email_key'])
      .addCheckConstraint('users_role_check', sql`role in ('admin', 'editor')`)
      .execute();

    await db.schema
      .createTable('user_sessions')
      .$call(required({ key: 'id' }))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .$call(required({ bigint: ['created_at', 'last_seen'] }))
      .execute();
    await db.schema
      .createIndex('user_sessions_user')
      .on('user_sessions')
      .columns(['user_id'])
      .execute();
    await db.schema
      .createIndex('user_sessions_last_seen')
      .on('user_sessions')
      .columns(['last_seen'])
      .execute();

    await db.schema
      .createTable('auth_failures')
      .$call(required({ key: 'id', text: ['key'], bigint: ['at'] }))
      .execute();
    await db.schema
      .createIndex('auth_failures_key_at')
      .on('auth_failures')
      .columns(['key', 'at'])
      .execute();

    await db.schema
      .createTable('api_tokens')
      .$call(required({ key: 'id', text: ['name', 'token_hash', 'role'] }))
      .addColumn('sites', 'text', (c) => c.notNull().defaultTo('[]'))
      .$call(required({ text: ['created_by'], bigint: ['created_at'] }))
      .addColumn('last_used_at', 'bigint')
      .addUniqueConstraint('api_tokens_name', ['name'])
      .addUniqueConstraint('api_tokens_hash', ['token_hash'])
      .addCheckConstraint('api_tokens_role_check', sql`role in ('admin', 'editor')`)
      .execute();
  },
};
