/**
 * Child process of test/server/visit-flush.test.ts: records `count` new sessions on the SQLite
 * file `file`, starts their flush and kills itself (SIGKILL) in the middle of its transaction.
 * Prints `killed mid-flush` first; exits 3 if the flush ended before (nothing to test then).
 * - `main` (default): the flush is the storage's first, written on this thread before the worker
 *   is up; killed once its transaction is open and partly written.
 * - `worker`: a flush of one session starts the worker first; once it is up, the flush is sent to
 *   it, and the process is killed 20 ms after (the worker takes longer for 20,000 sessions).
 */
import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import { MemoryState } from '../../src/server/core/shared-state.js';
import { openStorage } from '../../src/server/db/open.js';
import { VisitCounter } from '../../src/server/visits/service.js';

const [file, count, mode = 'main'] = [process.argv[2]!, Number(process.argv[3]), process.argv[4]];
const storage = await openStorage({ dbFile: file });
const site = (await storage.getSite('t1'))!;
const counter = new VisitCounter(storage, 60_000, console, new MemoryState());
const { db: raw, worker } = (
  storage as unknown as {
    sqlite: {
      db: { inTransaction: boolean; pragma(s: string, o: { simple: true }): unknown };
      worker: { waiting: Map<number, unknown> };
    };
  }
).sqlite;
const turn = () => new Promise((resolve) => setImmediate(resolve));

if (mode === 'worker') {
  await counter.record(site, randomUUID(), true);
  await counter.flush();
  // Up once the server's connection has stopped checkpointing (sqlite-worker.ts).
  while (raw.pragma('wal_autocheckpoint', { simple: true }) !== 0)
    await new Promise((resolve) => setTimeout(resolve, 20));
}
for (let i = 0; i < count; i++) await counter.record(site, randomUUID(), true);
let done = false;
void counter.flush().then(() => (done = true));
if (mode === 'worker') {
  while (worker.waiting.size === 0 && !done) await turn();
  await new Promise((resolve) => setTimeout(resolve, 20));
} else {
  while (!raw.inTransaction && !done) await turn();
  // One more turn: a slice of rows is written.
  await turn();
  if (!raw.inTransaction) done = true;
}
if (done) process.exit(3);
writeSync(1, 'killed mid-flush\n');
process.kill(process.pid, 'SIGKILL');
