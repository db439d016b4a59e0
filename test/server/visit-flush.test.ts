/**
 * The visit flush on SQLite (better-sqlite3 is synchronous) writes in slices with turns of the
 * event loop between them, in ONE transaction: timers and other requests run while it writes,
 * no other query gets into its transaction, a crash in the middle counts nothing twice and loses
 * no session row of a counted visit; the file's checkpoints run in a worker.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { MemoryState } from '../../src/server/core/shared-state.js';
import type { SiteRecord, Storage, VisitBatch } from '../../src/server/db/storage.js';
import { CHECKPOINT_EVERY_MS } from '../../src/server/db/sqlite-worker.js';
import { VisitCounter } from '../../src/server/visits/service.js';
import { seedTestSite, storedSessions } from '../helpers/app.js';
import { sqliteEngine, type TestEngine } from '../helpers/engines.js';

const log = { error: () => {} };

interface RawSqlite {
  inTransaction: boolean;
  pragma(source: string, options: { simple: true }): unknown;
  prepare(source: string): unknown;
}
/** The connection under the storage's Kysely (KyselyStorage's own, for what only it can tell). */
const rawOf = (storage: Storage) => (storage as unknown as { sqlite: { db: RawSqlite } }).sqlite.db;
/** Its worker (`db/sqlite-worker.ts`), with the answers it owes. */
const workerOf = (storage: Storage) =>
  (
    storage as unknown as {
      sqlite: { worker: { waiting: Map<number, unknown>; stop(): Promise<void> } };
    }
  ).sqlite.worker;
const turn = () => new Promise((resolve) => setImmediate(resolve));

async function countRows(storage: Storage): Promise<{ sessions: number; visits: number }> {
  const s = await storage.db
    .selectFrom('visit_sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const v = await storage.db
    .selectFrom('visit_days')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('count'), eb.lit(0)).as('n'))
    .executeTakeFirstOrThrow();
  return { sessions: Number(s.n), visits: Number(v.n) };
}

