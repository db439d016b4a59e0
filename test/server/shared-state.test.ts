/**
 * The shared state (core/shared-state.ts) in this process and in a real Redis, and the change
 * channel (core/changes.ts) in this process, over real Redis pub/sub and over real PostgreSQL
 * LISTEN/NOTIFY between two instances.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ACK_TIMEOUT_MS,
  EVERYTHING,
  LocalChanges,
  PostgresChanges,
  RedisChanges,
  type Change,
  type ChangeBus,
} from '../../src/server/core/changes.js';
import { MemoryState, RedisState, type SharedState } from '../../src/server/core/shared-state.js';
import { loadConfig } from '../../src/server/config.js';
import type { Storage } from '../../src/server/db/storage.js';
import { POSTGRES, type TestEngine } from '../helpers/engines.js';
import {
  dropPrefix,
  keysUnder,
  REDIS_SKIP,
  REDIS_URL,
  redisClient,
  testPrefix,
  warnRedisSkipped,
} from '../helpers/redis.js';

const DAY = 24 * 60 * 60 * 1000;
const FIVE_MIN = 5 * 60 * 1000;

/** The contract both implementations keep. */
function sharedStateContract(
  name: string,
  open: () => Promise<SharedState>,
  skip: string | false,
  cleanup = async () => {},
) {
  describe(`shared state: ${name}`, { skip }, () => {
    let state: SharedState;
    before(async () => (state = await open()));
    after(async () => {
      await state?.close();
      await cleanup();
    });

    it('sees a member first once, until its TTL passes without a sighting', async () => {
      const t0 = Date.now();
      const group = `g${Math.random()}`;
      assert.equal((await state.sight(group, 'a', t0, DAY, t0 - FIVE_MIN)).first, true);
      assert.equal((await state.sight(group, 'a', t0 + 1, DAY, t0 - FIVE_MIN)).first, false);
      assert.equal((await state.sight(group, 'b', t0 + 2, DAY, t0 - FIVE_MIN)).first, true);
      assert.equal(
        (await state.sight(`${group}x`, 'a', t0 + 3, DAY, t0 - FIVE_MIN)).first,
        true,
        'groups are apart',
      );
    });

    it('of 200 concurrent sightings of one new member, exactly one is first', async () => {
      const t0 = Date.now();
      const group = `g${Math.random()}`;
      const seen = await Promise.all(
        Array.from({ length: 200 }, () => state.sight(group, 'm', t0, DAY, t0 - FIVE_MIN)),
      );
      assert.equal(seen.filter((s) => s.first).length, 1);
    });

    it('counts the members seen within the presence window, each once', async () => {
      const t0 = Math.floor(Date.now() / 1000) * 1000;
      const group = `g${Math.random()}`;
      const since = (t: number) => t - FIVE_MIN;
      const sight = async (member: string, t: number) =>
        (await state.sight(group, member, t, DAY, since(t))).present;
      assert.equal(await sight('a', t0), 1);
      assert.equal(await sight('b', t0 + 10_000), 2);
      assert.equal(await sight('a', t0 + 60_000), 2, 'a member seen again counts once');
      assert.equal(await state.present(group, since(t0 + 60_000)), 2);
      // Five minutes and a half after the first sightings: b has left, a (seen again) has not.
      const later = t0 + FIVE_MIN + 30_000;
      assert.equal(await state.present(group, since(later)), 1);
      assert.equal(await sight('c', later), 2);
      assert.equal(await state.present(`${group}x`, since(later)), 0, 'groups are apart');
    });

    it('counts hits in a window that starts over', async () => {
      const key = `k${Math.random()}`;
      const t0 = Date.now();
      const counts = await Promise.all(Array.from({ length: 50 }, () => state.hit(key, 300, t0)));
      assert.deepEqual(
        counts.map((c) => c.count).sort((a, b) => a - b),
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      for (const c of counts) assert.ok(c.resetInMs > 0 && c.resetInMs <= 300);
      await sleep(350);
      assert.equal((await state.hit(key, 300, Date.now())).count, 1);
    });

    it('answers ping', async () => {
      await state.ping();
    });
  });
}

sharedStateContract('in this process', async () => new MemoryState(), false);

const prefix = testPrefix();
sharedStateContract(
  'Redis',
  () => RedisState.connect(REDIS_URL!, prefix),
  REDIS_SKIP,
  () => dropPrefix(prefix),
);

describe('sightings in Redis', { skip: REDIS_SKIP }, () => {
  it('go as one script call a turn (at most 256), each answered as if alone', async () => {
    const own = testPrefix();
    const state = await RedisState.connect(REDIS_URL!, own);
    const watcher = redisClient();
    const monitor = await watcher.monitor();
    /** The scripts run on this test's keys, each as the number of its sightings. */
    const calls: number[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (/^eval/i.test(args[0] ?? '') && args.some((a) => a.startsWith(own)))
        calls.push(Number(args[2]) / 2);
    });
    try {
      const t0 = Date.now();
      const groupOf = (i: number) => `g${i % 2}`;
      // 50 members in two groups, each seen twice in the same turn.
      const order = [...Array(50).keys(), ...Array(50).keys()];
      const seen = await Promise.all(
        order.map((i) => state.sight(groupOf(i), `m${i}`, t0, DAY, t0 - FIVE_MIN)),
      );
      assert.deepEqual(
        seen.map((s) => s.first),
        order.map((_, k) => k < 50),
        'the first sighting of each member is its first',
      );
      assert.ok(
        seen.every((s) => s.present === 25),
        'each group counts its 25 members',
      );
      // Alone in its turn: a call of its own.
      const alone = await state.sight('g0', 'late', t0 + 1, DAY, t0 - FIVE_MIN);
      assert.deepEqual(alone, { first: true, present: 26 });
      const many = await Promise.all(
        Array.from({ length: 300 }, (_, i) => state.sight('g2', `n${i}`, t0, DAY, t0 - FIVE_MIN)),
      );
      assert.equal(many.filter((s) => s.first).length, 300);
      assert.equal(many.at(-1)!.present, 300, 'the last call counts every member before it');
      await sleep(200); // MONITOR's lines come after the replies
      assert.deepEqual(calls, [100, 1, 256, 44]);
    } finally {
      monitor.disconnect();
      watcher.disconnect();
      await state.close();
      await dropPrefix(own);
    }
  });
});

