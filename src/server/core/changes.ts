/**
 * The change channel: "something of `site` changed" (`kind` and `id` say what: `poll`/`<poll id>`,
 * `comments`/`<thread>`, `list`/`<list id>`, `site`/`<site id>`…), heard by every instance, so
 * that each drops what it keeps in memory about it. Available as `app.civic.changes`.
 *
 *     // after a write that changes a poll, before answering:
 *     await app.civic.changes.changed(site, 'poll', pollId);
 *     // a per-instance cache:
 *     app.civic.changes.subscribe(({ site, kind, id }) => { … });
 *
 * The rules a cache can rely on:
 * - On the instance that calls `changed()`, every listener has run before `changed()` returns
 *   (synchronously): a read on that instance after the write never sees the old state.
 * - Other instances hear it through Redis pub/sub (`REDIS_URL`), else PostgreSQL `LISTEN/NOTIFY`
 *   (`DATABASE_URL` without Redis), else nobody else exists (one process); never twice, never
 *   their own notices. With Redis, `changed()` resolves once every other instance has run its
 *   listeners (each answers the notice; one that does not answer within {@link ACK_TIMEOUT_MS}
 *   is not waited for longer): a read on any instance after the write is answered sees the
 *   change. With PostgreSQL, it resolves once the notice is sent, and the others run their
 *   listeners when it arrives (typically within a millisecond or two). A PostgreSQL write may
 *   also send its notice itself, delivered at its commit ({@link CommitNotices}).
 * - After a gap in the channel (Redis or PostgreSQL lost and found again), every listener gets
 *   {@link EVERYTHING} (`site`, `kind` and `id` all `'*'`): notices may have been missed, so drop
 *   everything.
 * - `changed()` never throws: a notice that cannot be sent is logged (the channel's gap then
 *   reaches the others as {@link EVERYTHING} when it comes back).
 * - A listener that throws is logged and does not stop the others.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../db/database.js';

export interface Change {
  site: string;
  kind: string;
  id: string;
}
export type ChangeListener = (change: Change) => void;

/** How long `changed()` waits at most for the other instances to answer a notice (Redis). */
export const ACK_TIMEOUT_MS = 250;

/** The notice after a gap in the channel: forget everything. */
export const EVERYTHING: Readonly<Change> = Object.freeze({ site: '*', kind: '*', id: '*' });

export interface ChangeBus {
  readonly transport: 'memory' | 'redis' | 'postgres';
  /**
   * Tells every instance that (`site`, `kind`, `id`) changed; this one's listeners first, at once.
   * `noticeSent`: the write sent the other instances' notice itself, at its commit
   * ({@link CommitNotices}): only this instance's listeners run.
   */
  changed(site: string, kind: string, id: string, noticeSent?: boolean): Promise<void>;
  /** Calls `listener` on every change, from any instance; returns the function that removes it. */
  subscribe(listener: ChangeListener): () => void;
  close(): Promise<void>;
}

interface Logger {
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

/** One process: listeners only. The base of the other transports. */
export class LocalChanges implements ChangeBus {
  readonly transport: ChangeBus['transport'] = 'memory';
  /** Tells notices of this instance from those of the others. */
  protected readonly instance = randomUUID();
  private listeners = new Set<ChangeListener>();

  constructor(protected readonly log?: Logger) {}

  changed(site: string, kind: string, id: string, noticeSent = false): Promise<void> {
    const change = { site, kind, id };
    this.deliver(change);
    return noticeSent ? Promise.resolve() : this.send(change);
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }

  /** Sends a notice to the other instances (none here). */
  protected send(_change: Change): Promise<void> {
    return Promise.resolve();
  }

