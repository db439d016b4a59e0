/**
 * `npm run bench:flush`: how long one visit flush blocks the event loop, for a second's worth of
 * new visitors (`--visitors 5000,20000,40000`; `--online N` sessions seen within 5 minutes
 * before; `--sites N --days D`: the visitors spread over N sites with D days of history each, all
 * of them re-read after the flush), on a SQLite file (or DATABASE_URL). The flush is
 * the counter's own (`VisitCounter.flush()`); the block is the longest event-loop delay seen
 * while it runs (perf_hooks monitorEventLoopDelay, 1 ms resolution), so a request arriving during
 * the flush waits at most that long. On a loaded machine that wall-clock figure also holds the time
 * the thread waited for a core, so beside it: the most CPU time the main thread spent between two
 * turns of a 1 ms timer (process.threadCpuUsage), what the flush itself holds the loop for; the
 * main thread's CPU time for the whole flush (on SQLite the worker thread writes it once it is up);
 * and the longest garbage-collector pause in the same window, which bounds what is left.
 * Session ids are made as the widget makes them (UUID v7, the time first); `--ids v4` makes random
 * ones instead, as a script might send.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { MemoryState } from '../src/server/core/shared-state.js';
import { openStorage } from '../src/server/db/open.js';
import type { SiteRecord } from '../src/server/db/storage.js';
import { VisitCounter } from '../src/server/visits/service.js';
import { benchDatabase } from './lib.js';

const { values } = parseArgs({
  options: {
    visitors: { type: 'string', default: '5000,20000,40000' },
    rounds: { type: 'string', default: '3' },
    // Sessions already stored, seen within 5 minutes, before the rounds: at 5 000 new visitors a
    // second the window holds 1.5 million, and each flush writes into the table that holds them.
    online: { type: 'string', default: '0' },
    // A province's server: the visitors spread over this many sites, each with this many days of
    // stored history, all of them re-read after each flush.
    sites: { type: 'string', default: '1' },
    days: { type: 'string', default: '0' },
    ids: { type: 'string', default: 'v7' },
  },
});
if (values.ids !== 'v7' && values.ids !== 'v4') throw new Error('--ids is v7 or v4');

/** A session id as the widget makes it (RFC 9562 v7: the time in ms, then random bits), or v4. */
function sessionId(at = Date.now()): string {
  if (values.ids === 'v4') return randomUUID();
  const hex = randomBytes(10).toString('hex');
  const time = at.toString(16).padStart(12, '0');
  const variant = (8 | (parseInt(hex[3]!, 16) & 3)).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${hex.slice(0, 3)}-${variant}${hex.slice(4, 7)}-${hex.slice(7, 19)}`;
}
const sizes = values.visitors.split(',').map(Number);
const rounds = Number(values.rounds);

const db = benchDatabase();
const storage = await openStorage(db.storage);
const siteCount = Number(values.sites);
const history = Number(values.days);
const allSites: SiteRecord[] = [];
for (let i = 0; i < siteCount; i++) {
  const id = i === 0 ? 'flush' : `flush-${i}`;
  await storage.createSite({ id, name: id, origins: [], timeZone: 'Asia/Ho_Chi_Minh' });
  allSites.push((await storage.getSite(id))!);
}
const site = allSites[0]!;
if (history > 0) {
  const today = Date.now();
  const days = Array.from({ length: history }, (_, d) =>
    new Date(today - (d + 1) * 86_400_000).toISOString().slice(0, 10),
  );
  for (const s of allSites)
    await storage.applyVisits({
      increments: days.map((day) => ({ site: s.id, day, count: 10 })),
      sessions: [],
    });
}
const log = { error: (obj: unknown) => console.error(obj) };
const counter = new VisitCounter(storage, 1_000, log, new MemoryState());
const online = Number(values.online);
for (let i = 0; i < online; i += 10_000) {
  const at = Date.now();
  const sessions = Array.from({ length: Math.min(10_000, online - i) }, () => [
    site.id,
    sessionId(at),
    at,
  ]).flat();
  await storage.applyVisits({ increments: [], sessions });
}
// As in a running server, the SQLite worker is up (it starts with the first flush) and has
// checkpointed what the filling wrote; every site has been asked about.
for (const s of allSites) await counter.record(s, sessionId(), true);
await counter.flush();
await new Promise((resolve) => setTimeout(resolve, online > 0 ? 3_000 : 1_000));
for (const s of allSites) await counter.stats(s);

console.log(
  `visit flush — ${db.engine}, ${online} sessions online before, ${siteCount} site(s) with ${history} days of history each; longest event-loop block during one flush (ms), ${rounds} rounds`,
);
console.log(
  '| new visitors in the flush | median block | max block | max CPU between turns | flush time | flush CPU (median) | longest GC pause |',
);
console.log('|---|---|---|---|---|---|---|');
for (const n of sizes) {
  const blocks: number[] = [];
  const cpus: number[] = [];
  const times: number[] = [];
  const flushCpu: number[] = [];
  let gcMax = 0;
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < n; i++) await counter.record(allSites[i % siteCount]!, sessionId(), true);
    const h = monitorEventLoopDelay({ resolution: 1 });
    // A 1 ms timer beside it: the longest gap between its runs is the longest block too.
    let last = performance.now();
    let lastCpu = process.threadCpuUsage();
    let gap = 0;
    let cpuGap = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      const cpu = process.threadCpuUsage(lastCpu);
      gap = Math.max(gap, now - last);
      cpuGap = Math.max(cpuGap, (cpu.user + cpu.system) / 1000);
      last = now;
      lastCpu = process.threadCpuUsage();
    }, 1);
    // The garbage collector's pauses in the same window (V8 stops this thread for them).
    const gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) gcMax = Math.max(gcMax, entry.duration);
    });
    gc.observe({ entryTypes: ['gc'] });
    h.enable();
    const start = performance.now();
    const cpuStart = process.threadCpuUsage();
    await counter.flush();
    times.push(performance.now() - start);
    const used = process.threadCpuUsage(cpuStart);
    flushCpu.push((used.user + used.system) / 1000);
    // Let the timer run once more: a flush that never yielded shows as one long gap.
    await new Promise((resolve) => setTimeout(resolve, 5));
    h.disable();
    clearInterval(tick);
    gc.disconnect();
    blocks.push(Math.max(h.max / 1e6, gap));
    cpus.push(cpuGap);
  }
  const sorted = [...blocks].sort((a, b) => a - b);
  const med = sorted[Math.floor(sorted.length / 2)]!;
  const t = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  const cpu = Math.max(...cpus);
  console.log(
    `| ${n} | ${med.toFixed(1)} | ${sorted.at(-1)!.toFixed(1)} | ${cpu.toFixed(1)} | ${t.toFixed(0)} ms | ${[...flushCpu].sort((a, b) => a - b)[Math.floor(flushCpu.length / 2)]!.toFixed(0)} ms | ${gcMax.toFixed(1)} |`,
  );
}
await counter.close();
await storage.close();
db.cleanup();
