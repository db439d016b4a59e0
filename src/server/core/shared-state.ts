/**
 * State that every instance of the server must agree on, without a database write per request:
 * visit dedupe (a browser session counts once per site and day), presence ("online now") and
 * counters in a time window (limits). Features depend on the {@link SharedState} interface only:
 *
 * - {@link MemoryState} (no `REDIS_URL`): in this process, exact for one instance. Presence is
 *   counted per second of its window, so "online now" is a sum kept up to date, not a count of
 *   rows (the visit counter restores it from the database at start).
 * - {@link RedisState} (`REDIS_URL`): in Redis, under `REDIS_PREFIX`, shared by every instance;
 *   each call is one round trip (a MULTI). @fastify/rate-limit's own Redis store uses its client.
 *
 * Counts, votes and comments are never kept here: they live in the database.
 *
 * When Redis does not answer (down, or no reply within {@link COMMAND_TIMEOUT_MS}), calls reject
 * with a 503 `unavailable` {@link HttpError} at once (no queue of waiting commands); the client
 * reconnects by itself and the next call works again. Nothing crashes.
 */
import { Redis } from 'ioredis';
import { ONLINE_WINDOW_MS } from '../../shared/visits.js';
import { HttpError } from './errors.js';
import { keyOf, MemberTable } from './member-table.js';

/** What {@link SharedState.sight} saw. */
export interface Sighting {
  /** Not seen in the group within `ttlMs` before (a session's first visit of the day). */
  first: boolean;
  /** Members of the group seen at or after `presentSince` (in memory: within its window). */
  present: number;
  /**
   * `first`, but members of the group were forgotten within their TTL to stay under the memory
   * ceiling (in this process only): the caller checks its own record before counting.
   */
  forgotten?: boolean;
  /** When this process saw the member before (epoch ms; in this process only, else undefined). */
  last?: number;
}

/** A counter in a fixed time window. */
export interface WindowCount {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends and the count starts over. */
  resetInMs: number;
}

