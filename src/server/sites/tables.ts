/** Kysely row types of `sites` (`0001_sites_visits`); features add their columns (`captcha/tables.ts`, …). */
import type { ColumnType } from 'kysely';
import type { Int8 } from '../db/database.js';

/** `sites`: one row per embedding site. */
export interface SitesTable {
  id: string;
  name: string;
  /** JSON array of exact origins. */
  origins: string;
  legacy_offset: Int8<number | undefined>;
  time_zone: ColumnType<string, string | undefined, string>;
  created_at: ColumnType<number | string, number, never>;
}

export interface SiteTables {
  sites: SitesTable;
}