describe('shared state: in this process', () => {
  it('forgets a member after its TTL without a sighting', async () => {
    const state = new MemoryState();
    assert.equal((await state.sight('s', 'a', 1_000, 500, 0)).first, true);
    assert.equal((await state.sight('s', 'a', 1_400, 500, 0)).first, false);
    assert.equal((await state.sight('s', 'a', 1_800, 500, 0)).first, false, 'the TTL slides');
    assert.equal((await state.sight('s', 'a', 2_400, 500, 0)).first, true);
  });

  it('presence: a member counts in the second it was last seen; a clock set back counts nobody twice', () => {
    const state = new MemoryState(1000, 100, 10_000);
    const t0 = 1_000_000;
    const sight = (member: string, t: number) => state.sightNow('s', member, t, DAY).present;
    assert.equal(sight('a', t0), 1);
    assert.equal(sight('a', t0 + 999), 1, 'the same second');
    assert.equal(sight('a', t0 + 1_000), 1, 'the next second');
    assert.equal(sight('b', t0 + 5_000), 2);
    // Since a later second than a's: b only.
    assert.equal(state.presentNow('s', t0 + 2_000), 1);
    assert.equal(state.presentNow('s', t0 + 1_999), 2, "since a's second, to the second");
    // The window is 10 s (its 11 seconds): at t0 + 12.5 s, a (last seen at t0 + 1 s) has left it.
    assert.equal(sight('c', t0 + 11_500), 3);
    assert.equal(sight('c', t0 + 12_500), 2);
    assert.equal(state.presentNow('s', t0 + 5_000), 2);
    assert.equal(state.presentNow('s', t0 + 6_000), 1, 'since a later second: c only');
    // The clock goes back 8 s: b and c, seen again, are each still one member.
    assert.equal(sight('b', t0 + 3_500), 2);
    assert.equal(sight('c', t0 + 3_600), 2);
    assert.equal(sight('d', t0 + 3_700), 3);
    // Long after, nobody is online; a member seen then is the only one.
    assert.equal(sight('a', t0 + 60_000), 1);
  });

  it('at the ceiling, a group whose every member was forgotten still keeps the member seen now', () => {
    const state = new MemoryState(128);
    const t0 = 3_000_000;
    // The ceiling goes by the second a member was last seen in: small's member a second before.
    state.sightNow('small', 'old', t0 - 1_000, DAY);
    for (let i = 0; i < 127; i++) state.sightNow('big', `m${i}`, t0 + 10 + i, DAY);
    // Full: the two least recently seen go, small's only member first.
    assert.equal(state.sightNow('small', 'new', t0 + 1_000, DAY).first, true);
    const again = state.sightNow('small', 'new', t0 + 2_000, DAY);
    assert.deepEqual([again.first, again.present], [false, 1]);
  });

  it('presence: members forgotten at the memory ceiling, or after their TTL, leave it', () => {
    const state = new MemoryState(128, 100, 60_000);
    const t0 = 2_000_000;
    // m0 and m1 in the two seconds before the others' (the ceiling goes by the second).
    const seenAt = (i: number) => (i < 2 ? t0 - 2_000 + i * 1_000 : t0 + i * 10);
    for (let i = 0; i < 128; i++) state.sightNow('s', `m${i}`, seenAt(i), DAY);
    assert.equal(state.presentNow('s', t0 - 2_000), 128);
    // One more: a 64th of the ceiling (m0 and m1, the least recently seen) is forgotten first.
    assert.equal(state.sightNow('s', 'new', t0 + 2_000, DAY).present, 127);
    const back = state.sightNow('s', 'm0', t0 + 2_001, DAY);
    assert.deepEqual([back.forgotten, back.present], [true, 128], 'm0 is back, m1 is not');
    assert.equal(state.sightNow('s', 'm2', t0 + 2_002, DAY).present, 128, 'm2 was kept');
    // With a TTL of 5 s, the sweep a minute on forgets everyone it holds.
    const short = new MemoryState(1000, 100, 600_000);
    for (let i = 0; i < 50; i++) short.sightNow('t', `m${i}`, t0 + i, 5_000);
    assert.equal(short.presentNow('t', t0), 50);
    assert.equal(short.sightNow('t', 'late', t0 + 61_000, 5_000).present, 1);
  });

  it('remembers the members an earlier process saw, present in their own second in any order', () => {
    const state = new MemoryState(1000, 100, 60_000);
    const now = 10_000_000;
    // Seen 50 s, 10 s and 30 s ago (in the window), 2 min and 20 h ago (known, not present),
    // 25 h ago (past the TTL), in no particular order.
    const ago = {
      a: 50_000,
      b: 10_000,
      c: 30_000,
      d: 120_000,
      e: 20 * 3_600_000,
      f: 25 * 3_600_000,
    };
    for (const [member, ms] of Object.entries(ago)) state.remember('s', member, now - ms, DAY, now);
    assert.equal(state.remembered, 5, 'f is past its TTL');
    assert.equal(state.presentNow('s', now - 60_000), 3);
    assert.equal(state.presentNow('s', now - 40_000), 2, 'c and b');
    assert.equal(state.presentNow('s', now - 20_000), 1, 'b');
    // Known: not counted again; they (and only they) join the present ones when seen.
    for (const member of ['a', 'd', 'e'])
      assert.equal(state.sightNow('s', member, now + 1_000, DAY).first, false, member);
    assert.equal(state.presentNow('s', now - 60_000), 5);
    assert.equal(state.sightNow('s', 'f', now + 2_000, DAY).first, true, 'f counts again');
    assert.equal(state.presentNow('s', now - 60_000), 6);
    // 31 s on, the window starts 29 s before now: c (30 s before) leaves it, b stays.
    assert.equal(state.sightNow('s', 'g', now + 31_000, DAY).present, 6);
  });

  it('keeps the later time of a member remembered twice, and takes a time ahead of its clock as now', () => {
    const state = new MemoryState(1000, 100, 60_000);
    const now = 10_000_000;
    state.remember('s', 'm', now - 120_000, DAY, now);
    state.remember('s', 'm', now - 5_000, DAY, now);
    state.remember('s', 'm', now - 100_000, DAY, now);
    assert.equal(state.remembered, 1);
    assert.equal(state.presentNow('s', now - 60_000), 1, 'present at its later time');
    assert.equal(state.presentNow('s', now - 4_000), 0);
    // Its day runs from its later time: not counted a day after the first one.
    assert.equal(state.sightNow('s', 'm', now - 120_000 + DAY + 1_000, DAY).first, false);
    // Another machine's clock an hour ahead: present now, for the window only.
    const other = new MemoryState(1000, 100, 60_000);
    other.remember('s', 'ahead', now + 3_600_000, DAY, now);
    assert.equal(other.presentNow('s', now), 1);
    assert.equal(other.sightNow('s', 'x', now + 61_000, DAY).present, 1, 'only x');
    assert.equal(other.sightNow('s', 'ahead', now + 62_000, DAY).first, false);
  });

  it('at the ceiling, remembering lets the least recently seen go as a sighting does', () => {
    const state = new MemoryState(128);
    const now = 50_000_000;
    // 130 members, one a second, the oldest first remembered last.
    for (let i = 129; i >= 0; i--) state.remember('s', `m${i}`, now - (130 - i) * 1_000, DAY, now);
    assert.ok(state.remembered <= 126, `${state.remembered} remembered`);
    // The least recently seen went: seen again they are in doubt (the database is asked).
    const oldest = state.sightNow('s', 'm0', now, DAY);
    assert.deepEqual([oldest.first, oldest.forgotten], [true, true]);
    const latest = state.sightNow('s', 'm129', now, DAY);
    assert.deepEqual([latest.first, latest.forgotten], [false, undefined]);
  });

  it('at its ceiling of counters, forgets ended windows, then single hits, and keeps the count of a client at its limit', () => {
    const state = new MemoryState(1000, 640);
    const t0 = 1_000_000;
    for (let i = 0; i < 20; i++) state.hitNow('limited', 60_000, t0);
    for (let i = 0; i < 100; i++) state.hitNow(`ended-${i}`, 1_000, t0);
    // Thousands of addresses that each ask once, as a script with a block of IPv6 addresses would.
    for (let i = 0; i < 5_000; i++) state.hitNow(`one-${i}`, 60_000, t0 + 2_000 + i);
    const at = t0 + 10_000;
    assert.equal(
      state.hitNow('limited', 60_000, at).count,
      21,
      'the limited client keeps its count',
    );
    // The latest single hits are still counted; the oldest were forgotten to make room.
    assert.equal(state.hitNow('one-4999', 60_000, at).count, 2);
    assert.equal(state.hitNow('one-0', 60_000, at).count, 1);
    // Every ended window went first: it starts over.
    assert.equal(state.hitNow('ended-0', 1_000, at).count, 1);
    // Kept within the ceiling.
    let live = 0;
    for (let i = 0; i < 5_000; i++) if (state.hitNow(`one-${i}`, 60_000, at).count > 1) live++;
    assert.ok(live < 640, `${live} counters kept`);
  });

  it('starts a window over when it ends, in the order windows started', () => {
    const state = new MemoryState(1000, 64);
    state.hitNow('a', 1_000, 0);
    state.hitNow('a', 1_000, 0);
    for (let i = 0; i < 62; i++) state.hitNow(`b-${i}`, 60_000, 10);
    // `a`'s window ended and starts again: it is now the newest, so making room spares it.
    assert.equal(state.hitNow('a', 1_000, 2_000).count, 1);
    state.hitNow('a', 1_000, 2_000);
    state.hitNow('c', 60_000, 2_001); // the 64th counter
    state.hitNow('d', 60_000, 2_001); // past the ceiling: the oldest single hit goes
    assert.equal(state.hitNow('a', 1_000, 2_002).count, 3);
    assert.equal(
      state.hitNow('b-0', 60_000, 2_003).count,
      1,
      'the oldest single hit was forgotten',
    );
    assert.equal(state.hitNow('b-61', 60_000, 2_004).count, 2);
  });
});

