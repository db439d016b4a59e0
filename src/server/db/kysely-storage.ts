import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrationProvider } from './migrations/index.js';
import type { SitesTable } from '../sites/tables.js';
import type { Database } from './database.js';
import type {
  NewSite,
  SessionRows,
  SessionRowsView,
  SiteRecord,
  Storage,
  StoredVisitTotals,
  VisitBatch,
  VisitTotalsQuery,
} from './storage.js';
import { VISIT_STATEMENTS, type SqliteWorker, type VisitDays } from './sqlite-worker.js';

/** SQLite's connection under Kysely, and the worker with a connection of its own (not `:memory:`). */
export interface SqliteHandle {
  db: SQLite.Database;
  worker?: SqliteWorker;
}

/** Zone of a site created without one (the migration's column default says the same). */
const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** Key of the PostgreSQL advisory lock taken around migrations (any bigint unique to this app). */
const MIGRATION_LOCK = 0x63697669635f6dn; // "civic_m"

/** Rows per multi-row upsert: 3 parameters a row stays far below SQLite's and pg's limits. */
const CHUNK = 1000;
/**
 * Sites per query of their visit totals, with a turn of the event loop between two queries: on
 * SQLite a query of 100 sites with two months of days each took about 2 ms, one of 500 about 10.
 */
const SITES_PER_QUERY = 100;

/**
 * Longest stretch (ms) a visit flush keeps the event loop before it lets other work run.
 * better-sqlite3 is synchronous: without these pauses one SQLite flush of 40 000 sessions held
 * the loop for about 0.3 s. On PostgreSQL, packing the sessions is what takes the time.
 */
const SLICE_MS = 4;
/** Rows written between two looks at the clock. */
const ROWS_PER_CLOCK_CHECK = 64;
/** Sessions per statement of a PostgreSQL visit flush (three array parameters). */
const PG_SESSIONS_PER_STATEMENT = 5000;
/**
 * Sessions per message to the worker. Copying a message takes this thread's time after the
 * slice's last look at the clock: 0.1 ms for 1 000 sessions, 3.8 ms for 20 000 (whose slice
 * then held the loop 6–12 ms in `npm run bench:flush`).
 */
const ROWS_PER_MESSAGE = 1000;

/** Sessions read per slice of the prune. */
const PRUNE_SLICE = 1000;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The `Storage` contract over Kysely; the same queries serve SQLite and PostgreSQL. */
export class KyselyStorage implements Storage {
  readonly dialect: 'sqlite' | 'postgres';
  readonly db: Kysely<Database>;
  /** The SQLite connection under `db` (SQLite only): the visit flush's prepared statements. */
  private readonly sqlite?: SqliteHandle;
  private visitStatements?: { session: SQLite.Statement; day: SQLite.Statement };

  constructor(db: Kysely<Database>, dialect: 'sqlite' | 'postgres', sqlite?: SqliteHandle) {
    this.db = db;
    this.dialect = dialect;
    this.sqlite = sqlite;
  }

