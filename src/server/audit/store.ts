/** The audit log over Kysely: entries are added and read, never changed or deleted. */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditEntry } from '../core/admin.js';
import type { Database } from '../db/database.js';

/** Before/after JSON larger than this is stored as `{"truncated": true}`. */
const MAX_JSON = 32 * 1024;

export interface AuditRecord extends AuditEntry {
  id: string;
  at: number;
}

/** Keyset position: entries older than this (at, id) pair. */
export interface AuditCursor {
  at: number;
  id: string;
}

export interface AuditQuery {
  /** Only these sites' entries (an editor's); undefined: every entry. */
  sites?: string[];
  /** An action (`poll.update`) or a group of them (`poll`: `poll.create`, `poll.update`…). */
  action?: string;
  /** Who made the change, ignoring case. */
  actor?: string;
  before?: AuditCursor;
  limit: number;
}

let counter = 0;
/**
 * 16 characters that sort as the entries were written: the time (base 36), a per-process counter
 * (entries of one millisecond keep their order), a random tail (instances sharing a database).
 */
function entryId(at: number): string {
  counter = (counter + 1) % 36 ** 3;
  return (
    at.toString(36).padStart(9, '0') +
    counter.toString(36).padStart(3, '0') +
    randomBytes(2).toString('hex')
  );
}

function json(value: unknown): string | null {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text.length > MAX_JSON ? '{"truncated":true}' : text;
}

export class AuditStore {
  constructor(private readonly db: Kysely<Database>) {}

  async add(entry: AuditEntry, at: number): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        id: entryId(at),
        at,
        actor: entry.actor,
        user_id: entry.userId,
        action: entry.action,
        site: entry.site,
        target: entry.target,
        before: json(entry.before),
        after: json(entry.after),
      })
      .execute();
  }

  /** Newest first. */
  async list({ sites, action, actor, before, limit }: AuditQuery): Promise<AuditRecord[]> {
    if (sites && sites.length === 0) return [];
    const rows = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .$if(sites !== undefined, (q) => q.where('site', 'in', sites!))
      // `action` has no LIKE wildcard (its schema allows letters, "-" and "." only).
      .$if(action !== undefined, (q) =>
        q.where((eb) => eb.or([eb('action', '=', action!), eb('action', 'like', `${action}.%`)])),
      )
      .$if(actor !== undefined, (q) =>
        q.where((eb) => eb(eb.fn('lower', ['actor']), '=', actor!.toLowerCase())),
      )
      .$if(before !== undefined, (q) =>
        q.where((eb) =>
          eb.or([
            eb('at', '<', before!.at),
            eb.and([eb('at', '=', before!.at), eb('id', '<', before!.id)]),
          ]),
        ),
      )
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      at: Number(r.at),
      actor: r.actor,
      userId: r.user_id,
      action: r.action,
      site: r.site,
      target: r.target,
      ...(r.before !== null && { before: JSON.parse(r.before) as unknown }),
      ...(r.after !== null && { after: JSON.parse(r.after) as unknown }),
    }));
  }
}
