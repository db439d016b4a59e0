/**
 * A worker thread with a connection of its own to the SQLite file, for the work that would block
 * the server's event loop (better-sqlite3 is synchronous):
 *
 * - The visit flush. Its transaction writes thousands of session rows at random places of their
 *   index, and its commit writes each page it touched to the log: on the server's thread, 17–28
 *   ms at once for 5 000 new visitors with 300 000 sessions stored (`npm run bench:flush`). Here
 *   the server's thread only sends the sessions and waits for the commit. It keeps its own
 *   connection idle meanwhile (it holds Kysely's mutex, so its queries wait asynchronously, as
 *   they waited for the flush's transaction before): one writer at a time, and none of its writes
 *   can meet the worker's lock and sleep in SQLite's busy handler.
 * - WAL checkpoints. A checkpoint copies the write-ahead log into the database file and fsyncs
 *   it; SQLite runs one on the committing connection once the log passes 1000 pages, which
 *   blocked the event loop for 20–80 ms after a big visit flush. Once the worker is up, the main
 *   connection stops checkpointing (`wal_autocheckpoint = 0`) and the worker runs a PASSIVE
 *   checkpoint every {@link CHECKPOINT_EVERY_MS}: it takes no write lock, so the main
 *   connection's writes never wait for it.
 *
 * Should the worker fail or stop, the main connection flushes and checkpoints again as before (a flush it was writing is rolled back, fails and is written again by the next).
 * The worker is this same module (in a clone run through tsx, compiled in a package).
 */
import SQLite from 'better-sqlite3';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** How often the worker checkpoints. */
export const CHECKPOINT_EVERY_MS = 500;
/** SQLite's own default, restored when the worker is not running. */
const AUTOCHECKPOINT_PAGES = 1000;

interface WorkerJob {
  sqliteFile: string;
}

/** Sessions of a visit flush, flat: site, session, last seen (epoch ms), site… */
export type VisitRows = (string | number)[];
export type VisitDays = [site: string, day: string, count: number][];

/** Part of the sessions of flush `id`; the worker keeps them until the flush's `VisitsRequest`. */
interface VisitRowsMessage {
  id: number;
  rows: VisitRows;
}

/** Writes flush `id`: its sessions sent before, and `days`. */
interface VisitsRequest {
  id: number;
  days: VisitDays;
}

/** The server's side of one visit flush on the worker (see {@link SqliteWorker.visitFlush}). */
export interface WorkerVisitFlush {
  /** Sends sessions of the flush (copied at once: the array can be let go). */
  add(rows: VisitRows): void;
  /**
   * Writes everything sent and `days` in one transaction. Rejects with SQLite's error (its
   * `code` kept) if the transaction fails, or if the worker stopped meanwhile (then nothing of
   * the flush was written).
   */
  commit(days: VisitDays): Promise<void>;
}

interface Answer {
  id: number;
  error?: string;
  code?: string;
}

/** What a visit flush writes, on the worker or on the server's connection (`kysely-storage.ts`). */
export const VISIT_STATEMENTS = {
  session: `insert into visit_sessions (site, session, last_seen) values (?, ?, ?)
    on conflict (site, session) do update set last_seen = excluded.last_seen
    where visit_sessions.last_seen < excluded.last_seen`,
  day: `insert into visit_days (site, day, count) values (?, ?, ?)
    on conflict (site, day) do update set count = visit_days.count + excluded.count`,
};

export class SqliteWorker {
  private worker?: Worker;
  private ready = false;
  private exited?: Promise<void>;
  private seq = 0;
  private readonly waiting = new Map<number, (answer: Answer) => void>();

  constructor(
    private readonly db: SQLite.Database,
    private readonly file: string,
  ) {}

  /** Starts the worker (once); until it is ready, the main connection does its work as before. */
  start(): void {
    if (this.worker) return;
    const url = new URL(import.meta.url);
    // A clone runs the TypeScript sources: the worker needs tsx's loader too.
    const execArgv = url.pathname.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
    const job: WorkerJob = { sqliteFile: this.file };
    const worker = new Worker(url, { workerData: job, execArgv });
    this.worker = worker;
    worker.on('message', (msg: 'ready' | Answer) => {
      if (msg === 'ready') {
        if (this.db.open) this.db.pragma('wal_autocheckpoint = 0');
        this.ready = true;
        return;
      }
      this.answer(msg);
    });
    worker.on('error', () => {});
    this.exited = new Promise((resolve) =>
      worker.once('exit', () => {
        this.ready = false;
        if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
        for (const id of [...this.waiting.keys()]) this.answer({ id, error: 'worker stopped' });
        resolve();
      }),
    );
    // The worker never keeps the process alive (after the listeners: adding one refs it again).
    worker.unref();
  }

