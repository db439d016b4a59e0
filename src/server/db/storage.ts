/**
 * The storage contract: the connection, its migrations, and the two stores every request relies
 * on (sites, and the visit counts). One implementation over Kysely (`kysely-storage.ts`) serves
 * both SQLite (better-sqlite3 12, the embedded default) and PostgreSQL (several instances);
 * `test/storage/storage-contract.ts` runs the same suite against both. Features keep their own
 * stores (`<feature>/store.ts`) over `db`.
 */

import type { Kysely } from 'kysely';
import type { Database } from './database.js';

export interface SiteRecord {
  /** URL-safe site id, e.g. `demo`. */
  id: string;
  name: string;
  /** Exact origins (scheme://host[:port]) allowed to call the public API from a browser. */
  origins: string[];
  /** Added to the stored visit total, so a portal that showed 414428 keeps counting from there. */
  legacyOffset: number;
  /** IANA zone that decides what "today" and "this month" mean. */
  timeZone: string;
  createdAt: Date;
}

export interface NewSite {
  id: string;
  name: string;
  origins: string[];
  legacyOffset?: number;
  timeZone?: string;
}

/** Visits to add to one site on one local day (`YYYY-MM-DD` in the site's time zone). */
export interface VisitIncrement {
  site: string;
  day: string;
  count: number;
}

/**
 * Sessions seen, flat: site, session, last seen (epoch ms), site, session, … — no object per
 * session, as the SQLite worker takes them. A session given twice keeps its later time.
 */
export type SessionRows = readonly (string | number)[];

/**
 * The sessions of a flush as the storage reads them: `length` values (3 a row) and any part of
 * them, flat. An array is one. The visit counter keeps its rows outside the JavaScript heap and
 * makes each part when it is read (visits/service.ts): on SQLite, one message to the worker at a
 * time, so no session of a flush outlives the turn that sends it.
 */
export interface SessionRowsView {
  readonly length: number;
  /** A new array, the caller's. */
  slice(start: number, end: number): (string | number)[];
}

export interface VisitBatch {
  increments: VisitIncrement[];
  sessions: SessionRowsView;
}

export interface StoredVisitTotals {
  /** Sum of the stored days (without the legacy offset): all, or with `from` those from it on. */
  stored: number;
  today: number;
  month: number;
}

export interface VisitTotalsQuery {
  sites: readonly string[];
  /** The sites' local day (`YYYY-MM-DD`) and month (`YYYY-MM`). */
  day: string;
  month: string;
  /** `YYYY-MM-DD`: `stored` sums only the days from this one on. */
  from?: string;
}

export interface Storage {
  readonly dialect: 'sqlite' | 'postgres';
  /** The Kysely instance, for the feature stores: they share its connection and migrations. */
  readonly db: Kysely<Database>;
  /** Runs every pending migration (idempotent). */
  migrate(): Promise<void>;
  /** Throws when the database cannot answer (used by `/health/ready`). */
  ping(): Promise<void>;
  close(): Promise<void>;

  getSite(id: string): Promise<SiteRecord | undefined>;
  listSites(): Promise<SiteRecord[]>;
  /**
   * Inserts the site when its id is new, created at `now` (ms; the app's clock); returns false
   * (and changes nothing) when it exists.
   */
  createSite(site: NewSite, now?: number): Promise<boolean>;
  /** Replaces name/origins/offset/zone of an existing site; false when unknown. */
  updateSite(site: NewSite): Promise<boolean>;

  /**
   * Applies one flush in ONE transaction: adds every increment to its (site, day) row and
   * upserts every session's last-seen time (keeping the later one). On PostgreSQL rows are
   * written in sorted key order so concurrent flushes of several instances cannot deadlock; on
   * SQLite (one writer) on the worker thread's connection once it is up, else here in slices of
   * a few ms with turns of the event loop between them.
   */
  applyVisits(batch: VisitBatch): Promise<void>;
  /**
   * Stored figures of a site: total of all days, the given day, days starting with the given
   * month (`YYYY-MM`).
   */
  visitTotals(site: string, day: string, month: string): Promise<StoredVisitTotals>;
  /**
   * {@link visitTotals} of many sites that share a local day, in one query per few hundred
   * sites (the counter re-reads every site in use after each flush). Every site asked for has an
   * entry (zeros when it has no rows). With `from`, `stored` sums only the days from it on and
   * older rows are not read.
   */
  visitTotalsOf(query: VisitTotalsQuery): Promise<Map<string, StoredVisitTotals>>;
  /** Sum of a site's days before `day` (`YYYY-MM-DD`). */
  visitsBefore(site: string, day: string): Promise<number>;
  /** Whether `session` of `site` was last seen at or after `since`. */
  sessionSeenSince(site: string, session: string, since: Date): Promise<boolean>;
  /**
   * Up to `limit` sessions last seen at or after `since`, in key order (site, then session)
   * after the key `after`: a start reads every session of the last day back one slice at a time.
   */
  sessionsSlice(
    since: Date,
    limit: number,
    after?: readonly [site: string, session: string],
  ): Promise<SessionRows>;
  /**
   * Deletes sessions last seen before `before`; returns how many went. The table is walked in
   * key order a slice at a time, with a turn of the event loop between slices.
   */
  pruneSessions(before: Date): Promise<number>;
}