describe('visit flush on SQLite', () => {
  let db: TestEngine;
  let storage: Storage;
  let site: SiteRecord;
  let counter: VisitCounter;

  before(async () => {
    db = await sqliteEngine();
    storage = await db.open();
    await seedTestSite(storage);
    site = (await storage.getSite('t1'))!;
    counter = new VisitCounter(storage, 60_000, log, new MemoryState());
  });
  after(async () => {
    await storage.close();
    await db.drop();
  });

  const recordNew = async (n: number) => {
    for (let i = 0; i < n; i++) await counter.record(site, randomUUID(), true);
  };

  it('lets timers run while 5,000 new sessions flush', async () => {
    await recordNew(5000);
    let ticks = 0;
    let flushed = false;
    const timer = setInterval(() => {
      if (!flushed) ticks++;
    }, 1);
    try {
      await counter.flush();
      flushed = true;
    } finally {
      clearInterval(timer);
    }
    // The old flush ran in microtasks only: no timer ran until it had finished.
    assert.ok(ticks >= 2, `a 1 ms timer ran ${ticks} times during the flush`);
    assert.deepEqual(await countRows(storage), { sessions: 5000, visits: 5000 });
  });

  it('answers an HTTP request to another server before a flush of 20,000 sessions ends', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text()); // connection warmed up
      await recordNew(20_000);
      const order: string[] = [];
      const flushing = counter.flush().then(() => order.push('flush'));
      const asking = fetch(`http://127.0.0.1:${port}/`)
        .then((r) => r.text())
        .then(() => order.push('http'));
      await Promise.all([flushing, asking]);
      assert.deepEqual(order, ['http', 'flush']);
      assert.deepEqual(await countRows(storage), { sessions: 25_000, visits: 25_000 });
    } finally {
      server.close();
    }
  });

  it('with its worker stopped, writes on the server connection: other queries wait for the commit', async () => {
    // A second storage on the file, its worker stopped before it ever ran: what a server falls
    // back to should the worker stop.
    const other = await db.open();
    await workerOf(other).stop();
    const fallback = new VisitCounter(other, 60_000, log, new MemoryState());
    try {
      for (let i = 0; i < 10_000; i++) await fallback.record(site, randomUUID(), true);
      const raw = rawOf(other);
      let flushed = false;
      const flushing = fallback.flush().then(() => (flushed = true));
      while (!raw.inTransaction && !flushed) await turn();
      await turn();
      assert.equal(flushed, false, 'the flush takes more than one turn');
      assert.equal(raw.inTransaction, true, 'its transaction is open and partly written');
      // On the same connection, a query inside the transaction would see the rows written so far
      // (between 25,000 and 35,000 sessions, and no new visit yet).
      const seen = await countRows(other);
      await flushing;
      assert.deepEqual(seen, { sessions: 35_000, visits: 35_000 });
    } finally {
      await other.close();
    }
  });

  /** The worker starts with the first flush; once it is up, the main connection stops checkpointing. */
  const workerUp = async () => {
    const raw = rawOf(storage);
    const ready = Date.now() + 30_000;
    while (raw.pragma('wal_autocheckpoint', { simple: true }) !== 0 && Date.now() < ready)
      await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(raw.pragma('wal_autocheckpoint', { simple: true }), 0, 'main: no checkpoints');
  };

  it('flushes on the worker once it is up: no visit row written here, a write here waits for its commit', async () => {
    await workerUp();
    await recordNew(10_000);
    const statement = Object.getPrototypeOf(rawOf(storage).prepare('select 1')) as Record<
      string,
      (this: { source: string }, ...args: unknown[]) => unknown
    >;
    const run = statement.run!;
    const here: string[] = [];
    statement.run = function (...args) {
      here.push(this.source);
      return run.apply(this, args);
    };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    // Were a write of this connection let through while the worker's transaction is open, it
    // would meet the worker's write lock: with no busy timeout, SQLITE_BUSY at once (with the
    // server's 5 s, a sleep holding the event loop until the commit).
    rawOf(storage).pragma('busy_timeout = 0', { simple: true });
    try {
      const flushing = counter.flush();
      while (workerOf(storage).waiting.size === 0) await turn();
      await storage.db
        .updateTable('sites')
        .set({ name: 'Flushed' })
        .where('id', '=', 't1')
        .execute();
      await flushing;
    } finally {
      rawOf(storage).pragma('busy_timeout = 5000', { simple: true });
      statement.run = run;
      clearInterval(timer);
    }
    assert.equal((await storage.getSite('t1'))?.name, 'Flushed');
    assert.deepEqual(
      here.filter((q) => q.includes('visit_sessions')),
      [],
      'no session row written on the server connection',
    );
    assert.ok(ticks >= 2, `a 1 ms timer ran ${ticks} times during the flush`);
    assert.deepEqual(await countRows(storage), { sessions: 45_000, visits: 45_000 });
  });

  it('on the worker, a flush with repeats keeps each session once, with its latest time', async () => {
    await workerUp();
    const before = await countRows(storage);
    const t0 = Date.now() - 60_000;
    const rows: (string | number)[] = [];
    const latest = new Map<string, number>();
    const push = (session: string, at: number) => {
      rows.push('t1', session, at);
      latest.set(session, Math.max(latest.get(session) ?? 0, at));
    };
    // 2,537 sessions (not a multiple of a message's 1,000), some given twice in a row, some
    // again later with a later or an earlier time (in another message).
    for (let i = 0; i < 2537; i++) {
      const session = `multi-${i}`;
      push(session, t0 + i);
      if (i % 7 === 0) push(session, t0 + i + 5);
      if (i % 11 === 0 && i > 1200) push(`multi-${i - 1200}`, t0 + 10_000 + i);
      if (i % 13 === 0 && i > 900) push(`multi-${i - 900}`, t0 - 1);
    }
    await storage.applyVisits({ increments: [], sessions: rows });
    const stored = new Map<string, number>();
    const since = await storedSessions(storage, new Date(t0 - 10));
    for (let i = 0; i < since.length; i += 3)
      if (since[i] === 't1' && String(since[i + 1]).startsWith('multi-'))
        stored.set(since[i + 1] as string, since[i + 2] as number);
    assert.equal(stored.size, 2537);
    assert.deepEqual(stored, latest);
    assert.deepEqual(await countRows(storage), {
      sessions: before.sessions + 2537,
      visits: before.visits,
    });
    // The tests below count the sessions of their visits.
    await storage.db.deleteFrom('visit_sessions').where('session', 'like', 'multi-%').execute();
  });

  it('checkpoints the file in a worker and closes it before the database', async () => {
    const file = db.env.CIVIC_DB_FILE!;
    await workerUp();
    const size = statSync(file).size;
    await recordNew(5000);
    await counter.flush();
    // The rows reach the database file without a checkpoint on the main connection.
    const deadline = Date.now() + 20 * CHECKPOINT_EVERY_MS;
    while (statSync(file).size === size && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(statSync(file).size > size, 'the worker copied the log into the file');
    await counter.close();
    await storage.close();
    // The last connection to close removes the log: the worker's had closed first.
    assert.equal(existsSync(`${file}-wal`), false);
    storage = await db.open();
    counter = new VisitCounter(storage, 60_000, log, new MemoryState());
    assert.deepEqual(await countRows(storage), { sessions: 50_000, visits: 50_000 });
  });

  /**
   * Closes the storage, has a child process flush 20,000 new sessions on the file and kill itself
   * in the middle (test/helpers/visit-flush-child.ts, `mode`), and opens the storage again.
   */
  const killedMidFlush = async (mode: 'main' | 'worker') => {
    await storage.close();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'test/helpers/visit-flush-child.ts',
        db.env.CIVIC_DB_FILE!,
        '20000',
        mode,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      child.on('exit', (c, s) => resolve([c, s])),
    );
    assert.equal(signal, 'SIGKILL', `the child was killed mid-flush (exit ${code}: ${out})`);
    assert.match(out, /killed mid-flush/);
    storage = await db.open();
    counter = new VisitCounter(storage, 60_000, log, new MemoryState());
  };

  it('counts nothing and keeps no session of a flush killed while the worker writes it', async () => {
    const before = await countRows(storage);
    await killedMidFlush('worker');
    // One transaction on the worker's connection: killed before its commit, nothing (the
    // child's first flush of one session did commit).
    assert.deepEqual(await countRows(storage), {
      sessions: before.sessions + 1,
      visits: before.visits + 1,
    });
  });

  it('counts nothing and keeps no session of a flush killed in the middle', async () => {
    const before = await countRows(storage);
    await killedMidFlush('main');
    // All or nothing; killed before the commit, nothing.
    assert.deepEqual(await countRows(storage), before);
  });

  it('tries the last flush again when the server stops, so a passing failure loses nothing', async () => {
    // What the database holds, read by a counter of its own.
    const stored = async () =>
      (await new VisitCounter(storage, 60_000, log, new MemoryState()).stats(site)).total;
    const before = await stored();
    let failures = 2;
    // The real storage, refusing the first two writes as a full disk would.
    const flaky = new Proxy(storage, {
      get(target, name, receiver) {
        if (name === 'applyVisits' && failures > 0)
          return () => (failures--, Promise.reject(new Error('database or disk is full')));
        return Reflect.get(target, name, receiver) as unknown;
      },
    });
    const stopping = new VisitCounter(flaky, 60_000, log, new MemoryState());
    for (let i = 0; i < 25; i++) await stopping.record(site, randomUUID(), true);
    await stopping.close();
    assert.equal(failures, 0);
    assert.equal(await stored(), before + 25, 'every visit written');
  });

  it('puts a failed flush back as one row per session, its latest time', async () => {
    let clock = Date.now();
    let failures = 3;
    const written: (string | number)[][] = [];
    const flaky = new Proxy(storage, {
      get(target, name, receiver) {
        if (name === 'applyVisits')
          return (batch: VisitBatch) => {
            if (failures-- > 0) return Promise.reject(new Error('database or disk is full'));
            written.push(batch.sessions.slice(0, batch.sessions.length));
            return storage.applyVisits(batch);
          };
        return Reflect.get(target, name, receiver) as unknown;
      },
    });
    const counter = new VisitCounter(flaky, 60_000, log, new MemoryState(), () => clock);
    const [a, b] = [randomUUID(), randomUUID()];
    // Seen in a new second before each flush, which fails three times.
    for (let i = 0; i < 3; i++) {
      await counter.record(site, a, true);
      await counter.record(site, b, true);
      clock += 1100;
      await assert.rejects(counter.flush());
    }
    // Six sightings, written as two rows with the latest times.
    await counter.flush();
    assert.deepEqual(written, [[site.id, a, clock - 1100, site.id, b, clock - 1100]]);
    await counter.close();
  });

  it('hands the storage every session as it was seen, with its site and time', async () => {
    await seedTestSite(storage, 't2');
    const other = (await storage.getSite('t2'))!;
    let clock = Date.now();
    const written: (string | number)[][] = [];
    const watched = new Proxy(storage, {
      get(target, name, receiver) {
        if (name === 'applyVisits')
          return (batch: VisitBatch) => {
            written.push(batch.sessions.slice(0, batch.sessions.length));
            return storage.applyVisits(batch);
          };
        return Reflect.get(target, name, receiver) as unknown;
      },
    });
    const counter = new VisitCounter(watched, 60_000, log, new MemoryState(), () => clock);
    // A UUID as the widget sends it; no caller sends the others, but they come back whole too:
    // Latin-1, beyond Latin-1, longer than a row holds, empty.
    const sessions = [randomUUID(), 'café-ÿ', 'phiên-người-dùng', 'x'.repeat(40), ''];
    const expected: (string | number)[] = [];
    for (const [i, session] of sessions.entries()) {
      const where = i % 2 ? other : site;
      await counter.record(where, session, true);
      expected.push(where.id, session, clock);
      clock += 1000;
    }
    // Past the rows' first allocation (256): the rows grow and keep what they hold.
    const many = Array.from({ length: 600 }, () => randomUUID());
    for (const session of many) {
      await counter.record(site, session, true);
      expected.push(site.id, session, clock);
    }
    await counter.flush();
    assert.deepEqual(written, [expected]);
    const stored = await storage.db
      .selectFrom('visit_sessions')
      .select(['site', 'session'])
      .where('session', 'in', sessions)
      .execute();
    assert.deepEqual(
      stored.map((r) => `${r.site} ${r.session}`).sort(),
      sessions.map((s, i) => `${i % 2 ? 't2' : 't1'} ${s}`).sort(),
    );
    await counter.close();
  });
});