  /**
   * Starts a visit flush on the worker (see the top of this file); undefined while the worker is
   * not running. Sessions are sent slice by slice as the server packs them, so that none of them
   * waits in this thread's heap for the others.
   */
  visitFlush(): WorkerVisitFlush | undefined {
    const worker = this.worker;
    if (!this.ready || !worker) return undefined;
    const id = ++this.seq;
    return {
      add: (rows) => {
        const message: VisitRowsMessage = { id, rows };
        worker.postMessage(message);
      },
      commit: async (days) => {
        const request: VisitsRequest = { id, days };
        const answer = this.ask(id, request);
        if (!answer) throw new Error('visit flush failed: the worker stopped');
        const { error, code } = await answer;
        if (error !== undefined)
          throw Object.assign(new Error(error), code === undefined ? {} : { code });
      },
    };
  }

  private ask(id: number, request: VisitsRequest): Promise<Answer> | undefined {
    const worker = this.worker;
    if (!this.ready || !worker) return undefined;
    // An answer awaited keeps the process alive, as a query on the main connection would.
    if (this.waiting.size === 0) worker.ref();
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      worker.postMessage(request);
    });
  }

  /** Stops the worker and waits until its connection is closed (before the main one closes). */
  async stop(): Promise<void> {
    if (!this.worker) return;
    this.ready = false;
    this.worker.ref();
    this.worker.postMessage('close');
    await this.exited;
  }

  private answer(msg: Answer): void {
    const settle = this.waiting.get(msg.id);
    this.waiting.delete(msg.id);
    if (this.waiting.size === 0) this.worker?.unref();
    settle?.(msg);
  }
}

if (!isMainThread && parentPort && (workerData as Partial<WorkerJob>)?.sqliteFile) {
  const port = parentPort;
  const db = new SQLite((workerData as WorkerJob).sqliteFile, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // The flush's index pages stay cached between flushes, as on the server's connection.
  db.pragma('cache_size = -32768');
  // Checkpoints run on the timer below, never inside a flush's commit.
  db.pragma('wal_autocheckpoint = 0');
  let flush: ((rows: VisitRows[], days: VisitDays) => void) | undefined;
  /** The sessions of flushes not yet written, by flush. */
  const flushes = new Map<number, VisitRows[]>();
  const timer = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // A full disk or an I/O error: the log keeps the data; the next round tries again.
    }
  }, CHECKPOINT_EVERY_MS);
  port.on('message', (msg: 'close' | VisitRowsMessage | VisitsRequest) => {
    if (msg === 'close') {
      clearInterval(timer);
      db.close();
      process.exit(0); // in a worker: ends this thread only
    }
    if ('rows' in msg) {
      let rows = flushes.get(msg.id);
      if (!rows) flushes.set(msg.id, (rows = []));
      rows.push(msg.rows);
      return;
    }
    let answer: Answer;
    try {
      const rows = flushes.get(msg.id) ?? [];
      flushes.delete(msg.id);
      flush ??= visitFlush(db);
      flush(rows, msg.days);
      answer = { id: msg.id };
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      answer = {
        id: msg.id,
        error: err instanceof Error ? err.message : String(err),
        ...(typeof code === 'string' && { code }),
      };
    }
    port.postMessage(answer);
  });
  port.postMessage('ready');
}

/** The worker's flush: one transaction (rolled back whole on any error). */
function visitFlush(db: SQLite.Database) {
  const session = db.prepare(VISIT_STATEMENTS.session);
  const day = db.prepare(VISIT_STATEMENTS.day);
  return db.transaction((parts: VisitRows[], days: VisitDays) => {
    for (const rows of parts)
      for (let i = 0; i < rows.length; i += 3) session.run(rows[i], rows[i + 1], rows[i + 2]);
    for (const [site, d, count] of days) day.run(site, d, count);
  });
}
