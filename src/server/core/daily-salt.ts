/**
 * Daily salts: the one way the server recognises a client's network without keeping its address.
 * A feature hashes `site + IP prefix` (core/net.ts) under a random salt of the UTC day; the salt
 * lives in the database (`daily_salts`, so every instance hashes alike) and is deleted when the
 * feature no longer needs to recognise that day, after which its hashes identify nothing.
 *
 * The stored salt alone hashes nothing: the salt in use is an HMAC of it under a key derived
 * from the master secret (core/secrets.ts), so a copy of the database cannot link an address to
 * its hashes. Salts stored before that (no `k1:` mark) stay in use as they are until deleted.
 *
 * Each feature has its own salts (`scope`), because each keeps them for its own time: polls until
 * the next day (with that day's vote counts), comments for a week and while a ban needs them.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { Database } from '../db/database.js';
import { keysOf } from './secrets.js';
import { utcDay } from './time.js';

export type SaltScope = 'poll' | 'comment';

/** The mark of a stored salt that is used through the master secret's key. */
const KEYED = 'k1:';

/** HMAC-SHA256 of `site` + IP prefix under `key`, base64url (`bytes`: the first ones only). */
export function saltedHash(
  key: string | Buffer,
  site: string,
  prefix: string,
  bytes?: number,
): string {
  const digest = createHmac('sha256', key).update(`${site}\u0000${prefix}`).digest();
  return (bytes ? digest.subarray(0, bytes) : digest).toString('base64url');
}

export class DailySalt {
  /** Salts by day: a stored salt never changes, so every instance may keep it. */
  private cache = new Map<string, Promise<string>>();

  constructor(
    private readonly db: Kysely<Database>,
    readonly scope: SaltScope,
    private readonly now: () => number = Date.now,
  ) {}

  /** Today (UTC, by this salt's clock). */
  today(): string {
    return utcDay(this.now());
  }

  /** The salt of `day` (64 hex characters), created by whichever instance asks first. */
  of(day: string): Promise<string> {
    return this.cache.get(day) ?? this.remember(day, this.create(day));
  }

  /** The salt of `day` if it is still kept (never creates one). */
  async find(day: string): Promise<string | undefined> {
    const cached = this.cache.get(day);
    if (cached) return cached;
    const salt = await this.read(day);
    if (salt) this.remember(day, Promise.resolve(salt));
    return salt;
  }

  /** Deletes the salts of the days before `day`, except those `keep` holds on to; returns how many went. */
  async deleteBefore(
    day: string,
    keep?: (eb: ExpressionBuilder<Database, 'daily_salts'>) => Expression<SqlBool>,
  ): Promise<number> {
    let query = this.db
      .deleteFrom('daily_salts')
      .where('scope', '=', this.scope)
      .where('day', '<', day);
    if (keep) query = query.where((eb) => eb.not(keep(eb)));
    const result = await query.executeTakeFirst();
    for (const cached of this.cache.keys()) if (cached < day) this.cache.delete(cached);
    return Number(result.numDeletedRows);
  }

  private remember(day: string, salt: Promise<string>): Promise<string> {
    if (this.cache.size > 64) this.cache.clear();
    this.cache.set(day, salt);
    salt.catch(() => this.cache.get(day) === salt && this.cache.delete(day));
    return salt;
  }

  private async create(day: string): Promise<string> {
    await this.db
      .insertInto('daily_salts')
      .values({
        scope: this.scope,
        day,
        salt: `${KEYED}${randomBytes(32).toString('hex')}`,
        created_at: this.now(),
      })
      .onConflict((oc) => oc.columns(['scope', 'day']).doNothing())
      .execute();
    // This instance's salt, or the one another instance wrote first.
    const salt = await this.read(day);
    if (!salt) throw new Error(`The salt of ${day} was not stored`);
    return salt;
  }

  private async read(day: string): Promise<string | undefined> {
    const where = { scope: this.scope, day };
    const row = await this.db
      .selectFrom('daily_salts')
      .select('salt')
      .where((eb) => eb.and(where))
      .executeTakeFirst();
    return row && this.inUse(day, row.salt);
  }

  /** The salt in use for a stored one: keyed by the master secret, or as stored before that. */
  private inUse(day: string, stored: string): string {
    if (!stored.startsWith(KEYED)) return stored;
    return createHmac('sha256', keysOf(this.db).key('daily-salt'))
      .update(`${this.scope}\u0000${day}\u0000${stored.slice(KEYED.length)}`)
      .digest('hex');
  }
}
