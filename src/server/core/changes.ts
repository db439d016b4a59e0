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
 *   (`DATABASE_URL` without Redis), else nobody else exists (one process). `changed()` resolves
 *   once the notice is sent; the others run their listeners when it arrives (typically well under
 *   a millisecond later on one network), never twice, never their own notices.
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

/** The notice after a gap in the channel: forget everything. */
export const EVERYTHING: Readonly<Change> = Object.freeze({ site: '*', kind: '*', id: '*' });

export interface ChangeBus {
  readonly transport: 'memory' | 'redis' | 'postgres';
  /** Tells every instance that (`site`, `kind`, `id`) changed; this one's listeners first, at once. */
  changed(site: string, kind: string, id: string): Promise<void>;
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

  changed(site: string, kind: string, id: string): Promise<void> {
    const change = { site, kind, id };
    this.deliver(change);
    return this.send(change);
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

  protected encode(change: Change): string {
    return JSON.stringify({ from: this.instance, ...change });
  }

  /** Delivers a notice from another instance (a malformed or own one is ignored). */
  protected receive(message: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return;
    }
    const m = parsed as Partial<Change> & { from?: unknown };
    if (m.from === this.instance) return;
    if (typeof m.site !== 'string' || typeof m.kind !== 'string' || typeof m.id !== 'string')
      return;
    this.deliver({ site: m.site, kind: m.kind, id: m.id });
  }
}

/** Redis pub/sub on `<REDIS_PREFIX>changes`: publishes on the shared client, listens on its own. */
export class RedisChanges extends LocalChanges {
  override readonly transport = 'redis';
  private readonly channel: string;
  private readonly subscriber: Redis;

  private constructor(
    private readonly publisher: Redis,
    prefix: string,
    log?: Logger,
  ) {
    super(log);
    this.channel = `${prefix}changes`;
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
      if (channel === this.channel) this.receive(message);
    });
    await sub.connect();
    await sub.subscribe(this.channel);
    let connected = true;
    sub.on('close', () => (connected = false));
    // Resubscribed after a reconnection: notices of the gap are lost.
    sub.on('ready', () => {
      if (connected) return;
      connected = true;
      this.deliver(EVERYTHING);
    });
  }

  protected override async send(change: Change): Promise<void> {
    try {
      await this.publisher.publish(this.channel, this.encode(change));
    } catch (err) {
      this.log?.warn({ err: { message: (err as Error).message } }, 'change notice not sent');
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
    return bus;
  }

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

  protected override async send(change: Change): Promise<void> {
    try {
      await sql`select pg_notify(${PG_CHANNEL}, ${this.encode(change)})`.execute(this.db);
    } catch (err) {
      this.log?.warn({ err: { message: (err as Error).message } }, 'change notice not sent');
    }
  }

  override async close(): Promise<void> {
    this.closed = true;
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
