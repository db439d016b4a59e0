/**
 * The in-process state keeps sessions as 128-bit keys in typed-array tables (core/member-table.ts):
 * each key must stand for exactly one session, the tables must hold every member through their
 * growth, and the sweep must let go of the expired ones a few tables at a time.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { keyOf, MemberTable } from '../../src/server/core/member-table.js';
import { MemoryState } from '../../src/server/core/shared-state.js';

const DAY = 24 * 60 * 60 * 1000;
const t0 = Date.UTC(2026, 11, 2);

describe('remembered members: keys and tables', () => {
  it('tells apart UUIDs that differ in any one digit', () => {
    const state = new MemoryState();
    const base = '0189f3a2-7c4d-7e10-a2b3-c4d5e6f70812';
    assert.equal(state.sightNow('s', base, t0, DAY).first, true);
    let n = 1;
    for (let i = 0; i < base.length; i++) {
      if (base[i] === '-') continue;
      for (const digit of '0123456789abcdef') {
        if (digit === base[i]) continue;
        const other = base.slice(0, i) + digit + base.slice(i + 1);
        assert.equal(state.sightNow('s', other, t0, DAY).first, true, other);
        n++;
      }
    }
    assert.equal(n, 1 + 32 * 15);
    assert.equal(state.remembered, n);
    // Each is remembered as itself.
    assert.equal(state.sightNow('s', base, t0 + 1, DAY).first, false);
    assert.equal(state.sightNow('s', `f${base.slice(1)}`, t0 + 1, DAY).first, false);
    assert.equal(state.remembered, n);
  });

  it('keeps strings that are not lower-case UUIDs apart from the UUIDs they resemble', () => {
    const state = new MemoryState();
    const id = '0189f3a2-7c4d-7e10-a2b3-c4d5e6f70812';
    const lookalikes = [
      id.toUpperCase(), // another string, as Redis keeps it
      id.replace('a', '\u0161'), // š: its low 7 bits are an 'a'
      id.replace('a', '\u00e1'),
      id.replace('-', '0'),
      `${id} `,
      id.slice(0, 35),
      'a',
      '',
    ];
    assert.equal(state.sightNow('s', id, t0, DAY).first, true);
    for (const other of lookalikes)
      assert.equal(state.sightNow('s', other, t0, DAY).first, true, JSON.stringify(other));
    for (const other of [id, ...lookalikes])
      assert.equal(state.sightNow('s', other, t0 + 1, DAY).first, false, JSON.stringify(other));
    assert.equal(state.remembered, 1 + lookalikes.length);
  });

  it('holds every member through the growth of its tables, with its time', () => {
    const state = new MemoryState();
    const ids = Array.from({ length: 20_000 }, () => randomUUID());
    ids.forEach((id, i) => assert.equal(state.sightNow('s', id, t0 + i, DAY).first, true));
    assert.equal(state.remembered, ids.length);
    ids.forEach((id, i) => {
      const seen = state.sightNow('s', id, t0 + 30_000, DAY);
      assert.deepEqual([seen.first, seen.last], [false, t0 + i], id);
    });
    assert.equal(state.remembered, ids.length);
  });

  it('sweeps expired members a few tables a call, and keeps the rest', () => {
    const state = new MemoryState(10_000_000, 100, 60_000);
    const ttl = 5_000;
    const old = Array.from({ length: 150_000 }, () => randomUUID());
    for (const id of old) state.sightNow('old', id, t0, ttl);
    // Another group with a day's TTL: none of its members expires.
    const kept = Array.from({ length: 1_000 }, () => randomUUID());
    for (const id of kept) state.sightNow('kept', id, t0, DAY);
    assert.equal(state.presentNow('old', t0), 150_000);

    // A minute on, the first sighting starts the sweep: 150,000 members in 64 tables of 4,096
    // slots are more than one call walks.
    const later = t0 + 61_000;
    state.sightNow('new', randomUUID(), later, DAY);
    const afterOne = state.remembered;
    assert.ok(afterOne > 1_001 && afterOne < 151_001, `${afterOne} left after one call`);
    let calls = 1;
    while (state.remembered > 1_000 + calls && calls < 64)
      state.sightNow('new', randomUUID(), later + calls++, DAY);
    assert.equal(state.remembered, 1_000 + calls, `all expired gone after ${calls} calls`);
    assert.ok(calls > 1 && calls <= 8, `${calls} calls`);
    // The presence of the swept members went with them; the kept ones are all still there.
    assert.equal(state.presentNow('old', t0), 0);
    for (const id of kept) assert.equal(state.sightNow('kept', id, later + 100, DAY).first, false);
  });

  it('at the ceiling, forgets whole seconds of the least recently seen, then part of one', () => {
    const ceiling = 6_400; // a 64th is 100
    const state = new MemoryState(ceiling);
    const ttl = 3 * DAY;
    // Clusters of 30 sessions seen in the same second, a minute apart: the ceiling takes whole
    // seconds, then part of the one that makes the 64th.
    const clusters: string[][] = [];
    for (let c = 0, full = false; !full; c++) {
      const ids = Array.from({ length: 30 }, () => randomUUID());
      clusters.push(ids);
      let i = 0;
      for (const id of ids) {
        const before = state.remembered;
        state.sightNow('s', id, t0 + c * 60_000 + (i++ % 900), ttl);
        if ((full = state.remembered <= before)) break;
      }
    }
    assert.equal(state.remembered, ceiling - 100 + 1, 'a 64th went, the new one came');
    const now = t0 + clusters.length * 60_000;
    const status = (ids: string[]) =>
      ids.map((id) => {
        const seen = state.sightNow('s', id, now, ttl);
        return seen.first ? (seen.forgotten ? 'forgotten' : 'new') : 'kept';
      });
    // Clusters 0–2 (90) went whole; of cluster 3, the 10 that made the 100.
    assert.deepEqual(new Set(status(clusters[0]!)), new Set(['forgotten']));
    const third = status(clusters[3]!);
    assert.equal(third.filter((s) => s === 'forgotten').length, 10, third.join());
    assert.equal(third.filter((s) => s === 'kept').length, 20);
    assert.deepEqual(new Set(status(clusters[4]!)), new Set(['kept']));
  });

  it('keeps its count by second through sightings again and sweeps: the ceiling still takes the least recent', () => {
    const state = new MemoryState(100);
    const ids = (n: number) => Array.from({ length: n }, () => randomUUID());
    // 40 sessions of a site with a TTL of 5 s (swept a minute on), 40 of another seen at t0 and
    // again 200 s later, 40 one second apart from t0 + 61 s (the first of them starts the sweep).
    const brief = ids(40);
    for (const id of brief) state.sightNow('brief', id, t0, 5_000);
    const again = ids(40);
    for (const id of again) state.sightNow('s', id, t0, DAY);
    const later = ids(40);
    later.forEach((id, i) => state.sightNow('s', id, t0 + 61_000 + i * 1000, DAY));
    for (const id of again) state.sightNow('s', id, t0 + 200_000, DAY);
    assert.equal(state.remembered, 80, 'the brief ones were swept');
    // Up to the ceiling and one past it: the two least recently seen now are later's first two
    // (nobody is left in t0's second).
    ids(21).forEach((id, i) => {
      state.sightNow('s', id, t0 + 300_000 + i * 1000, DAY);
      assert.ok(state.remembered <= 100, `${state.remembered} remembered`);
    });
    assert.equal(state.remembered, 99);
    const now = t0 + 400_000;
    assert.equal(state.sightNow('s', later[2]!, now, DAY).first, false);
    assert.equal(state.sightNow('s', again[0]!, now, DAY).first, false);
    assert.equal(state.sightNow('s', later[1]!, now, DAY).forgotten, true);
  });

  it('lets go of members in the middle of their runs and still finds every other one, with its time', () => {
    const table = new MemberTable();
    const ids = Array.from({ length: 5_000 }, () => randomUUID());
    // Odd ones seen at time 0..: they go; even ones at 10 000 + i: they stay.
    const timeOf = (i: number) => (i % 2 ? i : 10_000 + i);
    for (const [i, id] of ids.entries()) {
      const hash = keyOf(id);
      const slot = table.find(hash);
      assert.ok(slot < 0, 'new');
      table.add(hash, ~slot, timeOf(i));
    }
    const slots = table.slots;
    const gone: number[] = [];
    assert.equal(
      table.prune(10_000, (at) => gone.push(at)),
      0,
    );
    assert.deepEqual(
      gone.sort((a, b) => a - b),
      ids.map((_, i) => i).filter((i) => i % 2),
    );
    assert.equal(table.size, 2_500);
    assert.equal(table.slots, slots, 'still over 0.3 full: not rebuilt');
    assert.ok((24 * table.slots) / table.size <= 80, 'at most 80 bytes a member');
    const check = (kept: (i: number) => boolean) =>
      ids.forEach((id, i) => {
        const slot = table.find(keyOf(id));
        if (kept(i)) assert.equal(slot >= 0 && table.lastSeen(slot), timeOf(i), `${i} kept`);
        else assert.ok(slot < 0, `${i} gone`);
      });
    check((i) => i % 2 === 0);
    // Then all but the last 100: the table is rebuilt smaller, and still finds them.
    assert.equal(
      table.prune(10_000 + 4_800, () => {}),
      0,
    );
    assert.equal(table.size, 100);
    assert.ok(table.slots < slots / 8, `${table.slots} slots for 100`);
    check((i) => i % 2 === 0 && i >= 4_800);
  });

  it('goes on with a sweep where it was when calls come more than a minute apart (a quiet server)', () => {
    const state = new MemoryState(10_000_000);
    // 75,000 sessions a day old, then 75,000 from half an hour ago: 150,000 in 64 tables of
    // 4,096 slots, more than a call walks.
    const old = Array.from({ length: 75_000 }, () => randomUUID());
    for (const id of old) state.sightNow('big', id, t0, DAY);
    const recent = Array.from({ length: 75_000 }, () => randomUUID());
    for (const id of recent) state.sightNow('big', id, t0 + DAY - 1_800_000, DAY);
    // Then one request a minute: each would start a new sweep if the one under way did not go on.
    let calls = 0;
    while (state.remembered > 75_000 + calls && calls < 20)
      state.sightNow('quiet', randomUUID(), t0 + DAY + 61_000 * ++calls, DAY);
    assert.equal(state.remembered, 75_000 + calls, `the old ones gone after ${calls} calls`);
    assert.ok(calls > 1, `${calls} calls`);
    assert.equal(
      state.sightNow('big', recent[0]!, t0 + DAY + 61_000 * (calls + 1), DAY).first,
      false,
    );
  });

  it('hashes with a seed of its own in each process: ids a client picks cannot be aimed at one slot', () => {
    const hashIn = () =>
      execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          "import { keyOf } from './src/server/core/member-table.ts'; console.log(keyOf('0189f3a2-7c4d-7e10-a2b3-c4d5e6f70812'))",
        ],
        { encoding: 'utf8' },
      ).trim();
    const [a, b] = [hashIn(), hashIn()];
    assert.match(a, /^\d+$/);
    assert.notEqual(a, b, 'the same id hashes differently in two processes');
    // Within a process it is the same every time (the tables depend on it).
    const id = randomUUID();
    assert.equal(keyOf(id), keyOf(id));
  });
});