describe('shared state: Redis', { skip: REDIS_SKIP }, () => {
  const prefix = testPrefix();
  let a: RedisState;
  let b: RedisState;
  before(async () => {
    a = await RedisState.connect(REDIS_URL!, prefix);
    b = await RedisState.connect(REDIS_URL!, prefix);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await dropPrefix(prefix);
  });

  it('is one state for two clients: dedupe, presence and hits', async () => {
    const now = Date.now();
    assert.equal((await a.sight('site', 'x', now, DAY, now - FIVE_MIN)).first, true);
    assert.equal((await b.sight('site', 'x', now, DAY, now - FIVE_MIN)).first, false);
    const y = await b.sight('site', 'y', now, DAY, now - FIVE_MIN);
    assert.deepEqual(y, { first: true, present: 2 });
    assert.equal(await a.present('site', now - FIVE_MIN), 2);
    assert.equal((await a.hit('h', 60_000, now)).count, 1);
    assert.equal((await b.hit('h', 60_000, now)).count, 2);
  });

  it('goes on when Redis has forgotten its scripts (a restart, SCRIPT FLUSH)', async () => {
    const now = Date.now();
    assert.equal((await a.sight('flush', 'x', now, DAY, now - FIVE_MIN)).first, true);
    assert.equal((await a.hit('flush-hits', 60_000, now)).count, 1);
    const redis = redisClient();
    try {
      await redis.script('FLUSH');
      assert.deepEqual(await a.sight('flush', 'x', now, DAY, now - FIVE_MIN), {
        first: false,
        present: 1,
      });
      assert.deepEqual(await a.sight('flush', 'y', now, DAY, now - FIVE_MIN), {
        first: true,
        present: 2,
      });
      await redis.script('FLUSH');
      const hit = await a.hit('flush-hits', 60_000, now);
      assert.equal(hit.count, 2);
      // The window's end was set by its first hit, not moved by the second.
      assert.ok(hit.resetInMs > 0 && hit.resetInMs <= 60_000, `reset in ${hit.resetInMs}`);
      assert.ok((await redis.pttl(`${prefix}hits:flush-hits`)) <= 60_000);
    } finally {
      redis.disconnect();
    }
  });

  it('counts as present only members seen since the window start, and expires its keys', async () => {
    const now = Date.now();
    await a.sight('p', 'old', now - 10 * 60_000, DAY, now - 15 * 60_000);
    await a.sight('p', 'new', now, DAY, now - FIVE_MIN);
    assert.equal(await a.present('p', now - FIVE_MIN), 1);
    const redis = redisClient();
    try {
      const seenTtl = await redis.pttl(`${prefix}seen:p:new`);
      assert.ok(seenTtl > DAY - 60_000 && seenTtl <= DAY, `seen TTL ${seenTtl}`);
      const presenceTtl = await redis.pttl(`${prefix}present:p`);
      assert.ok(presenceTtl > 0 && presenceTtl <= FIVE_MIN + 60_000, `presence TTL ${presenceTtl}`);
      assert.deepEqual(await redis.zrange(`${prefix}present:p`, 0, -1), ['new']);
      const keys = await keysUnder(redis, prefix);
      assert.ok(keys.every((k) => k.startsWith(prefix)));
    } finally {
      redis.disconnect();
    }
  });

  it('refuses to start without Redis, naming host and port but never the password', async () => {
    await assert.rejects(
      RedisState.connect('redis://:s3cret-pass@127.0.0.1:1', prefix),
      (err: Error) =>
        /Cannot connect to Redis at 127\.0\.0\.1:1/.test(err.message) &&
        !err.message.includes('s3cret'),
    );
  });
});

