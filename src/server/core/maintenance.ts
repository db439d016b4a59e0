/**
 * The periodic clean-up: every table that only grows has a prune task here, registered by its
 * feature (`app.civic.maintenance.register(name, run)`). Every instance checks every few minutes
 * whether the round is due; the database decides which one does it (a conditional UPDATE of the
 * `maintenance_runs` row moves the next round an hour ahead: exactly one instance wins), so with
 * several instances the work is done once an hour, not once per instance.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';

export const MAINTENANCE_EVERY_MS = 60 * 60 * 1000;
/** How often an instance looks whether the round is due. */
const CHECK_EVERY_MS = 5 * 60 * 1000;
const JOB = 'prune';

/** Deletes what is past its retention at `now`; returns how many rows went. */
export type PruneTask = (now: number) => Promise<number>;

interface Logger {
  info(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export class Maintenance {
  private readonly tasks = new Map<string, PruneTask>();
  /** This instance's id in `maintenance_runs.holder`. */
  readonly holder = randomBytes(8).toString('base64url');
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    readonly everyMs = MAINTENANCE_EVERY_MS,
  ) {}

  /** Adds a prune task (one per table or group of tables; names are unique). */
  register(name: string, task: PruneTask): void {
    if (this.tasks.has(name)) throw new Error(`Maintenance task "${name}" is registered twice`);
    this.tasks.set(name, task);
  }

  /** The registered task names, in order. */
  get names(): string[] {
    return [...this.tasks.keys()];
  }

  /**
   * Claims the current round if it is due; true for exactly one of several instances asking at
   * once (the database decides), false while another instance's round is not over.
   */
  async claim(now = this.now()): Promise<boolean> {
    await this.db
      .insertInto('maintenance_runs')
      .values({ job: JOB, holder: '', next_at: 0, last_at: 0 })
      .onConflict((oc) => oc.column('job').doNothing())
      .execute();
    const result = await this.db
      .updateTable('maintenance_runs')
      .set({ holder: this.holder, next_at: now + this.everyMs, last_at: now })
      .where('job', '=', JOB)
      .where('next_at', '<=', now)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Runs every task now (a failing task is logged; the others still run); rows deleted per task. */
  async runTasks(now = this.now()): Promise<Record<string, number>> {
    const deleted: Record<string, number> = {};
    for (const [name, task] of this.tasks) {
      try {
        deleted[name] = await task(now);
      } catch (err) {
        this.log.error({ err, task: name }, 'maintenance task failed');
      }
    }
    return deleted;
  }

  /** One check: the round's work if this instance claims it; undefined when it is not due here. */
  tick(): Promise<Record<string, number> | undefined> {
    const run = this.running.then(async () => {
      const now = this.now();
      if (!(await this.claim(now))) return undefined;
      const deleted = await this.runTasks(now);
      this.log.info({ deleted }, 'maintenance done');
      return deleted;
    });
    this.running = run.catch((err: unknown) => this.log.error({ err }, 'maintenance failed'));
    return run;
  }

  /** Checks now and then every few minutes (the timer does not keep the process alive). */
  start(checkEveryMs = CHECK_EVERY_MS): void {
    void this.tick().catch(() => {});
    this.timer = setInterval(() => void this.tick().catch(() => {}), checkEveryMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a round in progress. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
