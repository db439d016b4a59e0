/**
 * Random server keys kept in the database (`server_secrets`), so every instance sharing one
 * PostgreSQL signs and checks with the same key, and a restart keeps it. Created on first use
 * (insert … on conflict do nothing, then read: the first writer wins a race). Never logged.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';

/** The secret named `name` (32 random bytes, hex), created when missing. */
export async function serverSecret(
  db: Kysely<Database>,
  name: string,
  now = Date.now(),
): Promise<Buffer> {
  const existing = await db
    .selectFrom('server_secrets')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirst();
  if (existing) return Buffer.from(existing.value, 'hex');
  await db
    .insertInto('server_secrets')
    .values({ name, value: randomBytes(32).toString('hex'), created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('server_secrets')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'hex');
}

/**
 * A key kept for the life of the process once read (a failed read is tried again next time):
 * `const key = cachedSecret(db, 'poll-voter-key'); … await key()`.
 */
export function cachedSecret(
  db: Kysely<Database>,
  name: string,
  now?: () => number,
): () => Promise<Buffer> {
  let key: Promise<Buffer> | undefined;
  return () =>
    (key ??= serverSecret(db, name, now?.()).catch((err: unknown) => {
      key = undefined;
      throw err;
    }));
}
