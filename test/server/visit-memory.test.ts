/**
 * The memory ceiling of remembered visit sessions (no Redis): what one costs, measured on the V8
 * heap; past the ceiling the least recently seen are forgotten, and a forgotten session that comes
 * back within the day is still not counted twice (the database's `visit_sessions` says so), on
 * SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '../../src/server/config.js';
import {
  BYTES_PER_MEMBER,
  MemoryState,
  membersFor,
  openSharedState,
} from '../../src/server/core/shared-state.js';
import type { SiteRecord, Storage } from '../../src/server/db/storage.js';
import { SESSION_TTL_MS, VisitCounter } from '../../src/server/visits/service.js';
import { seedTestSite } from '../helpers/app.js';
import { describeEngines, type TestEngine } from '../helpers/engines.js';

/** A session id as the route has it: parsed from a JSON body, lower-cased. */
const sessionId = () => (JSON.parse(`"${randomUUID().toUpperCase()}"`) as string).toLowerCase();

describe('remembered visit sessions in memory', () => {
  it(`cost at most ${BYTES_PER_MEMBER} bytes each (V8 heap and array buffers, 200 000 sessions)`, async (t) => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const state = new MemoryState();
    const n = 200_000;
    const start = Date.now();
    // The tables' arrays live outside the V8 heap: both are counted.
    const used = () => {
      const { heapUsed, arrayBuffers } = process.memoryUsage();
      return heapUsed + arrayBuffers;
    };
    gc();
    gc();
    const before = used();
    for (let i = 0; i < n; i++) await state.sight('t1', sessionId(), start + i, SESSION_TTL_MS, 0);
    gc();
    gc();
    const bytes = (used() - before) / n;
    t.diagnostic(`${bytes.toFixed(0)} bytes per remembered session`);
    // Still there (and so still counted as seen): the state was not collected before measuring.
    assert.equal((await state.sight('t1', 'x', start + n, SESSION_TTL_MS, 0)).first, true);
    assert.ok(bytes >= 24, `${bytes} bytes: the sessions were measured (a slot is 24)`);
    assert.ok(bytes <= BYTES_PER_MEMBER, `${bytes.toFixed(0)} bytes per session`);
  });

  it('hold VISIT_SESSION_MEMORY_MB (256 by default) as a number of sessions', async () => {
    assert.equal(loadConfig({}).visitSessionMemoryMb, 256);
    assert.equal(loadConfig({ VISIT_SESSION_MEMORY_MB: '64' }).visitSessionMemoryMb, 64);
    assert.throws(() => loadConfig({ VISIT_SESSION_MEMORY_MB: '0' }), /VISIT_SESSION_MEMORY_MB/);
    assert.equal(membersFor(256), Math.floor((256 * 1024 * 1024) / BYTES_PER_MEMBER));
    const state = await openSharedState({ redisPrefix: '', visitSessionMemoryMb: 32 });
    assert.ok(state instanceof MemoryState);
    assert.equal(state.maxMembers, membersFor(32));
  });

  it('start the day again at every sighting, also when seen again within a second', async () => {
    const state = new MemoryState();
    const t0 = Date.UTC(2026, 10, 30);
    assert.equal((await state.sight('a', 's', t0, SESSION_TTL_MS, 0)).first, true);
    // Seen again 0.5 s later: its time moves on.
    assert.equal((await state.sight('a', 's', t0 + 500, SESSION_TTL_MS, 0)).first, false);
    // A day after the first sighting but not after the second: still counted.
    const t = t0 + SESSION_TTL_MS + 100;
    assert.equal((await state.sight('a', 's', t, SESSION_TTL_MS, 0)).first, false);
    // A day and more after the last one: counted again.
    assert.equal(
      (await state.sight('a', 's', t + SESSION_TTL_MS + 1, SESSION_TTL_MS, 0)).first,
      true,
    );
  });

  it('forget exactly the least recently seen across groups and the tables that hold them', async () => {
    const state = new MemoryState(640);
    const t0 = Date.UTC(2026, 10, 30);
    // 640 sessions, in two sites, seen one second apart in turn (the order is kept to the second).
    const ids = Array.from({ length: 640 }, sessionId);
    const groupOf = (i: number) => (i % 2 ? 'b' : 'a');
    for (let i = 0; i < 640; i++)
      await state.sight(groupOf(i), ids[i]!, t0 + i * 1000, SESSION_TTL_MS, 0);
    // One more: the ceiling's 64th (10) goes, the ten seen first, five of each site.
    await state.sight('a', sessionId(), t0 + 640_000, SESSION_TTL_MS, 0);
    const at = t0 + 700_000;
    for (let i = 639; i >= 10; i--) {
      const seen = await state.sight(groupOf(i), ids[i]!, at, SESSION_TTL_MS, 0);
      assert.equal(seen.first, false, `session ${i} is remembered`);
    }
    for (let i = 0; i < 5; i++) {
      const seen = await state.sight(groupOf(i), ids[i]!, at, SESSION_TTL_MS, 0);
      assert.deepEqual([seen.first, seen.forgotten], [true, true], `session ${i} was forgotten`);
    }
  });

  it('forget the least recently seen past the ceiling, and say so', async () => {
    const state = new MemoryState(100);
    const t0 = Date.UTC(2026, 10, 30);
    const ids = Array.from({ length: 150 }, sessionId);
    // A second apart: the order is kept to the second.
    const second = (i: number) => t0 + i * 1000;
    for (let i = 0; i < 100; i++) await state.sight('a', ids[i]!, second(i), SESSION_TTL_MS, 0);
    // Seen again: the first ten are now the most recent.
    for (let i = 0; i < 10; i++)
      await state.sight('a', ids[i]!, second(200 + i), SESSION_TTL_MS, 0);
    for (let i = 100; i < 150; i++)
      await state.sight('a', ids[i]!, second(300 + i), SESSION_TTL_MS, 0);
    const at = second(500);
    const again = async (i: number) => state.sight('a', ids[i]!, at, SESSION_TTL_MS, 0);
    // Never over the ceiling; the recently seen ones are remembered.
    assert.equal((await again(0)).first, false);
    const seenAgain = await again(149);
    assert.equal(seenAgain.first, false);
    assert.equal(seenAgain.last, second(300 + 149), 'when it was seen before');
    const forgotten = await again(10); // least recently seen: forgotten
    assert.equal(forgotten.first, true);
    assert.equal(forgotten.forgotten, true, 'the caller is told to check its own record');
    // Another group forgot nothing: a new member there is simply new.
    assert.deepEqual(await state.sight('b', ids[0]!, at, SESSION_TTL_MS, 0), {
      first: true,
      present: 1,
      last: undefined,
    });
    // A day after the forgotten ones were last seen, nothing is in doubt any more.
    const later = await state.sight(
      'a',
      sessionId(),
      second(300 + 149) + SESSION_TTL_MS + 1,
      SESSION_TTL_MS,
      0,
    );
    assert.equal(later.forgotten, undefined);
  });
});