  protected deliver(change: Change): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.log?.error({ err }, 'change listener failed');
      }
    }
  }

  /** A notice as sent: the change, who sends it, and (to be answered) its number. */
  protected encode(change: Change, seq?: string): string {
    return JSON.stringify({ from: this.instance, ...(seq !== undefined && { seq }), ...change });
  }

  /**
   * Delivers a notice from another instance (a malformed or own one is ignored); returns who
   * sent it and its number when it asks for an answer.
   */
  protected receive(message: string): { from: string; seq: string } | undefined {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return undefined;
    }
    const m = parsed as Partial<Change> & { from?: unknown; seq?: unknown };
    if (m.from === this.instance) return undefined;
    if (typeof m.site !== 'string' || typeof m.kind !== 'string' || typeof m.id !== 'string')
      return undefined;
    this.deliver({ site: m.site, kind: m.kind, id: m.id });
    return typeof m.from === 'string' && typeof m.seq === 'string'
      ? { from: m.from, seq: m.seq }
      : undefined;
  }
}

/**
 * Redis pub/sub on `<REDIS_PREFIX>changes`: publishes on the shared client, listens on its own.
 * Each instance answers a notice on the sender's `<REDIS_PREFIX>changes:ack:<instance>` once its
 * listeners have run; the sender waits for as many answers as PUBLISH reached other instances.
 */
export class RedisChanges extends LocalChanges {
  override readonly transport = 'redis';
  private readonly channel: string;
  private readonly ackChannel: string;
  private readonly subscriber: Redis;
  /** The subscriber is subscribed (so PUBLISH counts it among the receivers). */
  private listening = false;
  private sent = 0;
  /** Notices sent and not yet answered by everyone: answers so far, answers expected. */
  private waiting = new Map<string, { acks: number; expected: number; done: () => void }>();

  private constructor(
    private readonly publisher: Redis,
    private readonly prefix: string,
    log?: Logger,
  ) {
    super(log);
    this.channel = `${prefix}changes`;
    this.ackChannel = `${prefix}changes:ack:${this.instance}`;
    // Its own connection (a subscribed one can do nothing else); it queues while reconnecting,
    // and ioredis subscribes again after a reconnection.
    this.subscriber = publisher.duplicate({
      enableOfflineQueue: true,
      commandTimeout: undefined,
      lazyConnect: true,
      connectionName: `${prefix}changes`,
    });
  }

  static async open(publisher: Redis, prefix: string, log?: Logger): Promise<RedisChanges> {
    const bus = new RedisChanges(publisher, prefix, log);
    await bus.listen();
    return bus;
  }

  private async listen(): Promise<void> {
    const sub = this.subscriber;
    sub.on('error', () => {}); // the shared client reports Redis being down
    sub.on('message', (channel: string, message: string) => {
      if (channel === this.channel) {
        const from = this.receive(message);
        if (from)
          this.publisher
            .publish(`${this.prefix}changes:ack:${from.from}`, from.seq)
            .catch(() => {});
      } else if (channel === this.ackChannel) {
        const w = this.waiting.get(message);
        if (w && ++w.acks >= w.expected) w.done();
      }
    });
    await sub.connect();
    await sub.subscribe(this.channel, this.ackChannel);
    this.listening = true;
    sub.on('close', () => (this.listening = false));
    // Resubscribed after a reconnection: notices of the gap are lost.
    sub.on('ready', () => {
      if (this.listening) return;
      this.listening = true;
      this.deliver(EVERYTHING);
    });
  }

  protected override async send(change: Change): Promise<void> {
    const seq = String(++this.sent);
    let done!: () => void;
    const answered = new Promise<void>((resolve) => (done = resolve));
    const waiter = { acks: 0, expected: Infinity, done };
    this.waiting.set(seq, waiter);
    const timer = setTimeout(done, ACK_TIMEOUT_MS);
    try {
      const receivers = await this.publisher.publish(this.channel, this.encode(change, seq));
      waiter.expected = receivers - (this.listening ? 1 : 0);
      if (waiter.acks >= waiter.expected) done();
      await answered;
    } catch (err) {
      this.log?.warn({ err: { message: (err as Error).message } }, 'change notice not sent');
    } finally {
      clearTimeout(timer);
      this.waiting.delete(seq);
    }
  }

