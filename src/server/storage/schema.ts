import type { ColumnType } from 'kysely';

/**
 * A 64-bit integer column. better-sqlite3 returns a number, pg returns a string (int8), so reads
 * go through `Number()`; writes take a number.
 */
export type Int8<Insert = number> = ColumnType<number | string, Insert, number>;

/** `sites`: one row per embedding site. Times are epoch milliseconds on both engines. */
export interface SitesTable {
  id: string;
  name: string;
  /** JSON array of exact origins. */
  origins: string;
  legacy_offset: Int8<number | undefined>;
  time_zone: ColumnType<string, string | undefined, string>;
  created_at: ColumnType<number | string, number, never>;
}

/** `visit_days`: visits of one site on one local day (`YYYY-MM-DD`). */
export interface VisitDaysTable {
  site: string;
  day: string;
  count: Int8;
}

/** `visit_sessions`: presence for "online now", epoch-ms `last_seen`. */
export interface VisitSessionsTable {
  site: string;
  session: string;
  last_seen: Int8;
}

/** The Kysely database type (tables created by `migrations/index.ts`). */
export interface Database {
  sites: SitesTable;
  visit_days: VisitDaysTable;
  visit_sessions: VisitSessionsTable;
}
