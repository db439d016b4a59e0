/**
 * A worker thread with a connection of its own to the SQLite file, for the work that would block
 * the server's one connection (better-sqlite3 is synchronous) without needing it:
 *
 * - WAL checkpoints. A checkpoint copies the write-ahead log into the database file and fsyncs
 *   it; SQLite runs one on the committing connection once the log passes 1000 pages, which
 *   blocked the event loop for 20–80 ms after a big visit flush. Once the worker is up, the main
 *   connection stops checkpointing (`wal_autocheckpoint = 0`) and the worker runs a PASSIVE
 *   checkpoint every {@link CHECKPOINT_EVERY_MS}: it takes no write lock, so the main
 *   connection's writes never wait for it.
 * - The "online now" count: sessions seen within 5 minutes, an index range that holds 1.5 million
 *   rows at 5 000 new visitors a second (about 40 ms to count), asked after every flush. A read
 *   on its own connection sees every transaction committed before it starts.
 *
 * Should the worker fail or stop, the main connection checkpoints and counts again as before.
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

interface CountRequest {
  id: number;
  site: string;
  since: number;
}

interface CountAnswer {
  id: number;
  n?: number;
  error?: string;
}

export class SqliteWorker {
  private worker?: Worker;
  private ready = false;
  private exited?: Promise<void>;
  private seq = 0;
  private readonly waiting = new Map<number, (answer: CountAnswer) => void>();

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
    worker.on('message', (msg: 'ready' | CountAnswer) => {
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
   * Sessions of `site` last seen at or after `since` (epoch ms), counted on the worker's
   * connection; undefined while the worker is not running. Rejects if it stops meanwhile.
   */
  onlineCount(site: string, since: number): Promise<number> | undefined {
    const worker = this.worker;
    if (!this.ready || !worker) return undefined;
    const id = ++this.seq;
    // An answer awaited keeps the process alive, as a query on the main connection would.
    if (this.waiting.size === 0) worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.set(id, ({ n, error }) =>
        n === undefined ? reject(new Error(`online count failed: ${error}`)) : resolve(n),
      );
      const request: CountRequest = { id, site, since };
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

  private answer(msg: CountAnswer): void {
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
  let online: SQLite.Statement | undefined;
  const timer = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // A full disk or an I/O error: the log keeps the data; the next round tries again.
    }
  }, CHECKPOINT_EVERY_MS);
  port.on('message', (msg: 'close' | CountRequest) => {
    if (msg === 'close') {
      clearInterval(timer);
      db.close();
      process.exit(0); // in a worker: ends this thread only
    }
    let answer: CountAnswer;
    try {
      online ??= db
        .prepare('select count(*) from visit_sessions where site = ? and last_seen >= ?')
        .pluck();
      answer = { id: msg.id, n: Number(online.get(msg.site, msg.since)) };
    } catch (err) {
      answer = { id: msg.id, error: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(answer);
  });
  port.postMessage('ready');
}
