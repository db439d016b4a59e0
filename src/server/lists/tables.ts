/** Kysely row type of the slogan and link lists (`0003_lists`). */
import type { Int8 } from '../db/database.js';

/** `lists`: one row per list; `items` is a JSON array. */
export interface ListsTable {
  site: string;
  /** `slogans` or `links`. */
  kind: string;
  id: string;
  title: string;
  items: string;
  version: Int8;
  created_at: Int8;
  updated_at: Int8;
}

export interface ListTables {
  lists: ListsTable;
}