export interface SharedState {
  readonly kind: 'memory' | 'redis';
  /** The Redis client (Redis only): @fastify/rate-limit's store runs on it. */
  readonly redis?: Redis;
  /** Prefix of every key (Redis only; '' in memory). */
  readonly prefix: string;
  /**
   * Records that `member` of `group` (a session of a site) was seen at `now`. `first` is true
   * when it was not seen in the `ttlMs` before; every sighting starts the `ttlMs` again. Of
   * several instances seeing the same new member at once, exactly one gets `first`.
   */
  sight(
    group: string,
    member: string,
    now: number,
    ttlMs: number,
    presentSince: number,
  ): Promise<Sighting>;
  /** Members of `group` seen at or after `since` (presence). */
  present(group: string, since: number): Promise<number>;
  /** Counts one hit on `key` in its window of `windowMs` (the first hit opens the window). */
  hit(key: string, windowMs: number, now: number): Promise<WindowCount>;
  /** Throws when the state cannot be reached (`/health/ready`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** 503 answer of a request that needs Redis while it does not answer. */
export class SharedStateUnavailable extends HttpError {
  constructor(cause?: unknown) {
    super(503, 'unavailable', 'The server cannot reach its shared state; try again shortly');
    this.cause = cause;
  }
}

/** Redis commands that get no answer within this long fail (and the request gets its 503). */
export const COMMAND_TIMEOUT_MS = 2_000;

// ---------------------------------------------------------------------------------------------
// In this process

/**
 * What one remembered member (a session of a site and its last-seen time) costs in this process,
 * at most: a 24-byte slot of a table at least 0.3 full (core/member-table.ts: 0.4 as it grows, 0.3
 * after sweeps before it is rebuilt smaller), and room for the tables themselves
 * (test/server/visit-memory.test.ts measures 35 bytes).
 */
export const BYTES_PER_MEMBER = 80;
/** Remembered members that fit in `mb` megabytes (VISIT_SESSION_MEMORY_MB). */
export const membersFor = (mb: number) => Math.floor((mb * 1024 * 1024) / BYTES_PER_MEMBER);
/**
 * Ceiling on window counters (about 15 MB). Past it, ended windows go first, then a 64th of the
 * live ones: single hits before counts that are limiting a client, oldest first.
 */
const MAX_COUNTERS = 100_000;
/** Forgotten members and ended windows are swept at most this often. */
const SWEEP_MS = 60_000;
/**
 * A sweep walks at most about this many table slots in one call (then goes on in the next): at
 * four million sessions a whole walk held the loop for 51 ms at once; a call of it, about 2 ms.
 */
const SWEEP_SLOTS = 1 << 16;
/**
 * Each group's members are kept in this many tables, by their hash. A table grows by rebuilding
 * itself in one go, which the request that makes it grow waits for: a 64th of a busy site's
 * sessions (two million on a busy day) took 2–4 ms. A table is made at its first member, and small:
 * a province runs a thousand small sites.
 */
const SHARDS = 64;
/**
 * At the memory ceiling, members are forgotten least recently seen first, to the second: the state
 * counts its members by the second they were last seen in, over this many seconds (36 hours; a
 * member seen longer ago than that is counted in a later second, and forgotten at the next
 * ceiling).
 */
const AGE_SECONDS = 1 << 17;

/** Presence ("online now") window of the memory state, by default: the widget's 5 minutes. */
export const PRESENCE_WINDOW_MS = ONLINE_WINDOW_MS;

const secondOf = (ms: number) => Math.floor(ms / 1000);

interface Group {
  ttlMs: number;
  /** Members and when each was last seen, in a table by the top 6 bits of their hash. */
  shards: (MemberTable | undefined)[];
  /**
   * Presence: how many members were last seen in each second of the window, by second modulo
   * its length (the seconds from `head` − length + 1 to `head`), and their sum.
   */
  seconds: Int32Array;
  head: number;
  present: number;
}

/** Moves `g`'s presence window on to second `sec`: the seconds it leaves stop counting. */
function advance(g: Group, sec: number): void {
  if (sec <= g.head) return;
  const ring = g.seconds.length;
  const steps = Math.min(sec - g.head, ring);
  for (let k = 1; k <= steps; k++) {
    const slot = (g.head + k) % ring;
    g.present -= g.seconds[slot]!;
    g.seconds[slot] = 0;
  }
  g.head = sec;
}

/** A member last seen at `at` (ms) no longer counts in its second (seen again, or forgotten). */
function unmark(g: Group, at: number): void {
  const sec = secondOf(at);
  if (sec > g.head - g.seconds.length && sec <= g.head) {
    g.seconds[sec % g.seconds.length]!--;
    g.present--;
  }
}

const isEmpty = (g: Group) => g.shards.every((table) => !table?.size);

export class MemoryState implements SharedState {
  readonly kind = 'memory';
  readonly prefix = '';
  /** group → its members (in shards) and TTL. */
  private groups = new Map<string, Group>();
  private members = 0;
  /** Members by the second they were last seen in, modulo {@link AGE_SECONDS}; the latest second. */
  private ages = new Int32Array(AGE_SECONDS);
  private latest = 0;
  private counters = new Map<string, WindowCount & { endsAt: number }>();
  private lastSweep = 0;
  /** The sweep under way: the groups still to walk (the last first), its next table, its time. */
  private sweeping?: { names: string[]; table: number; now: number };
  /** group → until when a member forgotten for memory would still have been within its TTL. */
  private forgottenUntil = new Map<string, number>();
  /** Members seen before this time were forgotten at the ceiling while remembering (ms). */
  private forgottenBefore = -Infinity;

