/**
 * Comment storage: comments, moderation, and bans by IP-hash.
 *
 * No raw IP is stored. A commenter's network is `HMAC(salt of the UTC day, site + IP prefix)`
 * under the comments' daily salt (core/daily-salt.ts), kept for {@link SALT_KEEP_DAYS} days — the
 * window in which a moderator can still ban from a comment — and then deleted, after which the
 * stored hashes can no longer be linked to anything. A ban keeps its day's salt until the ban
 * expires, which is what lets it recognise the network later.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable, type SelectQueryBuilder } from 'kysely';
import { DailySalt, saltedHash } from '../core/daily-salt.js';
import { utcDay } from '../core/time.js';
import type { Database } from '../db/database.js';
import type { CommentStatus, CommentsTable } from './tables.js';

export type { CommentStatus } from './tables.js';
export type CommentRow = Selectable<CommentsTable>;

const DAY_MS = 86_400_000;
/** Days a salt (and so the link between a comment and its network) is kept without a ban. */
export const SALT_KEEP_DAYS = 7;

/** Keyset position: list rows older than this (created_at, id) pair. */
export interface CommentCursor {
  createdAt: number;
  id: string;
}

export interface NewCommentRow extends Pick<
  CommentsTable,
  'site' | 'thread' | 'name' | 'email' | 'title' | 'content' | 'status'
> {
  ipHash: string;
  saltDay: string;
}

export interface CommentSettings {
  autoApprove: boolean;
  /** 0: pending comments are kept until a moderator acts. */
  purgeDays: number;
}

export interface AdminQuery {
  status?: CommentStatus;
  /** Words to find in name, title or content (case and diacritics ignored). */
  q?: string;
  before?: CommentCursor;
  limit: number;
}

