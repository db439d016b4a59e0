/**
 * Slogan lists and link lists of a site (table `lists`, migration `0003_lists`). A list is one
 * row: its items are a JSON array, so every edit or reorder replaces them in ONE statement, and
 * `version` (bumped by each change) lets an admin caller update conditionally: the check is a
 * `WHERE version = ?` in the database, never a read-then-write in this process.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { ListsTable } from './tables.js';

export type ListKind = 'slogans' | 'links';

/** A stored item: `text` always; `href` for links (optional for slogans); the rest for links. */
export interface ListItemRecord {
  /** Stable id within the list (used to reorder). */
  id: string;
  text: string;
  href?: string;
  group?: string;
  image?: string;
  alt?: string;
}

export interface ListRecord {
  site: string;
  kind: ListKind;
  id: string;
  title: string;
  items: ListItemRecord[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ListContent {
  title: string;
  items: ListItemRecord[];
}

/** `missing`: no such list; `conflict`: its version is not the expected one. */
export type UpdateResult = { status: 'ok'; list: ListRecord } | { status: 'missing' | 'conflict' };

export class ListStore {
  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async get(site: string, kind: ListKind, id: string): Promise<ListRecord | undefined> {
    const row = await this.db
      .selectFrom('lists')
      .selectAll()
      .where('site', '=', site)
      .where('kind', '=', kind)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** Every list of one kind of a site, by id. */
  async all(site: string, kind: ListKind): Promise<ListRecord[]> {
    const rows = await this.db
      .selectFrom('lists')
      .selectAll()
      .where('site', '=', site)
      .where('kind', '=', kind)
      .orderBy('id')
      .execute();
    return rows.map(toRecord);
  }

  /** Inserts a new list (version 1); false, and nothing changed, when the id is taken. */
  async create(
    site: string,
    kind: ListKind,
    id: string,
    content: ListContent,
    now = Date.now(),
  ): Promise<boolean> {
    const result = await this.db
      .insertInto('lists')
      .values({
        site,
        kind,
        id,
        title: content.title,
        items: JSON.stringify(content.items),
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['site', 'kind', 'id']).doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  /**
   * Replaces title and items and bumps the version, only if the list exists and (when
   * `expectedVersion` is given) still has that version.
   */
  async update(
    site: string,
    kind: ListKind,
    id: string,
    content: ListContent,
    expectedVersion?: number,
    now = Date.now(),
  ): Promise<UpdateResult> {
    let query = this.db
      .updateTable('lists')
      .set({
        title: content.title,
        items: JSON.stringify(content.items),
        version: sql<number>`version + 1`,
        updated_at: now,
      })
      .where('site', '=', site)
      .where('kind', '=', kind)
      .where('id', '=', id);
    if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
    const result = await query.executeTakeFirst();
    if (result.numUpdatedRows > 0n) {
      const list = await this.get(site, kind, id);
      if (list) return { status: 'ok', list };
    }
    return { status: (await this.get(site, kind, id)) ? 'conflict' : 'missing' };
  }

  /** Deletes a list; false when there was none. */
  async delete(site: string, kind: ListKind, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('lists')
      .where('site', '=', site)
      .where('kind', '=', kind)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

function toRecord(row: Selectable<ListsTable>): ListRecord {
  return {
    site: row.site,
    kind: row.kind as ListKind,
    id: row.id,
    title: row.title,
    items: JSON.parse(row.items) as ListItemRecord[],
    version: Number(row.version),
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
}