  /**
   * `maxMembers`: the ceiling on remembered members (default: what 256 MB hold); past it the
   * least recently seen are forgotten, and sightings of that group say `forgotten` meanwhile.
   */
  constructor(
    readonly maxMembers = membersFor(256),
    readonly maxCounters = MAX_COUNTERS,
    readonly presenceMs = PRESENCE_WINDOW_MS,
  ) {}

  sight(
    group: string,
    member: string,
    now: number,
    ttlMs: number,
    _presentSince?: number,
  ): Promise<Sighting> {
    return Promise.resolve(this.sightNow(group, member, now, ttlMs));
  }

  /**
   * {@link sight} without a promise: the visit counter's hot path asks this process directly.
   * `present` counts the group's members seen within {@link presenceMs} (to the second).
   */
  sightNow(group: string, member: string, now: number, ttlMs: number): Sighting {
    // A sweep under way goes on (a quiet server may take many minutes to finish one).
    if (!this.sweeping && now - this.lastSweep > SWEEP_MS) this.startSweep(now);
    if (this.sweeping) this.sweepStep();
    let g = this.groups.get(group);
    if (!g) this.groups.set(group, (g = this.newGroup(ttlMs, now)));
    g.ttlMs = ttlMs;
    // Presence moves forward only: a clock set back counts a sighting in the group's latest second
    // (and keeps that time), so each member is in exactly one second of the window.
    const at = Math.max(now, g.head * 1000);
    advance(g, secondOf(at));
    const hash = keyOf(member);
    const table = (g.shards[hash >>> 26] ??= new MemberTable());
    let slot = table.find(hash);
    const last = slot >= 0 ? table.lastSeen(slot) : undefined;
    const first = last === undefined || now - last > ttlMs;
    if (last === undefined && this.members >= this.maxMembers) {
      this.forgetLeastRecent(now);
      // Every member of this group may have been the least recent: the group then went with
      // them, and the member seen now must not go into a group nobody holds.
      if (this.groups.get(group) !== g) this.groups.set(group, g);
      slot = table.find(hash); // members may have moved within the table
    }
    if (last === undefined || secondOf(last) !== g.head) {
      if (last !== undefined) {
        unmark(g, last);
        this.age(secondOf(last), -1);
      }
      g.seconds[g.head % g.seconds.length]!++;
      g.present++;
      this.age(g.head, 1);
      if (g.head > this.latest) this.latest = g.head;
    }
    if (slot >= 0) table.see(slot, at);
    else {
      table.add(hash, ~slot, at);
      this.members++;
    }
    const until = this.forgottenUntil.get(group);
    const forgotten = last === undefined && until !== undefined && until > now;
    return forgotten
      ? { first, present: g.present, forgotten, last }
      : { first, present: g.present, last };
  }

  /**
   * Puts back a member an earlier process saw at `at` (a restart reads its sessions back), with
   * no sighting now: it is present only if `at` is within the presence window, in its own
   * second, in whatever order the members come. A member past its TTL, or known as seen at `at`
   * or later, changes nothing. At the ceiling the least recently seen go, as for a sighting, and
   * from then on a member remembered as seen before them is forgotten at once (its group says
   * `forgotten` until its TTL ends), so that what is kept is the most recent, whatever the order.
   */
  remember(group: string, member: string, at: number, ttlMs: number, now: number): void {
    if (now - at > ttlMs) return;
    let g = this.groups.get(group);
    if (!g) this.groups.set(group, (g = this.newGroup(ttlMs, now)));
    advance(g, secondOf(now));
    // A time after this clock's (another machine's clock) is taken as now.
    const t = Math.min(at, g.head * 1000 + 999);
    const hash = keyOf(member);
    const table = (g.shards[hash >>> 26] ??= new MemberTable());
    let slot = table.find(hash);
    if (slot >= 0) {
      const last = table.lastSeen(slot);
      if (last >= t) return;
      unmark(g, last);
      this.age(secondOf(last), -1);
    } else {
      if (this.members >= this.maxMembers) {
        this.forgottenBefore = Math.max(this.forgottenBefore, this.forgetLeastRecent(now));
        if (this.groups.get(group) !== g) this.groups.set(group, g);
        slot = table.find(hash);
      }
      if (t < this.forgottenBefore) {
        const until = t + ttlMs;
        if (until > (this.forgottenUntil.get(group) ?? 0)) this.forgottenUntil.set(group, until);
        if (isEmpty(g)) this.groups.delete(group);
        return;
      }
    }
    const sec = secondOf(t);
    if (sec > g.head - g.seconds.length) {
      g.seconds[sec % g.seconds.length]!++;
      g.present++;
    }
    this.age(sec, 1);
    if (sec > this.latest) this.latest = sec;
    if (slot >= 0) table.see(slot, t);
    else {
      table.add(hash, ~slot, t);
      this.members++;
    }
  }