describe('configuration: REDIS_URL and REDIS_PREFIX', () => {
  it('reads them, with civic: as the default prefix', () => {
    assert.equal(loadConfig({}).redisUrl, undefined);
    assert.equal(loadConfig({}).redisPrefix, 'civic:');
    const c = loadConfig({ REDIS_URL: 'redis://:pw@10.0.0.9:6380/2', REDIS_PREFIX: 'tinh-a:' });
    assert.equal(c.redisUrl, 'redis://:pw@10.0.0.9:6380/2');
    assert.equal(c.redisPrefix, 'tinh-a:');
  });
  it('refuses a bad URL without echoing it, and a bad prefix', () => {
    assert.throws(
      () => loadConfig({ REDIS_URL: 'http://:topsecret@x' }),
      (err: Error) =>
        /REDIS_URL must look like/.test(err.message) && !err.message.includes('topsecret'),
    );
    assert.throws(() => loadConfig({ REDIS_PREFIX: 'a b*' }), /REDIS_PREFIX/);
  });
});

/** Collects the changes a bus delivers. */
function recorder(bus: ChangeBus) {
  const seen: Change[] = [];
  bus.subscribe((c) => seen.push(c));
  return seen;
}

async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('change channel: in this process', () => {
  it('runs every listener before changed() returns; a throwing one does not stop the others', async () => {
    const errors: unknown[] = [];
    const bus = new LocalChanges({ warn: () => {}, error: (e) => errors.push(e) });
    bus.subscribe(() => {
      throw new Error('listener bug');
    });
    const seen = recorder(bus);
    const pending = bus.changed('t1', 'poll', 'p1');
    assert.deepEqual(seen, [{ site: 't1', kind: 'poll', id: 'p1' }], 'delivered synchronously');
    await pending;
    assert.equal(errors.length, 1);
    const stop = bus.subscribe(() => assert.fail('removed listener called'));
    stop();
    await bus.changed('t1', 'list', 'l');
    assert.equal(seen.length, 2);
    await bus.close();
  });
});

