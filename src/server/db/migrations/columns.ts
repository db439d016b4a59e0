/** A shorthand for the migrations; what it writes is plain `addColumn(name, type, notNull)`. */
import type { CreateTableBuilder } from 'kysely';

type Table = CreateTableBuilder<any, any>;
type ColumnType = 'text' | 'integer' | 'bigint';

/**
 * `NOT NULL` columns in the order written: `key` (a text primary key) first, then by type:
 * `.$call(required({ key: 'id', text: ['site', 'poll'], bigint: ['created_at'] }))`.
 */
export const required =
  ({ key, ...columns }: { key?: string } & Partial<Record<ColumnType, string[]>>) =>
  (table: Table): Table => {
    if (key) table = table.addColumn(key, 'text', (c) => c.primaryKey().notNull());
    for (const [type, names] of Object.entries(columns) as Array<[ColumnType, string[]]>) {
      for (const name of names) table = table.addColumn(name, type, (c) => c.notNull());
    }
    return table;
  };
