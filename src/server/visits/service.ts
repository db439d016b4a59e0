/**
 * Visit counting, the hot path. A visit is recorded in memory and acknowledged at once; the
 * increments are written every `flushIntervalMs` as ONE transaction (keys sorted), and on close.
 * The figures a visitor sees are the stored totals (re-read after each flush) plus what is
 * being flushed plus what is pending, so they are exact for this instance at every moment.
 *
 * A site's stored total is read in two parts. The days before the previous month are summed once a
 * day (at the site's first read of the day): no flush writes them, since a flush writes the days
 * its visits were counted on, today or, just after midnight, yesterday. The days since are re-read
 * after every flush, in one query per 100 sites in use that share a local day: a province's
 * server re-reads hundreds of sites a second, and summing each one's whole history took 0.2 s of
 * every second for 500 sites with 3 years of days, in one block of the event loop
 * (`npm run bench:flush -- --sites 500 --days 1095`).
 *
 * Whether a session was already counted today, and who is online, are asked of the shared
 * state (core/shared-state.ts): in this process without Redis, in Redis with it (dedupe and
 * presence shared by every instance; nothing per session is written to the database). Without
 * Redis each session is also written to `visit_sessions` with each flush (at most once per
 * second), so that a restart knows who was counted today and who is online: at start the
 * sessions of the last day are read back into memory. "Online now" is never counted in
 * the database: at 5 000 new visitors a second that was a count over 1.5 million rows after
 * every flush, and the index it needed made every session's write dearer (2.9–4.4 µs a session
 * on SQLite with it, 1.5–2.3 µs without, migration 0013).
 */
import { ONLINE_WINDOW_MS, type VisitResponse, type VisitStats } from '../../shared/visits.js';
import { MemoryState, type SharedState, type Sighting } from '../core/shared-state.js';
import { zonedFormat } from '../core/time.js';
import type {
  SessionRows,
  SessionRowsView,
  SiteRecord,
  Storage,
  StoredVisitTotals,
  VisitIncrement,
} from '../db/storage.js';

/** A session counts once; it is forgotten after this long without being seen. */
export const SESSION_TTL_MS = 24 * 60 * 60 * 1000;
/** Tries of the last flush when the server stops (250 ms, then 500 ms… between them). */
const CLOSE_ATTEMPTS = 4;
/** Sessions a start reads back in one query. */
const READ_BACK_SLICE = 5_000;
/** Sites nobody asked about for this long stop being re-read after each flush. */
const ACTIVE_SITE_MS = 60_000;

interface SiteFigures {
  day: string;
  month: string;
  /** The first day of the previous month: `totals.stored` sums the days from it on… */
  from: string;
  /** …and this, read with the figures, the days before it. */
  before: number;
  totals: StoredVisitTotals;
  usedAt: number;
}

interface Logger {
  error(obj: unknown, msg?: string): void;
  info?(obj: unknown, msg?: string): void;
}

const dayCache = new Map<string, { minute: number; day: string }>();

/** `YYYY-MM-DD` of `nowMs` in `timeZone` (cached per zone for the current minute). */
export function localDay(timeZone: string, nowMs: number): string {
  const minute = Math.floor(nowMs / 60_000);
  const hit = dayCache.get(timeZone);
  if (hit && hit.minute === minute) return hit.day;
  const day = zonedFormat(timeZone).format(minute * 60_000);
  dayCache.set(timeZone, { minute, day });
  return day;
}