  override async close(): Promise<void> {
    await super.close();
    try {
      await this.subscriber.quit();
    } catch {
      this.subscriber.disconnect();
    }
  }
}

/** The PostgreSQL channel's name (`LISTEN civic_changes`). */
export const PG_CHANNEL = 'civic_changes';

/**
 * A notice sent by a PostgreSQL write itself: `pg_notify` inside the write's statement (or
 * transaction) reaches the other instances at its commit, with no statement and commit of its
 * own. A vote batch sends its poll's notice so (polls/store.ts) and says so in its outcome; its
 * `changed(…, noticeSent)` then runs this instance's listeners and sends nothing more.
 */
export interface CommitNotices {
  /** The channel and the text of the notice of `change`, for `pg_notify(channel, text)`. */
  readonly channel: string;
  payload(change: Change): string;
}

/** The PostgreSQL channel of each storage's Kysely, while it is open. */
const commitNotices = new WeakMap<Kysely<Database>, CommitNotices>();

/** The channel a write on `db` sends its own notices on: only PostgreSQL LISTEN/NOTIFY has one. */
export function commitNoticesOf(db: Kysely<Database>): CommitNotices | undefined {
  return commitNotices.get(db);
}

/**
 * PostgreSQL `LISTEN/NOTIFY` on {@link PG_CHANNEL}: notifies through the storage's pool,
 * listens on a connection of its own, which comes back by itself (and delivers
 * {@link EVERYTHING}) after it is lost.
 */
export class PostgresChanges extends LocalChanges {
  override readonly transport = 'postgres';
  private client?: pg.Client;
  private closed = false;
  private retry?: NodeJS.Timeout;

  private constructor(
    private readonly url: string,
    private readonly db: Kysely<Database>,
    log?: Logger,
  ) {
    super(log);
  }

  static async open(url: string, db: Kysely<Database>, log?: Logger): Promise<PostgresChanges> {
    const bus = new PostgresChanges(url, db, log);
    await bus.connect();
    commitNotices.set(db, bus.notices);
    return bus;
  }

  private readonly notices: CommitNotices = {
    channel: PG_CHANNEL,
    payload: (change) => this.encode(change),
  };

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 10_000 });
    client.on('notification', (n) => {
      if (n.channel === PG_CHANNEL && n.payload !== undefined) this.receive(n.payload);
    });
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      client.removeAllListeners('end');
      client.end().catch(() => {});
      if (!this.closed) this.reconnect(1);
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    await client.query(`listen ${PG_CHANNEL}`);
    this.client = client;
  }

  private reconnect(attempt: number): void {
    this.log?.warn({}, 'change channel (PostgreSQL LISTEN) lost; reconnecting');
    this.retry = setTimeout(
      () => {
        this.connect().then(
          () => this.deliver(EVERYTHING),
          () => !this.closed && this.reconnect(attempt + 1),
        );
      },
      Math.min(100 * attempt, 2_000),
    );
    this.retry.unref();
  }

  /** Sends the notice in a statement of its own. */
  protected override async send(change: Change): Promise<void> {
    try {
      await sql`select pg_notify(${PG_CHANNEL}, ${this.encode(change)})`.execute(this.db);
    } catch (err) {
      this.log?.warn({ err: { message: (err as Error).message } }, 'change notice not sent');
    }
  }

  override async close(): Promise<void> {
    this.closed = true;
    if (commitNotices.get(this.db) === this.notices) commitNotices.delete(this.db);
    clearTimeout(this.retry);
    await super.close();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}

/**
 * The channel the configuration asks for: Redis (given its client), else PostgreSQL (given its
 * URL and the storage's Kysely), else this process only.
 */
export async function openChanges(
  options: { redis?: Redis; redisPrefix: string; databaseUrl?: string; db: Kysely<Database> },
  log?: Logger,
): Promise<ChangeBus> {
  if (options.redis) return RedisChanges.open(options.redis, options.redisPrefix, log);
  if (options.databaseUrl) return PostgresChanges.open(options.databaseUrl, options.db, log);
  return new LocalChanges(log);
}
