/** Kysely row types of the visit counter (`0001_sites_visits`). */
import type { Int8 } from '../db/database.js';

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

export interface VisitTables {
  visit_days: VisitDaysTable;
  visit_sessions: VisitSessionsTable;
}