/**
 * Two instances' buses: each hears the other once, and itself once (at once). `answered`: the
 * other has run its listeners when `changed()` resolves.
 */
function crossInstance(open: () => Promise<ChangeBus>, answered: boolean) {
  return async () => {
    const one = await open();
    const two = await open();
    try {
      const heardOne = recorder(one);
      const heardTwo = recorder(two);
      await one.changed('t1', 'poll', 'p1');
      assert.deepEqual(heardOne, [{ site: 't1', kind: 'poll', id: 'p1' }]);
      if (answered) assert.equal(heardTwo.length, 1, 'heard before changed() resolved');
      await until(() => heardTwo.length === 1, 'the other instance');
      assert.deepEqual(heardTwo, [{ site: 't1', kind: 'poll', id: 'p1' }]);
      const thread = '/tin-tức/1?"x"';
      await two.changed('t1', 'comments', thread);
      await until(() => heardOne.length === 2, 'the first instance');
      assert.deepEqual(heardOne[1], { site: 't1', kind: 'comments', id: thread });
      await sleep(50);
      assert.equal(heardOne.length, 2, 'no echo of its own notice');
      assert.equal(heardTwo.length, 2);
    } finally {
      await one.close();
      await two.close();
    }
  };
}

describe('change channel: Redis pub/sub', { skip: REDIS_SKIP }, () => {
  const prefix = testPrefix();
  const states: RedisState[] = [];
  const open = async () => {
    const state = await RedisState.connect(REDIS_URL!, prefix);
    states.push(state);
    return RedisChanges.open(state.redis, prefix);
  };
  after(async () => {
    for (const s of states) await s.close();
    await dropPrefix(prefix);
  });

  it(
    'reaches the other instance once, before changed() resolves; never echoes',
    crossInstance(open, true),
  );

  it('waits for every other instance, and no longer than the timeout for a silent one', async () => {
    const one = await open();
    const twos = [await open(), await open()];
    const heard = twos.map(recorder);
    // A subscriber that never answers (an instance whose event loop is stuck).
    const silent = redisClient();
    await silent.subscribe(`${prefix}changes`);
    try {
      const started = Date.now();
      await one.changed('t1', 'list', 'l1');
      const took = Date.now() - started;
      assert.deepEqual(
        heard.map((h) => h.length),
        [1, 1],
      );
      assert.ok(took >= ACK_TIMEOUT_MS - 5 && took < ACK_TIMEOUT_MS + 1_000, `took ${took} ms`);
      await silent.unsubscribe();
      const again = Date.now();
      await one.changed('t1', 'list', 'l2');
      assert.ok(Date.now() - again < ACK_TIMEOUT_MS, 'answered by all: no wait for the timeout');
      assert.deepEqual(
        heard.map((h) => h.length),
        [2, 2],
      );
    } finally {
      silent.disconnect();
      await one.close();
      for (const t of twos) await t.close();
    }
  });

  it('keeps channels of other prefixes apart', async () => {
    const other = testPrefix();
    const state = await RedisState.connect(REDIS_URL!, other);
    states.push(state);
    const mine = await open();
    const theirs = await RedisChanges.open(state.redis, other);
    try {
      const heard = recorder(theirs);
      await mine.changed('t1', 'poll', 'p');
      await sleep(100);
      assert.deepEqual(heard, []);
    } finally {
      await mine.close();
      await theirs.close();
    }
  });

  it('tells its listeners to drop everything after its connection comes back', async () => {
    const bus = await open();
    const heard = recorder(bus);
    const admin = redisClient();
    try {
      // Kill this bus's listening connection (named after the prefix) on the Redis side.
      const clients = (await admin.client('LIST')) as string;
      const ids = clients
        .split('\n')
        .filter((l) => l.includes(` name=${prefix}changes `))
        .map((l) => /\bid=(\d+)/.exec(l)![1]!);
      assert.equal(ids.length, 1, 'one listening connection of this prefix');
      await admin.client('KILL', 'ID', ids[0]!);
      await until(() => heard.some((c) => c.site === '*'), 'the gap notice');
      assert.deepEqual(heard.at(-1), EVERYTHING);
      // And it hears notices again (published until the resubscription has reached Redis).
      const other = await open();
      const deadline = Date.now() + 5_000;
      while (!heard.some((c) => c.id === 'after') && Date.now() < deadline) {
        await other.changed('t1', 'poll', 'after');
        await sleep(20);
      }
      assert.ok(
        heard.some((c) => c.id === 'after'),
        'a notice after the gap',
      );
      await other.close();
    } finally {
      admin.disconnect();
      await bus.close();
    }
  });
});