/** `YYYY-MM-01` of the month before `month` (`YYYY-MM`). */
export function previousMonthStart(month: string): string {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${year - 1}-12-01` : `${year}-${String(m - 1).padStart(2, '0')}-01`;
}

/** Per-site maps: the hot path never builds composite string keys. */
type BySite<V> = Map<string, Map<string, V>>;

function add(map: BySite<number>, site: string, key: string, n: number): void {
  let inner = map.get(site);
  if (!inner) map.set(site, (inner = new Map()));
  inner.set(key, (inner.get(key) ?? 0) + n);
}

/** The longest session a row of {@link SeenRows} holds (a UUID is 36); a longer one is kept aside. */
const ROW = 40;

/**
 * Sessions seen since a flush: a push per sighting, written into bytes and numbers outside the
 * JavaScript heap. The storage reads them as flat `SessionRows`, a part at a time
 * (`SessionRowsView`: on SQLite, one message to the worker). As an array of the sessions' strings
 * and times, every session seen stayed on the heap until its flush was written (a second or
 * more): each young-generation collection copied them, then promoted them to be collected again
 * in a full one. Under new visitors on one core, collections of over 5 ms went from 6–24 to
 * 1–9 per 10 s, at the same CPU time per visit (paired runs, bench/RESULTS.md).
 */
class SeenRows implements SessionRowsView {
  private count = 0;
  /** By row: its session's text (Latin-1), the text's length (255: kept aside), site, time. */
  private bytes = Buffer.allocUnsafe(ROW * 256);
  private lengths = new Uint8Array(256);
  private siteOf = new Uint32Array(256);
  private times = new Float64Array(256);
  private lastSite?: string;
  private lastSiteNumber = 0;
  /** The sites of the rows, by their number. */
  private sites: string[] = [];
  private siteNumbers = new Map<string, number>();
  /** Sessions over {@link ROW} characters or beyond Latin-1 (no caller sends one), by row. */
  private aside?: Map<number, string>;
  /** site → session → last seen; built at the first lookup (rare), then kept with each push. */
  private index?: BySite<number>;

  get size(): number {
    return this.count;
  }

  /** Values (3 a row), as `SessionRows` counts them. */
  get length(): number {
    return this.count * 3;
  }

  /**
   * One row per session of `parts` (its latest time): what a failed flush puts back, so that
   * the rows of a long outage grow with the sessions seen, not with their sightings.
   */
  static merged(...parts: SeenRows[]): SeenRows {
    const latest: BySite<number> = new Map();
    for (const part of parts) indexInto(latest, part.rows());
    const out = new SeenRows();
    for (const [site, inner] of latest)
      for (const [session, at] of inner) out.push(site, session, at);
    out.index = latest;
    return out;
  }

  push(site: string, session: string, at: number): void {
    const row = this.count++;
    if (row === this.times.length) this.grow();
    // One site after another, as a flush's visits mostly come: its number without a lookup.
    if (site !== this.lastSite) {
      let n = this.siteNumbers.get(site);
      if (n === undefined) this.siteNumbers.set(site, (n = this.sites.push(site) - 1));
      this.lastSite = site;
      this.lastSiteNumber = n;
    }
    this.siteOf[row] = this.lastSiteNumber;
    this.times[row] = at;
    const { bytes } = this;
    const at8 = row * ROW;
    const n = session.length;
    let fits = n <= ROW;
    for (let i = 0; fits && i < n; i++) {
      const c = session.charCodeAt(i);
      bytes[at8 + i] = c;
      fits = c < 256;
    }
    this.lengths[row] = fits ? n : 255;
    if (!fits) (this.aside ??= new Map()).set(row, session);
    if (this.index) keepLatest(this.index, site, session, at);
  }

  /** Values `start` to `end` (whole rows: multiples of 3) as `SessionRows`: site, session, ms, … */
  slice(start: number, end: number): (string | number)[] {
    const first = Math.floor(start / 3);
    const last = Math.min(Math.ceil(end / 3), this.count);
    const out: (string | number)[] = [];
    for (let row = first; row < last; row++) {
      const at8 = row * ROW;
      const n = this.lengths[row]!;
      out.push(
        this.sites[this.siteOf[row]!]!,
        n === 255 ? this.aside!.get(row)! : this.bytes.toString('latin1', at8, at8 + n),
        this.times[row]!,
      );
    }
    return out;
  }

  /** Every row (see {@link slice}). */
  rows(): SessionRows {
    return this.slice(0, this.length);
  }

  /** When `session` of `site` was last seen in these rows. */
  lastSeen(site: string, session: string): number | undefined {
    this.index ??= indexInto(new Map(), this.rows());
    return this.index.get(site)?.get(session);
  }

  private grow(): void {
    const bytes = Buffer.allocUnsafe(this.bytes.length * 2);
    this.bytes.copy(bytes);
    this.bytes = bytes;
    this.lengths = grown(this.lengths, new Uint8Array(this.lengths.length * 2));
    this.siteOf = grown(this.siteOf, new Uint32Array(this.siteOf.length * 2));
    this.times = grown(this.times, new Float64Array(this.times.length * 2));
  }
}

/** `to` with `from` copied into its start. */
function grown<T extends Uint8Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

const secondOf = (ms: number) => Math.floor(ms / 1000);

/** Adds `rows` (site, session, ms, …) to `map`, keeping each session's latest time. */
function indexInto(map: BySite<number>, rows: readonly (string | number)[]): BySite<number> {
  for (let i = 0; i < rows.length; i += 3)
    keepLatest(map, rows[i] as string, rows[i + 1] as string, rows[i + 2] as number);
  return map;
}

function keepLatest(map: BySite<number>, site: string, key: string, at: number): void {
  let inner = map.get(site);
  if (!inner) map.set(site, (inner = new Map()));
  const known = inner.get(key);
  if (known === undefined || known < at) inner.set(key, at);
}

const withCounted = (stats: VisitStats, counted: boolean): VisitResponse => ({
  total: stats.total,
  today: stats.today,
  month: stats.month,
  online: stats.online,
  counted,
});

function merge(into: BySite<number>, from: BySite<number>): void {
  for (const [site, inner] of from) for (const [key, n] of inner) add(into, site, key, n);
}

export class VisitCounter {
  /** site → day → visits not yet written; `inflight` is the batch being written. */
  private pending: BySite<number> = new Map();
  private inflight: BySite<number> = new Map();
  /** Sessions seen since the last flush, for `visit_sessions` (without Redis). */
  private dirtySessions = new SeenRows();
  /** The sessions of the flush being written (a SQLite flush takes many turns of the loop). */
  private inflightSessions = new SeenRows();
  private figures = new Map<string, SiteFigures>();
  private loading = new Map<string, Promise<SiteFigures>>();
  /** Flushes and first reads of a site run one after another on this chain. */
  private flushing: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  /** Whether sessions are written to the database (without Redis: what a restart reads back). */
  private readonly writesSessions: boolean;

  constructor(
    private readonly storage: Storage,
    private readonly flushIntervalMs: number,
    private readonly log: Logger,
    private readonly shared: SharedState,
    private readonly now: () => number = Date.now,
  ) {
    this.writesSessions = shared.kind === 'memory';
  }

  /**
   * Starts the flush timer. Sessions counted by an earlier process are not in this one's memory:
   * every session stored as seen within the session TTL is read back first (in slices of the
   * key order), so that a restart never counts a returning visitor twice and knows who is
   * online, and a new visitor after it costs what it did before it. Looking each unknown session
   * up in the database instead, for a day after every restart, cost a new visit 1.5–1.7 times
   * the CPU (one instance on SQLite with a million sessions of the day: 108–159 µs against
   * 62–100 µs, paired runs); reading them back adds about 1.6 s and 90 MB to that start. Only
   * sessions the memory ceiling lets go (VISIT_SESSION_MEMORY_MB) are asked of the database.
   */
  async start(): Promise<void> {
    const { shared } = this;
    if (shared instanceof MemoryState) {
      const now = this.now();
      const since = new Date(now - SESSION_TTL_MS);
      const started = performance.now();
      let read = 0;
      for (let after: [string, string] | undefined; ;) {
        const rows = await this.storage.sessionsSlice(since, READ_BACK_SLICE, after);
        read += rows.length / 3;
        for (let i = 0; i < rows.length; i += 3)
          shared.remember(
            rows[i] as string,
            rows[i + 1] as string,
            rows[i + 2] as number,
            SESSION_TTL_MS,
            now,
          );
        if (rows.length < READ_BACK_SLICE * 3) break;
        after = [rows[rows.length - 3] as string, rows[rows.length - 2] as string];
      }
      // A start with a busy day behind it takes seconds longer: the log says why.
      if (read > 0)
        this.log.info?.(
          {
            sessions: read,
            remembered: shared.remembered,
            ms: Math.round(performance.now() - started),
          },
          'visit sessions of the last day read back',
        );
    }
    this.timer = setInterval(() => void this.flush().catch(() => {}), this.flushIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes everything pending. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    // A failed flush puts its batch back: the last one is tried again a few times before the
    // process gives up on it (a disk that was full a moment ago, a database restarting).
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.flush();
      } catch (err) {
        if (attempt === CLOSE_ATTEMPTS) throw err;
        await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
      }
    }
  }

  /**
   * Records a visit of `session` to `site` (counted once per session) and marks the session
   * present. `countable` false (a bot) returns the figures without counting or presence.
   *
   * In this process (no Redis), with the site's figures loaded, the answer comes in the same
   * turn, without a promise: the route's handler then sends it at once, where an async path took
   * two promises and a turn of the microtask queue a visit.
   */
  record(
    site: SiteRecord,
    session: string,
    countable: boolean,
  ): VisitResponse | Promise<VisitResponse> {
    if (!countable) return this.stats(site).then((stats) => withCounted(stats, false));
    const now = this.now();
    const { shared } = this;
    if (!(shared instanceof MemoryState))
      return shared
        .sight(site.id, session, now, SESSION_TTL_MS, now - ONLINE_WINDOW_MS)
        .then((seen) => this.counted(site, session, now, seen, seen.first));
    const seen = shared.sightNow(site.id, session, now, SESSION_TTL_MS);
    // Forgotten for memory (at VISIT_SESSION_MEMORY_MB): the database knows whether this session
    // was seen within the day.
    if (seen.first && seen.forgotten)
      return this.seenBefore(site.id, session, now).then((before) =>
        this.counted(site, session, now, seen, !before),
      );
    return this.counted(site, session, now, seen, seen.first);
  }

  /** The rest of {@link record} once the sighting is known: `first` counts it. */
  private counted(
    site: SiteRecord,
    session: string,
    now: number,
    seen: Sighting,
    first: boolean,
  ): VisitResponse | Promise<VisitResponse> {
    if (first) add(this.pending, site.id, localDay(site.timeZone, now), 1);
    // Written once per second of the clock in which the session is seen, at most: a session
    // seen on every request is one row a flush, and its stored time is never a second behind.
    if (this.writesSessions && (seen.last === undefined || secondOf(seen.last) !== secondOf(now)))
      this.dirtySessions.push(site.id, session, now);
    const figures = this.figuresOf(site, seen.present);
    return figures instanceof Promise
      ? figures.then((stats) => withCounted(stats, first))
      : withCounted(figures, first);
  }

  /** Whether `session` was seen on `site` within the session TTL, as the database and this flush know. */
  private async seenBefore(site: string, session: string, now: number): Promise<boolean> {
    for (const rows of [this.dirtySessions, this.inflightSessions]) {
      const at = rows.lastSeen(site, session);
      if (at !== undefined && now - at <= SESSION_TTL_MS) return true;
    }
    return this.storage.sessionSeenSince(site, session, new Date(now - SESSION_TTL_MS));
  }

  /** The site's figures (see {@link figuresOf}) without counting. */
  async stats(site: SiteRecord): Promise<VisitStats> {
    return this.figuresOf(site, await this.shared.present(site.id, this.now() - ONLINE_WINDOW_MS));
  }

  /** The site's figures: stored totals + what is being written + what is pending; `present` online. */
  private figuresOf(site: SiteRecord, present: number): VisitStats | Promise<VisitStats> {
    const now = this.now();
    const day = localDay(site.timeZone, now);
    const fig = this.figures.get(site.id);
    // Loaded (the usual case): answered in the same turn.
    if (fig && fig.day === day) return this.sum(site, fig, day, present, now);
    return this.load(site, day, now).then((loaded) => this.sum(site, loaded, day, present, now));
  }

  private sum(
    site: SiteRecord,
    fig: SiteFigures,
    day: string,
    present: number,
    now: number,
  ): VisitStats {
    fig.usedAt = now;
    const { totals } = fig;
    let total = fig.before + totals.stored;
    let today = totals.today;
    let month = totals.month;
    for (const map of [this.inflight, this.pending]) {
      const days = map.get(site.id);
      if (!days) continue;
      for (const [keyDay, n] of days) {
        total += n;
        if (keyDay === day) today += n;
        if (keyDay.startsWith(fig.month)) month += n;
      }
    }
    return { total: total + site.legacyOffset, today, month, online: present };
  }

  /** Writes pending increments and sessions in one transaction; calls never overlap. */
  flush(): Promise<void> {
    const run = this.flushing.then(() => this.flushOnce());
    this.flushing = run.catch(() => {});
    return run;
  }

  private async flushOnce(): Promise<void> {
    const now = this.now();
    if (this.pending.size || this.dirtySessions.size) {
      this.inflight = this.pending;
      this.pending = new Map();
      const dirty = (this.inflightSessions = this.dirtySessions);
      this.dirtySessions = new SeenRows();
      const increments: VisitIncrement[] = [];
      for (const [site, days] of this.inflight)
        for (const [day, count] of days) increments.push({ site, day, count });
      try {
        await this.storage.applyVisits({ increments, sessions: dirty });
      } catch (err) {
        // Put the batch back so nothing acknowledged is lost; the next flush retries it.
        merge(this.pending, this.inflight);
        this.dirtySessions = SeenRows.merged(dirty, this.dirtySessions);
        this.inflight = new Map();
        this.inflightSessions = new SeenRows();
        this.log.error({ err }, 'visit flush failed; will retry');
        throw err;
      }
      this.inflightSessions = new SeenRows();
      // The commit was this turn's work; the re-reads take the next.
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Re-read the totals of the sites in use (one query per local day), then drop the in-flight
    // batch they now include.
    const byDay = new Map<string, Array<[string, SiteFigures]>>();
    for (const [siteId, fig] of this.figures) {
      if (now - fig.usedAt > ACTIVE_SITE_MS) {
        this.figures.delete(siteId);
        continue;
      }
      let group = byDay.get(fig.day);
      if (!group) byDay.set(fig.day, (group = []));
      group.push([siteId, fig]);
    }
    await Promise.all([...byDay].map(([day, group]) => this.reload(day, group)));
    this.inflight = new Map();
  }

  private async reload(day: string, group: [string, SiteFigures][]): Promise<void> {
    const { month, from } = group[0]![1];
    const totals = await this.storage.visitTotalsOf({
      sites: group.map(([siteId]) => siteId),
      day,
      month,
      from,
    });
    for (const [siteId, fig] of group) fig.totals = totals.get(siteId)!;
  }

  /**
   * First read of a site's totals (or on a new day). It runs on the flush chain, so a batch is
   * never both in the stored totals and in `inflight`.
   */
  private load(site: SiteRecord, day: string, now: number): Promise<SiteFigures> {
    const key = `${site.id}\u0000${day}`;
    let run = this.loading.get(key);
    if (!run) {
      run = this.flushing.then(async () => {
        const month = day.slice(0, 7);
        const from = previousMonthStart(month);
        const before = await this.storage.visitsBefore(site.id, from);
        const totals = await this.storage.visitTotalsOf({ sites: [site.id], day, month, from });
        const fig: SiteFigures = {
          day,
          month,
          from,
          before,
          totals: totals.get(site.id)!,
          usedAt: now,
        };
        this.figures.set(site.id, fig);
        return fig;
      });
      const done = run.finally(() => this.loading.delete(key));
      this.loading.set(key, run);
      this.flushing = done.then(
        () => {},
        () => {},
      );
    }
    return run;
  }
}
