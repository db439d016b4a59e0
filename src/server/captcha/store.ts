/**
 * Captcha storage: issued code challenges, accepted proofs of work, and the per-site captcha
 * settings on `sites`. Every rule that must hold across server instances is decided by the
 * database: single use is one conditional UPDATE, a PoW replay hits a primary key.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { CaptchaMode } from '../../shared/captcha.js';
import type { Database } from '../db/database.js';

export type { CaptchaMode } from '../../shared/captcha.js';
export const CAPTCHA_MODES: readonly CaptchaMode[] = ['code', 'pow', 'code+pow'];

/** A new site secret for `POST /api/v1/captcha/verify`: 32 random bytes, base64url. */
export const newSiteSecret = () => randomBytes(32).toString('base64url');

/** Wrong answers after which a challenge is dead. */
export const MAX_ATTEMPTS = 3;

export interface StoredChallenge {
  id: string;
  site: string;
  action: string;
  answer: string;
  expiresAt: number;
  attempts: number;
  usedAt: number | null;
}

export class CaptchaStore {
  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async insertChallenge(c: {
    id: string;
    site: string;
    action: string;
    answer: string;
    createdAt: number;
    expiresAt: number;
  }): Promise<void> {
    await this.db
      .insertInto('captcha_challenges')
      .values({
        id: c.id,
        site: c.site,
        action: c.action,
        answer: c.answer,
        created_at: c.createdAt,
        expires_at: c.expiresAt,
        attempts: 0,
        used_at: null,
      })
      .execute();
  }

  async getChallenge(id: string): Promise<StoredChallenge | undefined> {
    const challenges = this.db.selectFrom('captcha_challenges');
    const row = await challenges.selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const { site, action, answer, expires_at, attempts, used_at } = row;
    const usedAt = used_at === null ? null : Number(used_at);
    return {
      id,
      site,
      action,
      answer,
      expiresAt: Number(expires_at),
      attempts: Number(attempts),
      usedAt,
    };
  }

  /**
   * Marks the challenge used if — at this instant, in the database — it is unused, unexpired and
   * not dead. Of two concurrent calls exactly one gets `true`.
   */
  async markUsed(id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('captcha_challenges')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .where('attempts', '<', MAX_ATTEMPTS)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Counts one wrong answer (only while the challenge is live); returns the attempts now stored. */
  async addAttempt(id: string, now: number): Promise<number> {
    await this.db
      .updateTable('captcha_challenges')
      .set({ attempts: sql<number>`attempts + 1` })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .where('attempts', '<', MAX_ATTEMPTS)
      .execute();
    const row = await this.db
      .selectFrom('captcha_challenges')
      .select('attempts')
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(row?.attempts ?? MAX_ATTEMPTS);
  }

  /** Records an accepted proof of work; false when that one was already used (replay). */
  async usePow(signature: string, site: string, expiresAt: number): Promise<boolean> {
    const result = await this.db
      .insertInto('captcha_pow_used')
      .values({ signature, site, expires_at: expiresAt })
      .onConflict((oc) => oc.column('signature').doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  /** Deletes challenges and PoW records that expired before `before`; returns how many went. */
  async purge(before: number): Promise<number> {
    const challenges = await this.db
      .deleteFrom('captcha_challenges')
      .where('expires_at', '<', before)
      .executeTakeFirst();
    const proofs = await this.db
      .deleteFrom('captcha_pow_used')
      .where('expires_at', '<', before)
      .executeTakeFirst();
    return Number(challenges.numDeletedRows) + Number(proofs.numDeletedRows);
  }

  async getMode(site: string): Promise<CaptchaMode | undefined> {
    const row = await this.settings(site);
    if (!row) return undefined;
    const mode = row.captcha_mode as CaptchaMode;
    return CAPTCHA_MODES.includes(mode) ? mode : 'code+pow';
  }

  /** False when the site does not exist. */
  async setMode(site: string, mode: CaptchaMode): Promise<boolean> {
    return this.set(site, { captcha_mode: mode });
  }

  /** The site's verify secret, created when missing (the first writer wins a race); undefined for an unknown site. */
  async getSecret(site: string): Promise<string | undefined> {
    const row = await this.settings(site);
    if (!row) return undefined;
    if (row.captcha_secret) return row.captcha_secret;
    await this.set(site, { captcha_secret: newSiteSecret() }, { unlessSecret: true });
    return this.getSecret(site);
  }

  /** Replaces the site's verify secret; undefined for an unknown site. */
  async rotateSecret(site: string): Promise<string | undefined> {
    const secret = newSiteSecret();
    return (await this.set(site, { captcha_secret: secret })) ? secret : undefined;
  }

  /** The site's captcha columns; undefined for an unknown site. */
  private settings(site: string) {
    const query = this.db.selectFrom('sites').select(['captcha_mode', 'captcha_secret']);
    return query.where('id', '=', site).executeTakeFirst();
  }

  /** Sets captcha columns of the site (`unlessSecret`: only while it has no secret); false when nothing changed. */
  private async set(
    site: string,
    values: { captcha_mode?: CaptchaMode; captcha_secret?: string },
    { unlessSecret = false } = {},
  ) {
    let query = this.db.updateTable('sites').set(values).where('id', '=', site);
    if (unlessSecret) query = query.where('captcha_secret', 'is', null);
    return (await query.executeTakeFirst()).numUpdatedRows > 0n;
  }
}
