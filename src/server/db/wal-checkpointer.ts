/**
 * SQLite's WAL checkpoints in a worker thread. A checkpoint copies the write-ahead log into the
 * database file and fsyncs it; SQLite runs one on the committing connection once the log passes
 * 1000 pages, which on the server's one connection blocked the event loop for 20–80 ms after a
 * big visit flush. Once the worker has opened its own connection, the main connection stops
 * checkpointing (`wal_autocheckpoint = 0`) and the worker runs a PASSIVE checkpoint every
 * {@link CHECKPOINT_EVERY_MS}: it takes no write lock, so the main connection's writes never
 * wait for it. Should the worker fail or stop, the main connection checkpoints again as before.
 *
 * The worker is this same module (in a clone run through tsx, compiled in a package).
 */
import SQLite from 'better-sqlite3';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** How often the worker checkpoints. */
export const CHECKPOINT_EVERY_MS = 500;
/** SQLite's own default, restored when the worker is not running. */
const AUTOCHECKPOINT_PAGES = 1000;

interface CheckpointJob {
  walCheckpoint: string;
}

export class WalCheckpointer {
  private worker?: Worker;
  private exited?: Promise<void>;

  constructor(
    private readonly db: SQLite.Database,
    private readonly file: string,
  ) {}

  /** Starts the worker (once); until it is ready, the main connection checkpoints as before. */
  start(): void {
    if (this.worker) return;
    const url = new URL(import.meta.url);
    // A clone runs the TypeScript sources: the worker needs tsx's loader too.
    const execArgv = url.pathname.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
    const job: CheckpointJob = { walCheckpoint: this.file };
    const worker = new Worker(url, { workerData: job, execArgv });
    this.worker = worker;
    worker.on('message', (msg) => {
      if (msg === 'ready' && this.db.open) this.db.pragma('wal_autocheckpoint = 0');
    });
    worker.on('error', () => {});
    this.exited = new Promise((resolve) =>
      worker.once('exit', () => {
        if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
        resolve();
      }),
    );
    // The worker never keeps the process alive (after the listeners: adding one refs it again).
    worker.unref();
  }

  /** Stops the worker and waits until its connection is closed (before the main one closes). */
  async stop(): Promise<void> {
    if (!this.worker) return;
    this.worker.ref();
    this.worker.postMessage('close');
    await this.exited;
  }
}

if (!isMainThread && parentPort && (workerData as Partial<CheckpointJob>)?.walCheckpoint) {
  const port = parentPort;
  const db = new SQLite((workerData as CheckpointJob).walCheckpoint, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const timer = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // A full disk or an I/O error: the log keeps the data; the next round tries again.
    }
  }, CHECKPOINT_EVERY_MS);
  port.on('message', (msg) => {
    if (msg !== 'close') return;
    clearInterval(timer);
    db.close();
    process.exit(0); // in a worker: ends this thread only
  });
  port.postMessage('ready');
}
