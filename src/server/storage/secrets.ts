/**
 * Random server keys kept in the database (`server_secrets`), so every instance sharing one
 * PostgreSQL signs and checks with the same key, and a restart keeps it. Created on first use
 * (insert … on conflict do nothing, then read: the first writer wins a race). Never logged.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** The secret named `name` (32 random bytes, hex), created when missing. */
export async function serverSecret(db: Kysely<Database>, name: string, now = Date.now()): Promise<Buffer> {
  const existing = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirst();
  if (existing) return Buffer.from(existing.value, 'hex');
  await db
    .insertInto('server_secrets')
    .values({ name, value: randomBytes(32).toString('hex'), created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'hex');
}

/** Deletes the secrets named `${prefix}…` that sort before `${prefix}${before}` (old daily salts). */
export async function deleteSecretsBefore(db: Kysely<Database>, prefix: string, before: string): Promise<void> {
  await db.deleteFrom('server_secrets').where('name', '>=', prefix).where('name', '<', prefix + before).execute();
}