  /** Members remembered, in every group (the sweep and the ceiling let them go). */
  get remembered(): number {
    return this.members;
  }

  /** Members of `group` seen at or after `since`, to the second, within {@link presenceMs}. */
  present(group: string, since: number): Promise<number> {
    return Promise.resolve(this.presentNow(group, since));
  }

  /** {@link present} without a promise. */
  presentNow(group: string, since: number): number {
    const g = this.groups.get(group);
    if (!g) return 0;
    const ring = g.seconds.length;
    const from = secondOf(since);
    if (from <= g.head - ring + 1) return g.present;
    let sum = 0;
    for (let sec = from; sec <= g.head; sec++) sum += g.seconds[sec % ring]!;
    return sum;
  }

  private newGroup(ttlMs: number, now: number): Group {
    return {
      ttlMs,
      shards: new Array(SHARDS).fill(undefined),
      seconds: new Int32Array(Math.ceil(this.presenceMs / 1000) + 1),
      head: secondOf(now),
      present: 0,
    };
  }

  hit(key: string, windowMs: number, now: number): Promise<WindowCount> {
    return Promise.resolve(this.hitNow(key, windowMs, now));
  }

  /** {@link hit} without a promise (this process's request limit counts on every request). */
  hitNow(key: string, windowMs: number, now: number): WindowCount {
    let c = this.counters.get(key);
    if (!c || c.endsAt <= now) {
      // Deleted first: the map's order stays the order in which the live windows started.
      if (c) this.counters.delete(key);
      else if (this.counters.size >= this.maxCounters) this.makeRoom(now);
      c = { count: 0, resetInMs: windowMs, endsAt: now + windowMs };
      this.counters.set(key, c);
    }
    c.count++;
    return { count: c.count, resetInMs: c.endsAt - now };
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * At the ceiling: forgets the least recently seen members (a 64th of the ceiling at once, so
   * the work is rare), oldest first across groups to the second, and remembers until when each
   * group's forgotten members would have counted as seen. The count by second says up to which
   * second they go; one walk of every table lets them go: at 4.1 million sessions, 48–62 ms once
   * per 65,000 new sessions past the ceiling. Returns the end of the second up to which members
   * went (some of that second's may be kept).
   */
  private forgetLeastRecent(now: number): number {
    let excess = this.members - (this.maxMembers - Math.max(1, Math.ceil(this.maxMembers / 64)));
    const { latest } = this;
    // The second in which the excess is reached: those seen before it all go, part of it.
    let sec = latest - AGE_SECONDS + 1;
    for (; sec < latest && this.age(sec) < excess; sec++) excess -= this.age(sec);
    const before = sec * 1000;
    for (const [name, g] of this.groups) {
      const dropped = (at: number) => {
        this.drop(g, at);
        const until = at + g.ttlMs;
        if (until > now && until > (this.forgottenUntil.get(name) ?? 0))
          this.forgottenUntil.set(name, until);
      };
      for (const table of g.shards)
        if (table?.size) excess -= table.prune(before, dropped, excess, before + 1000);
      if (isEmpty(g)) this.groups.delete(name);
    }
    return before + 1000;
  }

  /** Members last seen in second `sec`, after adding `by` to them. */
  private age(sec: number, by = 0): number {
    return (this.ages[sec & (AGE_SECONDS - 1)]! += by);
  }

  /** A member of `g` last seen at `at` is let go. */
  private drop(g: Group, at: number): void {
    unmark(g, at);
    this.age(secondOf(at), -1);
    this.members--;
  }

  /**
   * Starts a sweep of members not seen within their TTL (and drops ended windows at once). The
   * sweep goes on a few tables a call ({@link SWEEP_SLOTS}), letting them go in place.
   */
  private startSweep(now: number): void {
    this.lastSweep = now;
    this.sweeping = { names: [...this.groups.keys()], table: 0, now };
    for (const [name, until] of this.forgottenUntil)
      if (until <= now) this.forgottenUntil.delete(name);
    this.dropEndedCounters(now);
  }

  private sweepStep(): void {
    const sweep = this.sweeping!;
    for (let budget = SWEEP_SLOTS; budget > 0;) {
      const name = sweep.names.at(-1);
      if (name === undefined) {
        this.sweeping = undefined;
        return;
      }
      const g = this.groups.get(name);
      if (g) {
        const table = g.shards[sweep.table];
        if (table?.size) {
          budget -= table.slots;
          table.prune(sweep.now - g.ttlMs, (at) => this.drop(g, at));
        }
        if (++sweep.table < SHARDS) continue;
        if (isEmpty(g)) this.groups.delete(name);
      }
      sweep.names.pop();
      sweep.table = 0;
    }
  }

  private dropEndedCounters(now: number): void {
    for (const [key, c] of this.counters) if (c.endsAt <= now) this.counters.delete(key);
  }

  /**
   * At the ceiling of counters: the ended windows go; if that is not enough, a 64th of the live
   * ones, oldest first, single hits before the rest. Forgetting every counter at once would let
   * anyone with enough addresses (an IPv6 block) lift every limit, their own included, whenever
   * they liked; now a client held at its limit keeps its count.
   */
  private makeRoom(now: number): void {
    this.dropEndedCounters(now);
    let excess = this.counters.size - (this.maxCounters - Math.ceil(this.maxCounters / 64));
    for (const single of [true, false])
      for (const [key, c] of this.counters) {
        if (excess <= 0) return;
        if (single && c.count > 1) continue;
        this.counters.delete(key);
        excess--;
      }
  }
}

// ---------------------------------------------------------------------------------------------
// In Redis

/** Presence sets of groups nobody was seen in expire after this long beyond their window. */
const PRESENCE_SLACK_MS = 60_000;
/** Sightings in one script call at most, so that no call holds Redis (single-threaded) long. */
const SIGHTINGS_PER_CALL = 256;

/** A sighting waiting for its turn's script call. */
interface PendingSighting {
  group: string;
  member: string;
  now: number;
  ttlMs: number;
  presentSince: number;
  resolve(sighting: Sighting): void;
  reject(err: unknown): void;
}

interface Logger {
  warn(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
}

/**
 * Keys (`<prefix>` = `REDIS_PREFIX`):
 * - `<prefix>seen:<group>:<member>`: a string with a TTL of `ttlMs`, set again on every sighting;
 * - `<prefix>present:<group>`: a sorted set of members scored by last sighting (ms), trimmed to
 *   the presence window on every sighting;
 * - `<prefix>hits:<key>`: a window counter (INCR, expiry set by the first hit);
 * - `<prefix>rl:…`: @fastify/rate-limit's counters.
 *
 * A hit is one Lua script, and so are the sightings of one turn of the event loop (EVALSHA;
 * ioredis sends the script itself once when Redis does not know it yet): atomic as a MULTI was,
 * but one command and one reply instead of seven (`MULTI`, five commands, `EXEC`) or five. A
 * MULTI cost the instance about 45 µs more CPU a sighting (58–86 µs against 13–17 µs, 60,000
 * sightings by 50 callers in one process).
 */
export class RedisState implements SharedState {
  readonly kind = 'redis';
  private readonly scripts: Scripts;
  /** Sightings of this turn, sent together by {@link sendSightings}. */
  private sightings: PendingSighting[] = [];

  private constructor(
    readonly redis: Redis,
    readonly prefix: string,
  ) {
    for (const [name, lua] of Object.entries(SCRIPTS)) {
      // Without `numberOfKeys`, the call gives it first (a batch has as many keys as sightings).
      if (!(name in redis))
        redis.defineCommand(name, {
          ...(lua.keys !== undefined && { numberOfKeys: lua.keys }),
          lua: lua.source,
        });
    }
    this.scripts = redis as unknown as Scripts;
  }

  /**
   * Connects to `url`; rejects (naming host and port, never the password) when Redis does not
   * answer within a few seconds, so a server does not start without its shared state.
   */
  static async connect(url: string, prefix: string, log?: Logger): Promise<RedisState> {
    const redis = new Redis(url, {
      lazyConnect: true,
      // A command while disconnected fails at once (a 503) instead of waiting in a queue.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: 5_000,
      retryStrategy: (times) => Math.min(100 * times, 2_000),
      // Shown by CLIENT LIST.
      connectionName: `${prefix}state`,
    });
    let down = false;
    redis.on('error', (err: Error) => {
      if (down) return;
      down = true;
      log?.warn({ err: { message: err.message } }, 'Redis does not answer; retrying');
    });
    redis.on('ready', () => {
      if (!down) return;
      down = false;
      log?.info({}, 'Redis answers again');
    });
    try {
      await redis.connect();
      await redis.ping();
    } catch (err) {
      redis.disconnect();
      throw new Error(`Cannot connect to Redis at ${describeRedisUrl(url)}: ${messageOf(err)}`, {
        cause: err,
      });
    }
    return new RedisState(redis, prefix);
  }

  /**
   * The sightings asked for in one turn of the event loop go to Redis as ONE script call (at
   * most {@link SIGHTINGS_PER_CALL}), sent after the turn's I/O (`setImmediate`): ioredis and
   * the round trip cost the instance about as much per command as the script costs Redis, so a
   * busy instance sends a few calls a turn instead of one per new visitor.
   */
  sight(
    group: string,
    member: string,
    now: number,
    ttlMs: number,
    presentSince: number,
  ): Promise<Sighting> {
    return new Promise((resolve, reject) => {
      if (this.sightings.length === 0) setImmediate(() => this.sendSightings());
      this.sightings.push({ group, member, now, ttlMs, presentSince, resolve, reject });
    });
  }

  private sendSightings(): void {
    const all = this.sightings;
    this.sightings = [];
    for (let i = 0; i < all.length; i += SIGHTINGS_PER_CALL) {
      const part = all.slice(i, i + SIGHTINGS_PER_CALL);
      const keys: string[] = [];
      const args: (string | number)[] = [];
      for (const s of part) keys.push(`${this.prefix}seen:${s.group}:${s.member}`);
      for (const s of part) {
        keys.push(`${this.prefix}present:${s.group}`);
        const presentTtl = Math.max(1, s.now - s.presentSince) + PRESENCE_SLACK_MS;
        args.push(s.ttlMs, s.now, s.presentSince, s.member, presentTtl);
      }
      this.scripts.civicSightings(part.length * 2, ...keys, part.length, ...args).then(
        (reply) =>
          part.forEach((s, k) =>
            s.resolve({ first: reply[2 * k] === 1, present: reply[2 * k + 1]! }),
          ),
        (err: unknown) => {
          const unavailable = new SharedStateUnavailable(err);
          for (const s of part) s.reject(unavailable);
        },
      );
    }
  }

  async present(group: string, since: number): Promise<number> {
    try {
      return await this.redis.zcount(`${this.prefix}present:${group}`, since, '+inf');
    } catch (err) {
      throw new SharedStateUnavailable(err);
    }
  }

  async hit(key: string, windowMs: number, _now?: number): Promise<WindowCount> {
    const [count, ttl] = await this.run(
      this.scripts.civicHit(`${this.prefix}hits:${key}`, windowMs),
    );
    return { count, resetInMs: ttl > 0 ? ttl : windowMs };
  }

  async ping(): Promise<void> {
    try {
      await this.redis.ping();
    } catch (err) {
      throw new SharedStateUnavailable(err);
    }
  }

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  /** A script's reply, or a 503 when Redis fails (or the script does). */
  private async run<T>(reply: Promise<T>): Promise<T> {
    try {
      return await reply;
    } catch (err) {
      throw new SharedStateUnavailable(err);
    }
  }
}

/** The scripts {@link RedisState} defines on its connection (ioredis's `defineCommand`). */
interface Scripts {
  /**
   * n sightings. KEYS: the n seen keys, then the n present keys; ARGV: n, then for each:
   * ttlMs, now, presentSince, member, presence TTL → [first 0|1, present, first, present, …].
   */
  civicSightings(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<number[]>;
  /** KEYS: counter; ARGV: windowMs → [count, ms left (PTTL)]. */
  civicHit(counter: string, windowMs: number): Promise<[number, number]>;
}

const SCRIPTS: Record<keyof Scripts, { keys?: number; source: string }> = {
  // SET … GET: the value before, false (nil) when the member was not seen within the TTL. Each
  // group's presence is trimmed and counted once, after every sighting of the call is in it.
  civicSightings: {
    source: `local n = tonumber(ARGV[1])
local out = {}
for i = 1, n do
  local a = 1 + (i - 1) * 5
  local before = redis.call('SET', KEYS[i], '1', 'PX', ARGV[a + 1], 'GET')
  redis.call('ZADD', KEYS[n + i], ARGV[a + 2], ARGV[a + 4])
  if before then out[2 * i - 1] = 0 else out[2 * i - 1] = 1 end
end
local counted = {}
for i = 1, n do
  local key = KEYS[n + i]
  local a = 1 + (i - 1) * 5
  if counted[key] == nil then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. ARGV[a + 3])
    counted[key] = redis.call('ZCARD', key)
    redis.call('PEXPIRE', key, ARGV[a + 5])
  end
  out[2 * i] = counted[key]
end
return out`,
  },
  // The expiry is set by the first hit of the window only (NX), as the window's end.
  civicHit: {
    keys: 1,
    source: `local count = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1], 'NX')
return {count, redis.call('PTTL', KEYS[1])}`,
  },
};

/** `host:port/db` of a Redis URL, without user or password. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'REDIS_URL (not a valid URL)';
  }
}

function messageOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0)
    return err.errors.map(messageOf).join('; ');
  if (err instanceof Error) return err.message || (err as NodeJS.ErrnoException).code || err.name;
  return String(err);
}

/** The shared state the configuration asks for: Redis when `redisUrl` is set, else this process. */
export async function openSharedState(
  config: { redisUrl?: string; redisPrefix: string; visitSessionMemoryMb?: number },
  log?: Logger,
): Promise<SharedState> {
  return config.redisUrl
    ? RedisState.connect(config.redisUrl, config.redisPrefix, log)
    : new MemoryState(membersFor(config.visitSessionMemoryMb ?? 256));
}

/**
 * True for an error of the Redis client (a command refused while disconnected, timed out or
 * failed): @fastify/rate-limit's store throws them as they are; the error handler answers 503.
 */
export function isRedisError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return (
    err.name === 'ReplyError' ||
    err.name === 'MaxRetriesPerRequestError' ||
    err.name === 'AbortError' ||
    /enableOfflineQueue|Command timed out|Connection is closed/.test(err.message)
  );
}