describe('change channel: PostgreSQL LISTEN/NOTIFY', { skip: POSTGRES.skip }, () => {
  let engine: TestEngine;
  const storages: Storage[] = [];
  before(async () => (engine = await POSTGRES.create()));
  after(async () => {
    for (const s of storages) await s.close();
    await engine?.drop();
  });
  const open = async () => {
    const storage = await engine.open();
    storages.push(storage);
    return PostgresChanges.open(engine.env.DATABASE_URL!, storage.db);
  };

  it('reaches the other instance once, never echoes', crossInstance(open, false));

  it("runs only this instance's listeners for a change whose notice the write's commit sent", async () => {
    const mine = await open();
    const theirs = await open();
    const here = recorder(mine);
    const there = recorder(theirs);
    try {
      await mine.changed('t1', 'poll', 'sent', true);
      assert.deepEqual(here, [{ site: 't1', kind: 'poll', id: 'sent' }]);
      // A change after it, as a fence: notices arrive in the order they were sent.
      await mine.changed('t1', 'poll', 'after');
      await until(() => there.some((c) => c.id === 'after'), 'the later notice');
      assert.deepEqual(
        there.map((c) => c.id),
        ['after'],
        'no second notice of the change',
      );
    } finally {
      await mine.close();
      await theirs.close();
    }
  });

  it('tells its listeners to drop everything after its connection comes back', async () => {
    const bus = await open();
    const heard = recorder(bus);
    const [storage] = storages;
    const { sql } = await import('kysely');
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`.execute(
      storage!.db,
    );
    await until(() => heard.some((c) => c.site === '*'), 'the gap notice');
    const other = await open();
    await other.changed('t1', 'poll', 'after');
    await until(() => heard.some((c) => c.id === 'after'), 'a notice after the gap');
    await other.close();
    await bus.close();
  });
});

warnRedisSkipped();