describeEngines('visits past the memory ceiling', (engineKind) => {
  let engine: TestEngine;
  let storage: Storage;
  let site: SiteRecord;
  before(async () => {
    engine = await engineKind.create();
    storage = await engine.open();
    await seedTestSite(storage);
    site = (await storage.getSite('t1'))!;
  });
  after(async () => {
    await storage?.close();
    await engine?.drop();
  });

  /** 300 new sessions, 10 ms apart, counted by a counter that remembers 100 of them. */
  async function pastTheCeiling() {
    const clock = { now: Date.now() };
    const log = { error: () => {} };
    const counter = new VisitCounter(storage, 1000, log, new MemoryState(100), () => clock.now);
    const ids = Array.from({ length: 300 }, sessionId);
    for (const id of ids) {
      assert.equal((await counter.record(site, id, true)).counted, true);
      clock.now += 10;
    }
    return { clock, counter, ids };
  }

  it('counts a forgotten session once: the database remembers it', async () => {
    const { clock, counter, ids } = await pastTheCeiling();
    await counter.flush();
    const total = (await counter.stats(site)).total;

    // The first 100 were forgotten in memory; they come back within the day: not counted again.
    clock.now += 60_000;
    for (const id of ids.slice(0, 100))
      assert.equal((await counter.record(site, id, true)).counted, false, `session ${id}`);
    for (let i = 0; i < 10; i++)
      assert.equal((await counter.record(site, sessionId(), true)).counted, true, 'a new one');
    await counter.close();
    assert.equal((await counter.stats(site)).total, total + 10);
  });

  it('counts a session forgotten before its flush once: the flush rows remember it', async () => {
    const { counter, ids } = await pastTheCeiling();
    // Not flushed: the database knows none of them yet.
    assert.equal(await storage.sessionSeenSince(site.id, ids[0]!, new Date(0)), false);
    for (const id of ids.slice(0, 100))
      assert.equal((await counter.record(site, id, true)).counted, false, `session ${id}`);
    const total = (await counter.stats(site)).total;
    await counter.close();
    assert.equal((await counter.stats(site)).total, total);
  });

  it("writes a session's time once per second it is seen in: never a second behind", async () => {
    const t0 = Math.floor(Date.now() / 1000) * 1000;
    let clock = t0 + 100;
    const log = { error: () => {} };
    const counter = new VisitCounter(storage, 1000, log, new MemoryState(), () => clock);
    const id = sessionId();
    const stored = async () => {
      await counter.flush();
      for (const at of [t0 + 100, t0 + 900, t0 + 1200, t0 + 1900])
        if (!(await storage.sessionSeenSince(site.id, id, new Date(at + 1)))) return at;
      return undefined;
    };
    await counter.record(site, id, true);
    assert.equal(await stored(), t0 + 100);
    // Seen again within the same second (on every request, say): nothing more to write.
    clock = t0 + 900;
    await counter.record(site, id, true);
    assert.equal(await stored(), t0 + 100);
    // The next second: written again, with the time it was seen.
    clock = t0 + 1200;
    await counter.record(site, id, true);
    clock = t0 + 1900;
    await counter.record(site, id, true);
    assert.equal(await stored(), t0 + 1200);
    await counter.close();
  });

  it('knows after a restart who is online: the sessions of the last five minutes, not counted again', async () => {
    await storage.createSite({ id: 'restart', name: 'restart', origins: [], timeZone: 'UTC' });
    const here = (await storage.getSite('restart'))!;
    let clock = Date.now() + 3 * SESSION_TTL_MS;
    const log = { error: () => {} };
    const early = Array.from({ length: 5 }, sessionId);
    const late = Array.from({ length: 7 }, sessionId);
    const first = new VisitCounter(storage, 1000, log, new MemoryState(), () => clock);
    await first.start();
    for (const id of early) await first.record(here, id, true);
    clock += 2 * 60_000;
    for (const id of late) await first.record(here, id, true);
    assert.equal((await first.stats(here)).online, 12);
    await first.close();
    const { total } = await first.stats(here);

    // Four minutes later, a new process: the early ones were seen six minutes ago.
    clock += 4 * 60_000;
    const second = new VisitCounter(storage, 1000, log, new MemoryState(), () => clock);
    await second.start();
    try {
      assert.equal((await second.stats(here)).online, 7);
      const again = await second.record(here, late[0]!, true);
      assert.deepEqual([again.counted, again.online], [false, 7]);
      const back = await second.record(here, early[0]!, true);
      assert.deepEqual([back.counted, back.online], [false, 8]);
      assert.equal((await second.record(here, sessionId(), true)).online, 9);
      assert.equal((await second.stats(here)).total, total + 1);
    } finally {
      await second.close();
    }
  });

  it('after a restart past the memory ceiling, keeps the most recent sessions and asks the database about the rest', async () => {
    // Days after every other test's sessions: only these 300 are within the day at the restart.
    let clock = Date.now() + 6 * SESSION_TTL_MS;
    const log = { error: () => {} };
    const ids = Array.from({ length: 300 }, sessionId);
    const first = new VisitCounter(storage, 1000, log, new MemoryState(), () => clock);
    await first.start();
    for (const id of ids) {
      await first.record(site, id, true);
      clock += 1_000;
    }
    await first.close();
    const { total } = await first.stats(site);

    // A process that holds 256 sessions reads 300 back (in key order, not by time).
    let lookups = 0;
    const counted: Storage = Object.create(storage);
    counted.sessionSeenSince = (...args) => {
      lookups++;
      return storage.sessionSeenSince(...args);
    };
    const state = new MemoryState(256);
    const second = new VisitCounter(counted, 1000, log, state, () => clock);
    await second.start();
    try {
      assert.ok(state.remembered <= 256, `${state.remembered} remembered`);
      // The most recent are known without a lookup; the oldest are asked of the database.
      for (const id of ids.slice(-200))
        assert.equal((await second.record(site, id, true)).counted, false, `session ${id}`);
      assert.equal(lookups, 0, 'the most recent 200 were in memory');
      for (const id of ids.slice(0, 20))
        assert.equal((await second.record(site, id, true)).counted, false, `session ${id}`);
      assert.ok(lookups > 0, 'the oldest were looked up');
      assert.equal((await second.record(site, sessionId(), true)).counted, true);
      assert.equal((await second.stats(site)).total, total + 1);
    } finally {
      await second.close();
    }
  });

  it('counts a returning session once across a restart, from the sessions it reads back', async () => {
    let clock = Date.now();
    const log = { error: () => {} };
    const ids = Array.from({ length: 20 }, sessionId);
    const first = new VisitCounter(storage, 1000, log, new MemoryState(), () => clock);
    await first.start();
    for (const id of ids) assert.equal((await first.record(site, id, true)).counted, true);
    await first.close();
    const total = (await first.stats(site)).total;

    // A new process reads the day's sessions back: the same sessions an hour later, and ten new
    // ones, are told apart without asking the database about any of them.
    clock += 60 * 60_000;
    let lookups = 0;
    const counted: Storage = Object.create(storage);
    counted.sessionSeenSince = (...args) => {
      lookups++;
      return storage.sessionSeenSince(...args);
    };
    const lines: unknown[] = [];
    const told = { ...log, info: (obj: unknown, msg?: string) => lines.push([msg, obj]) };
    const second = new VisitCounter(counted, 1000, told, new MemoryState(), () => clock);
    await second.start();
    // The log says how many were read back (this test's 20 and the earlier tests' of the day).
    const [[msg, figures]] = lines as [[string, { sessions: number; remembered: number }]];
    assert.equal(msg, 'visit sessions of the last day read back');
    assert.ok(
      figures.sessions >= 20 && figures.remembered === figures.sessions,
      JSON.stringify(figures),
    );
    for (const id of ids)
      assert.equal((await second.record(site, id, true)).counted, false, `session ${id}`);
    for (let i = 0; i < 10; i++)
      assert.equal((await second.record(site, sessionId(), true)).counted, true, 'a new one');
    assert.equal(lookups, 0, 'no session was looked up in the database');
    await second.close();
    assert.equal((await second.stats(site)).total, total + 10);

    // A day after the last stored session, a new process has nothing in doubt: no lookups.
    clock += SESSION_TTL_MS + 60_000;
    const state = new MemoryState();
    const third = new VisitCounter(storage, 1000, log, state, () => clock);
    await third.start();
    assert.equal(
      (await state.sight(site.id, sessionId(), clock, SESSION_TTL_MS, 0)).forgotten,
      undefined,
    );
    await third.close();
  });
});
