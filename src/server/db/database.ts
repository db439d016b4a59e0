/**
 * The Kysely database type: every feature's tables (`<feature>/tables.ts`), created by the
 * migrations in `migrations/`. Times are epoch milliseconds and booleans 0/1 on both engines.
 */
import type { ColumnType } from 'kysely';
import type { AuditTables } from '../audit/tables.js';
import type { AuthTables } from '../auth/tables.js';
import type { CaptchaTables } from '../captcha/tables.js';
import type { CommentTables } from '../comments/tables.js';
import type { CoreTables } from '../core/tables.js';
import type { ListTables } from '../lists/tables.js';
import type { NotifyTables } from '../notify/tables.js';
import type { PollTables } from '../polls/tables.js';
import type { SiteTables } from '../sites/tables.js';
import type { VisitTables } from '../visits/tables.js';

/**
 * A 64-bit integer column. better-sqlite3 returns a number, pg returns a string (int8), so reads
 * go through `Number()`; writes take a number.
 */
export type Int8<Insert = number> = ColumnType<number | string, Insert, number>;

/** A feature that adds columns to `sites` declares them as `{ sites: { … } }`: the types intersect. */
export type Database = CoreTables &
  SiteTables &
  VisitTables &
  PollTables &
  ListTables &
  CaptchaTables &
  CommentTables &
  AuthTables &
  AuditTables &
  NotifyTables;