/** Lower case without diacritics (`Huế` → `hue`, `Đà` → `da`), for search. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/đ/g, 'd');
}

export class CommentStore {
  private readonly salts: DailySalt;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {
    this.salts = new DailySalt(db, 'comment', now);
  }

  /** Today's hash of `site` + `prefix` (creating today's salt on first use). */
  async ipHash(site: string, prefix: string): Promise<{ hash: string; day: string }> {
    const day = this.salts.today();
    return { hash: saltedHash(await this.salts.of(day), site, prefix), day };
  }

  /** Whether an active ban on `site` matches this network under any salt a ban still holds. */
  async isBanned(site: string, prefix: string): Promise<boolean> {
    const bans = await this.db
      .selectFrom('comment_bans')
      .select(['ip_hash', 'salt_day'])
      .where('site', '=', site)
      .where('expires_at', '>', this.now())
      .execute();
    const byDay = new Map<string, string | undefined>();
    for (const ban of bans) {
      if (!byDay.has(ban.salt_day)) {
        const salt = await this.salts.find(ban.salt_day);
        byDay.set(ban.salt_day, salt && saltedHash(salt, site, prefix));
      }
      if (byDay.get(ban.salt_day) === ban.ip_hash) return true;
    }
    return false;
  }

  /** Comments posted on `site` from `ipHash` since `since`, and the oldest of them. */
  async postedSince(
    site: string,
    ipHash: string,
    since: number,
  ): Promise<{ count: number; oldest: number }> {
    const row = await this.db
      .selectFrom('comments')
      .select((eb) => [eb.fn.countAll().as('count'), eb.fn.min('created_at').as('oldest')])
      .where('site', '=', site)
      .where('ip_hash', '=', ipHash)
      .where('created_at', '>=', since)
      .executeTakeFirstOrThrow();
    return { count: Number(row.count), oldest: Number(row.oldest ?? 0) };
  }

  async settings(site: string): Promise<CommentSettings | undefined> {
    const row = await this.db
      .selectFrom('sites')
      .select(['comments_auto_approve', 'comments_purge_days'])
      .where('id', '=', site)
      .executeTakeFirst();
    return (
      row && {
        autoApprove: Number(row.comments_auto_approve) === 1,
        purgeDays: Number(row.comments_purge_days),
      }
    );
  }

  async setSettings(site: string, s: CommentSettings): Promise<boolean> {
    const result = await this.db
      .updateTable('sites')
      .set({ comments_auto_approve: s.autoApprove ? 1 : 0, comments_purge_days: s.purgeDays })
      .where('id', '=', site)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async create(c: NewCommentRow, createdAt = this.now()): Promise<CommentRow> {
    const row = {
      id: randomBytes(12).toString('base64url'),
      site: c.site,
      thread: c.thread,
      name: c.name,
      email: c.email,
      title: c.title,
      content: c.content,
      status: c.status,
      created_at: createdAt,
      ip_hash: c.ipHash,
      salt_day: c.saltDay,
      search: fold(`${c.name}\n${c.title}\n${c.content}`),
      reply: null,
      replied_at: null,
    };
    await this.db.insertInto('comments').values(row).execute();
    return row;
  }

  /** One page of a thread's approved comments, newest first, and the thread's approved total. */
  async listApproved(
    site: string,
    thread: string,
    limit: number,
    before?: CommentCursor,
  ): Promise<{ rows: CommentRow[]; total: number }> {
    const base = this.db
      .selectFrom('comments')
      .where('site', '=', site)
      .where('thread', '=', thread)
      .where('status', '=', 'approved');
    const [rows, total] = await Promise.all([
      keyset(base.selectAll(), before).limit(limit).execute(),
      base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(total.n) };
  }

  /** Moderation list: a site's comments, newest first, filtered by status and search words. */
  async listForModeration(
    site: string,
    query: AdminQuery,
  ): Promise<{ rows: CommentRow[]; total: number }> {
    let base = this.db.selectFrom('comments').where('site', '=', site);
    if (query.status) base = base.where('status', '=', query.status);
    for (const word of fold(query.q ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 8)) {
      const pattern = `%${word.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      base = base.where(sql<boolean>`search like ${pattern} escape '\\'`);
    }
    const [rows, total] = await Promise.all([
      keyset(base.selectAll(), query.before).limit(query.limit).execute(),
      base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(total.n) };
  }

  async get(site: string, id: string): Promise<CommentRow | undefined> {
    return this.db
      .selectFrom('comments')
      .selectAll()
      .where('site', '=', site)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Sets the status of the listed comments of `site`; returns how many exist. */
  async setStatus(site: string, ids: string[], status: CommentStatus): Promise<number> {
    const result = await this.db
      .updateTable('comments')
      .set({ status })
      .where('site', '=', site)
      .where('id', 'in', ids)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async remove(site: string, ids: string[]): Promise<number> {
    const result = await this.db
      .deleteFrom('comments')
      .where('site', '=', site)
      .where('id', 'in', ids)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Sets (or with null removes) the official reply; undefined when there is no such comment. */
  async setReply(site: string, id: string, reply: string | null): Promise<CommentRow | undefined> {
    const result = await this.db
      .updateTable('comments')
      .set({ reply, replied_at: reply === null ? null : this.now() })
      .where('site', '=', site)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n ? this.get(site, id) : undefined;
  }

  /**
   * Bans the network a comment came from, for `days`. 'gone': the comment is older than the
   * salt window, so its hash can no longer be recognised. Bans are only placed for salts at
   * least a day younger than the ones {@link maintain} deletes, so the two never race.
   */
  async ban(
    site: string,
    id: string,
    days: number,
  ): Promise<{ expiresAt: number } | 'not_found' | 'gone'> {
    const comment = await this.get(site, id);
    if (!comment) return 'not_found';
    const now = this.now();
    if (comment.salt_day < utcDay(now - (SALT_KEEP_DAYS - 1) * DAY_MS)) return 'gone';
    if (!(await this.salts.find(comment.salt_day))) return 'gone';
    const expiresAt = now + days * DAY_MS;
    await this.db
      .insertInto('comment_bans')
      .values({
        site,
        ip_hash: comment.ip_hash,
        salt_day: comment.salt_day,
        created_at: now,
        expires_at: expiresAt,
      })
      .onConflict((oc) =>
        oc.columns(['site', 'ip_hash']).doUpdateSet({ expires_at: expiresAt, created_at: now }),
      )
      .execute();
    return { expiresAt };
  }

  /** Lifts the ban on a comment's network; false when there was none. */
  async unban(site: string, id: string): Promise<boolean | 'not_found'> {
    const comment = await this.get(site, id);
    if (!comment) return 'not_found';
    const result = await this.db
      .deleteFrom('comment_bans')
      .where('site', '=', site)
      .where('ip_hash', '=', comment.ip_hash)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Whether the comment's network is banned right now (for moderators). */
  async bannedHashes(site: string, hashes: string[]): Promise<Set<string>> {
    if (!hashes.length) return new Set();
    const rows = await this.db
      .selectFrom('comment_bans')
      .select('ip_hash')
      .where('site', '=', site)
      .where('ip_hash', 'in', [...new Set(hashes)])
      .where('expires_at', '>', this.now())
      .execute();
    return new Set(rows.map((r) => r.ip_hash));
  }

  /** Deletes `site`'s pending comments older than `days`; returns how many went. */
  async purgePending(site: string, days: number): Promise<number> {
    const result = await this.db
      .deleteFrom('comments')
      .where('site', '=', site)
      .where('status', '=', 'pending')
      .where('created_at', '<', this.now() - days * DAY_MS)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /**
   * The periodic clean-up, safe to run on every instance at once (plain conditional deletes):
   * pending comments older than their site's purge days, expired bans, and salts older than
   * {@link SALT_KEEP_DAYS} that no active ban needs.
   */
  async maintain(): Promise<{ purged: number; bans: number; salts: number }> {
    const now = this.now();
    const purged = await this.db
      .deleteFrom('comments')
      .where('status', '=', 'pending')
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('sites')
            .select(sql`1`.as('one'))
            .whereRef('sites.id', '=', 'comments.site')
            .where('sites.comments_purge_days', '>', 0)
            .where(
              sql<boolean>`comments.created_at < ${now} - cast(sites.comments_purge_days as bigint) * ${DAY_MS}`,
            ),
        ),
      )
      .executeTakeFirst();
    const bans = await this.db
      .deleteFrom('comment_bans')
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    const salts = await this.salts.deleteBefore(
      utcDay(now - SALT_KEEP_DAYS * DAY_MS),
      ({ exists, selectFrom }) =>
        exists(
          selectFrom('comment_bans')
            .select(sql`1`.as('one'))
            .whereRef('comment_bans.salt_day', '=', 'daily_salts.day'),
        ),
    );
    return { purged: Number(purged.numDeletedRows), bans: Number(bans.numDeletedRows), salts };
  }
}

/** Newest first, strictly after `before` in that order. */
function keyset<O>(
  query: SelectQueryBuilder<Database, 'comments', O>,
  before?: CommentCursor,
): SelectQueryBuilder<Database, 'comments', O> {
  const q = before
    ? query.where((eb) =>
        eb.or([
          eb('created_at', '<', before.createdAt),
          eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
        ]),
      )
    : query;
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc');
}
