/**
 * Notification storage: a site's settings (e-mails, webhook) and the e-mail throttle that every
 * instance shares. A mail is sent by whichever instance *claims* it: one conditional update that
 * only succeeds once the site's window has passed, so two instances never both send.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';

export interface NotifySettings {
  emails: boolean;
  webhookUrl: string | null;
  /** Whether a signing secret exists (the secret itself is read only to sign). */
  hasSecret: boolean;
}

export const DEFAULT_SETTINGS: NotifySettings = {
  emails: true,
  webhookUrl: null,
  hasSecret: false,
};

/** A webhook signing secret: 32 random bytes, base64url. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

export class NotifyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async settings(site: string): Promise<NotifySettings> {
    const row = await this.db
      .selectFrom('notify_settings')
      .select(['emails', 'webhook_url', 'webhook_secret'])
      .where('site', '=', site)
      .executeTakeFirst();
    if (!row) return { ...DEFAULT_SETTINGS };
    return {
      emails: Number(row.emails) === 1,
      webhookUrl: row.webhook_url,
      hasSecret: row.webhook_secret !== null,
    };
  }

  /** The webhook to call for `site` (URL and secret), if it has one. */
  async webhook(site: string): Promise<{ url: string; secret: string } | undefined> {
    const row = await this.db
      .selectFrom('notify_settings')
      .select(['webhook_url', 'webhook_secret'])
      .where('site', '=', site)
      .executeTakeFirst();
    return row?.webhook_url && row.webhook_secret
      ? { url: row.webhook_url, secret: row.webhook_secret }
      : undefined;
  }

  /**
   * Saves the settings; a webhook without a secret gets one, returned once (else undefined).
   * Removing the webhook keeps no secret.
   */
  async save(
    site: string,
    { emails, webhookUrl }: { emails: boolean; webhookUrl: string | null },
    now: number,
  ): Promise<string | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('notify_settings')
        .select('webhook_secret')
        .where('site', '=', site)
        .executeTakeFirst();
      const created = webhookUrl !== null && !row?.webhook_secret ? newWebhookSecret() : undefined;
      const secret = webhookUrl === null ? null : (created ?? row?.webhook_secret ?? null);
      const values = {
        emails: emails ? 1 : 0,
        webhook_url: webhookUrl,
        webhook_secret: secret,
        updated_at: now,
      };
      await trx
        .insertInto('notify_settings')
        .values({ site, ...values })
        .onConflict((oc) => oc.column('site').doUpdateSet(values))
        .execute();
      return created;
    });
  }

  /** A new webhook secret for a site that has a webhook; undefined when it has none. */
  async rotateSecret(site: string, now: number): Promise<string | undefined> {
    const secret = newWebhookSecret();
    const result = await this.db
      .updateTable('notify_settings')
      .set({ webhook_secret: secret, updated_at: now })
      .where('site', '=', site)
      .where('webhook_url', 'is not', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n ? secret : undefined;
  }

  /** Notes that a mail is owed to `site`'s moderators (kept from the first comment that waits). */
  async markDue(site: string, now: number): Promise<void> {
    await this.db
      .insertInto('notify_state')
      .values({ site, last_mail_at: null, due_since: now })
      .onConflict((oc) =>
        oc.column('site').doUpdateSet((eb) => ({
          due_since: eb.fn.coalesce('notify_state.due_since', eb.val(now)),
        })),
      )
      .execute();
  }

  /**
   * Takes the owed mail of `site` for this instance when its window (`windowMs` since the last
   * mail) has passed: true for exactly one caller.
   */
  async claim(site: string, now: number, windowMs: number): Promise<boolean> {
    const result = await this.db
      .updateTable('notify_state')
      .set({ last_mail_at: now, due_since: null })
      .where('site', '=', site)
      .where('due_since', 'is not', null)
      .where((eb) =>
        eb.or([eb('last_mail_at', 'is', null), eb('last_mail_at', '<=', now - windowMs)]),
      )
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Puts back a claimed mail that could not be sent: it is tried again at the next window. */
  async release(site: string, dueSince: number): Promise<void> {
    await this.db
      .updateTable('notify_state')
      .set({ due_since: dueSince })
      .where('site', '=', site)
      .where('due_since', 'is', null)
      .execute();
  }

  /** Sites owed a mail whose window has passed. */
  async dueSites(now: number, windowMs: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('notify_state')
      .select('site')
      .where('due_since', 'is not', null)
      .where((eb) =>
        eb.or([eb('last_mail_at', 'is', null), eb('last_mail_at', '<=', now - windowMs)]),
      )
      .execute();
    return rows.map((r) => r.site);
  }

  /** Comments waiting for a moderator on `site`. */
  async pendingCount(site: string): Promise<number> {
    const row = await this.db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('site', '=', site)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The e-mail addresses of `site`'s moderators: every active admin and the editors who list it. */
  async moderators(site: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('users')
      .select(['email', 'role', 'sites'])
      .where('disabled_at', 'is', null)
      .execute();
    return rows
      .filter((u) => {
        if (u.role === 'admin') return true;
        try {
          return (JSON.parse(u.sites) as unknown[]).includes(site);
        } catch {
          return false;
        }
      })
      .map((u) => u.email);
  }

  async siteName(site: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('sites')
      .select('name')
      .where('id', '=', site)
      .executeTakeFirst();
    return row?.name;
  }
}
