/**
 * Child process of test/server/visit-flush.test.ts: records `count` new sessions on the SQLite
 * file `file`, starts their flush and kills itself (SIGKILL) once the flush's transaction is
 * open and partly written. Prints `killed mid-flush` first; exits 3 if the flush ended before
 * (nothing to test then).
 */
import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import { MemoryState } from '../../src/server/core/shared-state.js';
import { openStorage } from '../../src/server/db/open.js';
import { VisitCounter } from '../../src/server/visits/service.js';

const [file, count] = [process.argv[2]!, Number(process.argv[3])];
const storage = await openStorage({ dbFile: file });
const site = (await storage.getSite('t1'))!;
const counter = new VisitCounter(storage, 60_000, console, new MemoryState());
for (let i = 0; i < count; i++) await counter.record(site, randomUUID(), true);
const raw = (storage as unknown as { sqlite: { db: { inTransaction: boolean } } }).sqlite.db;
let done = false;
void counter.flush().then(() => (done = true));
while (!raw.inTransaction && !done) await new Promise((resolve) => setImmediate(resolve));
// One more turn: a slice of rows is written.
await new Promise((resolve) => setImmediate(resolve));
if (done || !raw.inTransaction) process.exit(3);
writeSync(1, 'killed mid-flush\n');
process.kill(process.pid, 'SIGKILL');