  /**
   * Runs pending migrations. On PostgreSQL, under a session advisory lock held on a connection of
   * its own for the whole run: of several instances starting together on one database, one
   * migrates while the others wait, then find nothing left to do.
   */
  async migrate(): Promise<void> {
    if (this.dialect === 'sqlite') return this.migrateNow();
    await this.db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
      try {
        await this.migrateNow();
      } finally {
        await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
      }
    });
  }

  private async migrateNow(): Promise<void> {
    const { error, results } = await new Migrator({
      db: this.db,
      provider: migrationProvider,
    }).migrateToLatest();
    if (error === undefined) return;
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(failed ? `migration ${failed} failed: ${message}` : message);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.sqlite?.worker?.stop();
    await this.db.destroy();
  }

  async getSite(id: string): Promise<SiteRecord | undefined> {
    const row = await this.db
      .selectFrom('sites')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toSite(row);
  }

  async listSites(): Promise<SiteRecord[]> {
    const rows = await this.db.selectFrom('sites').selectAll().orderBy('id').execute();
    return rows.map(toSite);
  }

  async createSite(site: NewSite, now = Date.now()): Promise<boolean> {
    const result = await this.db
      .insertInto('sites')
      .values({ id: site.id, ...siteColumns(site), created_at: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async updateSite(site: NewSite): Promise<boolean> {
    const result = await this.db
      .updateTable('sites')
      .set(siteColumns(site))
      .where('id', '=', site.id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async applyVisits({ increments, sessions: view }: VisitBatch): Promise<void> {
    const days = mergeSorted(
      increments.map((i) => ({ site: i.site, day: i.day, count: i.count })),
      (r) => `${r.site}\0${r.day}`,
      (a, b) => ({ ...a, count: a.count + b.count }),
    );
    if (this.sqlite) return this.applyVisitsSqlite(this.sqlite, view, days);
    if (days.length === 0 && view.length === 0) return;
    const sessions = view.slice(0, view.length);
    // Sessions first, the contended day rows last: their row locks are held only until commit.
    await this.db.transaction().execute(async (trx) => {
      // The sessions go as three arrays per statement, deduplicated and sorted by PostgreSQL: this
      // thread only packs them, in slices of a few ms (each statement's round trip is a turn of
      // the event loop). Packing 10 000 rows for Kysely's multi-row insert, with their sort here,
      // held the loop for 30–60 ms at once.
      for (let i = 0; i < sessions.length;) {
        const until = performance.now() + SLICE_MS;
        const site: string[] = [];
        const session: string[] = [];
        const lastSeen: number[] = [];
        do {
          site.push(sessions[i] as string);
          session.push(sessions[i + 1] as string);
          lastSeen.push(sessions[i + 2] as number);
          i += 3;
        } while (
          i < sessions.length &&
          site.length < PG_SESSIONS_PER_STATEMENT &&
          (site.length % ROWS_PER_CLOCK_CHECK !== 0 || performance.now() < until)
        );
        await sql`
          insert into visit_sessions (site, session, last_seen)
          select distinct on (site, session) site, session, last_seen
          from unnest(${site}::text[], ${session}::text[], ${lastSeen}::bigint[])
            as s (site, session, last_seen)
          order by site, session, last_seen desc
          on conflict (site, session) do update set last_seen = excluded.last_seen
          where visit_sessions.last_seen < excluded.last_seen`.execute(trx);
      }
      for (let i = 0; i < days.length; i += CHUNK) {
        await trx
          .insertInto('visit_days')
          .values(days.slice(i, i + CHUNK))
          .onConflict((oc) =>
            oc.columns(['site', 'day']).doUpdateSet((eb) => ({
              count: eb('visit_days.count', '+', eb.ref('excluded.count')),
            })),
          )
          .execute();
      }
    });
  }

  /**
   * The SQLite flush, in ONE transaction. Once the worker is up (it starts with the first flush),
   * the transaction runs on its connection (`sqlite-worker.ts`) while this thread only waits: the
   * sessions are sent {@link ROWS_PER_MESSAGE} at a time, with a turn of the event loop after
   * each message, and written once all are there. Until then, or should the worker stop, the
   * same upserts run here, as prepared single-row statements in slices of at most
   * {@link SLICE_MS}.
   * Kysely runs SQLite on one connection behind a mutex; either way the flush holds it until
   * the commit, so every other query waits for it (asynchronously) and none can slip into the
   * transaction or meet the worker's write lock. One writer: no lock order to keep, so the
   * sessions are not sorted; a session given twice keeps its later time (the upsert's condition).
   */
  private async applyVisitsSqlite(
    { db: raw, worker }: SqliteHandle,
    view: SessionRowsView,
    days: { site: string; day: string; count: number }[],
  ): Promise<void> {
    if (days.length === 0 && view.length === 0) return;
    worker?.start();
    const dayRows = days.map((d): VisitDays[number] => [d.site, d.day, d.count]);
    const elsewhere = worker?.visitFlush();
    if (elsewhere) {
      for (let i = 0; i < view.length; i += 3 * ROWS_PER_MESSAGE) {
        elsewhere.add(view.slice(i, Math.min(i + 3 * ROWS_PER_MESSAGE, view.length)));
        await nextTurn();
      }
      await this.db.connection().execute(() => elsewhere.commit(dayRows));
      return;
    }
    const sessions = view.slice(0, view.length);
    const statements = (this.visitStatements ??= {
      session: raw.prepare(VISIT_STATEMENTS.session),
      day: raw.prepare(VISIT_STATEMENTS.day),
    });
    // Kysely's awaits are microtasks: the turns are taken here, before the first slice and
    // before the commit (which writes the transaction's pages to the log).
    await nextTurn();
    await this.db.transaction().execute(async () => {
      for (let i = 0; i < sessions.length;) {
        const until = performance.now() + SLICE_MS;
        do {
          statements.session.run(sessions[i], sessions[i + 1], sessions[i + 2]);
          i += 3;
        } while (
          i < sessions.length &&
          ((i / 3) % ROWS_PER_CLOCK_CHECK !== 0 || performance.now() < until)
        );
        await nextTurn();
      }
      for (const d of dayRows) statements.day.run(...d);
    });
  }

  async visitTotals(site: string, day: string, month: string): Promise<StoredVisitTotals> {
    const totals = await this.visitTotalsOf({ sites: [site], day, month });
    return totals.get(site)!;
  }

  async visitTotalsOf({
    sites,
    day,
    month,
    from,
  }: VisitTotalsQuery): Promise<Map<string, StoredVisitTotals>> {
    const out = new Map<string, StoredVisitTotals>();
    const [first, last] = [`${month}-01`, `${month}-31`];
    for (let i = 0; i < sites.length; i += SITES_PER_QUERY) {
      if (i > 0) await nextTurn();
      const chunk = sites.slice(i, i + SITES_PER_QUERY);
      // Each site's day rows are a primary-key range. Sums arrive as strings from pg, hence
      // Number().
      const rows = await this.db
        .selectFrom('visit_days')
        .select([
          'site',
          sql<string | number>`coalesce(sum(count), 0)`.as('stored'),
          sql<string | number>`coalesce(sum(case when day = ${day} then count end), 0)`.as('today'),
          sql<
            string | number
          >`coalesce(sum(case when day between ${first} and ${last} then count end), 0)`.as(
            'month',
          ),
        ])
        .where('site', 'in', chunk)
        .$if(from !== undefined, (q) => q.where('day', '>=', from!))
        .groupBy('site')
        .execute();
      for (const site of chunk) out.set(site, { stored: 0, today: 0, month: 0 });
      for (const r of rows) {
        const totals = out.get(r.site)!;
        totals.stored = Number(r.stored);
        totals.today = Number(r.today);
        totals.month = Number(r.month);
      }
    }
    return out;
  }

  async visitsBefore(site: string, day: string): Promise<number> {
    const row = await this.db
      .selectFrom('visit_days')
      .select(sql<string | number>`coalesce(sum(count), 0)`.as('n'))
      .where('site', '=', site)
      .where('day', '<', day)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async sessionSeenSince(site: string, session: string, since: Date): Promise<boolean> {
    const row = await this.db
      .selectFrom('visit_sessions')
      .select('last_seen')
      .where('site', '=', site)
      .where('session', '=', session)
      .where('last_seen', '>=', since.getTime())
      .executeTakeFirst();
    return row !== undefined;
  }

  async sessionsSlice(
    since: Date,
    limit: number,
    after?: readonly [string, string],
  ): Promise<SessionRows> {
    const rows = await this.keySlice(limit, after)
      .where('last_seen', '>=', since.getTime())
      .execute();
    return rows.flatMap((r) => [r.site, r.session, Number(r.last_seen)]);
  }

  /** Up to `limit` sessions in key order after `after` (the table is read by its key only). */
  private keySlice(limit: number, after?: readonly [string, string]) {
    return this.db
      .selectFrom('visit_sessions')
      .select(['site', 'session', 'last_seen'])
      .$if(after !== undefined, (q) =>
        q.where((eb) => eb(eb.refTuple('site', 'session'), '>', eb.tuple(after![0], after![1]))),
      )
      .orderBy('site')
      .orderBy('session')
      .limit(limit);
  }

  async pruneSessions(before: Date): Promise<number> {
    const cutoff = before.getTime();
    let deleted = 0;
    // Without an index on the time, a single DELETE reads the whole table in one statement: on
    // SQLite, which runs on this thread, 0.3 s to delete 600 000 of 1.2 million sessions. A
    // slice of the key order at a time, with a turn between slices: the prune of 48 000 of 1.2
    // million took 660 ms in all, the longest block of the loop 10.6 ms.
    for (let after: [string, string] | undefined; ;) {
      const slice = await this.keySlice(PRUNE_SLICE, after).execute();
      // By site (a slice holds one or a few): SQLite takes no list of row values after `in`.
      const old = new Map<string, string[]>();
      for (const r of slice) {
        if (Number(r.last_seen) >= cutoff) continue;
        let sessions = old.get(r.site);
        if (!sessions) old.set(r.site, (sessions = []));
        sessions.push(r.session);
      }
      for (const [site, sessions] of old) {
        const result = await this.db
          .deleteFrom('visit_sessions')
          .where('site', '=', site)
          .where('session', 'in', sessions)
          // Seen again since it was read: kept.
          .where('last_seen', '<', cutoff)
          .executeTakeFirst();
        deleted += Number(result.numDeletedRows);
      }
      if (slice.length < PRUNE_SLICE) return deleted;
      const end = slice[slice.length - 1]!;
      after = [end.site, end.session];
      await nextTurn();
    }
  }
}

function siteColumns(site: NewSite) {
  return {
    name: site.name,
    origins: JSON.stringify(site.origins),
    legacy_offset: site.legacyOffset ?? 0,
    time_zone: site.timeZone ?? DEFAULT_TIME_ZONE,
  };
}

function toSite(row: Selectable<SitesTable>): SiteRecord {
  return {
    id: row.id,
    name: row.name,
    origins: JSON.parse(row.origins) as string[],
    legacyOffset: Number(row.legacy_offset),
    timeZone: row.time_zone,
    createdAt: new Date(Number(row.created_at)),
  };
}

/** Merges items sharing a key and sorts them by key: every flush then locks rows in one order. */
function mergeSorted<T>(items: T[], key: (item: T) => string, merge: (a: T, b: T) => T): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    const prev = byKey.get(k);
    byKey.set(k, prev === undefined ? item : merge(prev, item));
  }
  return [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
}
