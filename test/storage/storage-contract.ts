import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SessionRows, Storage, VisitIncrement } from '../../src/server/db/storage.js';
import { storedSessions } from '../helpers/app.js';

/** The storage's flat session rows of sessions each seen at `lastSeen`. */
const sessionRows = (
  seen: readonly { site: string; session: string; lastSeen: Date }[],
): SessionRows => seen.flatMap((s) => [s.site, s.session, s.lastSeen.getTime()]);

const T = Date.UTC(2024, 5, 1, 12);
/** `minutes` after 2024-06-01T12:00Z. Only the pruning test uses times before 2024. */
const at = (minutes: number) => new Date(T + minutes * 60_000);
/** Stored figures as `visitTotals` returns them. */
const figures = (stored: number, today: number, month: number) => ({ stored, today, month });
const ZERO = figures(0, 0, 0);

/**
 * Registers the suite every `Storage` adapter must pass. `open` must return a migrated storage
 * over an empty database (it is called again for the ping/close test; a second call may or may
 * not see the same data); `cleanup` runs after the suite has closed its storage.
 */
export function storageContract(
  name: string,
  open: () => Promise<Storage>,
  cleanup?: () => Promise<void>,
): void {
  describe(`storage contract: ${name}`, () => {
    let storage: Storage;
    const sites = async (...ids: string[]) => {
      for (const id of ids)
        assert.equal(await storage.createSite({ id, name: id, origins: [] }), true);
    };
    const inc = (site: string, day: string, count = 1): VisitIncrement => ({ site, day, count });
    /** `visitTotals` of `day` and its month. */
    const totals = (site: string, day: string) => storage.visitTotals(site, day, day.slice(0, 7));
    /** `site`'s stored sessions seen since `since`, as [session, last seen (ms)]. */
    const seenSince = async (site: string, since: Date) => {
      const rows = await storedSessions(storage, since);
      const out: [string, number][] = [];
      for (let i = 0; i < rows.length; i += 3)
        if (rows[i] === site) out.push([rows[i + 1] as string, rows[i + 2] as number]);
      return out;
    };

    before(async () => {
      storage = await open();
    });
    after(async () => {
      await storage?.close();
      await cleanup?.();
    });

    test('migrate is idempotent (twice, and concurrently) and keeps data', async () => {
      await sites('mig');
      await storage.migrate();
      await storage.migrate();
      await Promise.all([storage.migrate(), storage.migrate()]);
      assert.equal((await storage.getSite('mig'))?.id, 'mig');
    });

    test('creates, reads, lists and updates sites', async () => {
      const t0 = Date.now();
      const origins = ['https://portal.example.gov.vn', 'http://localhost:8080'];
      assert.equal(await storage.createSite({ id: 'alpha', name: 'Alpha', origins }), true);
      const alpha = await storage.getSite('alpha');
      assert.ok(alpha);
      assert.deepEqual(
        { ...alpha, createdAt: undefined },
        {
          id: 'alpha',
          name: 'Alpha',
          origins,
          legacyOffset: 0,
          timeZone: 'Asia/Ho_Chi_Minh',
          createdAt: undefined,
        },
      );
      assert.ok(alpha.createdAt instanceof Date);
      assert.ok(
        alpha.createdAt.getTime() >= t0 - 1000 && alpha.createdAt.getTime() <= Date.now() + 1000,
      );

      assert.equal(
        await storage.createSite({ id: 'alpha', name: 'Other', origins: [], legacyOffset: 9 }),
        false,
      );
      assert.deepEqual(await storage.getSite('alpha'), alpha);

      const beta = {
        id: 'beta',
        name: 'Beta',
        origins: [],
        legacyOffset: 414428,
        timeZone: 'Europe/Paris',
      };
      assert.equal(await storage.createSite(beta), true);
      const listed = (await storage.listSites()).filter((s) => s.id === 'alpha' || s.id === 'beta');
      assert.deepEqual(
        listed.map((s) => s.id),
        ['alpha', 'beta'],
      );
      assert.deepEqual({ ...listed[1], createdAt: undefined }, { ...beta, createdAt: undefined });

      const changed = {
        id: 'alpha',
        name: 'Alpha 2',
        origins: ['https://new.example'],
        legacyOffset: 12,
        timeZone: 'UTC',
      };
      assert.equal(await storage.updateSite(changed), true);
      assert.deepEqual(await storage.getSite('alpha'), { ...changed, createdAt: alpha.createdAt });
      assert.equal(await storage.updateSite({ id: 'alpha', name: 'Alpha 3', origins: [] }), true);
      const reset = await storage.getSite('alpha');
      assert.deepEqual([reset?.legacyOffset, reset?.timeZone], [0, 'Asia/Ho_Chi_Minh']);

      assert.equal(await storage.updateSite({ id: 'ghost', name: 'Ghost', origins: [] }), false);
      assert.equal(await storage.getSite('ghost'), undefined);
    });

    test('applyVisits adds exactly across batches, sites and days (same key twice in a batch)', async () => {
      await sites('add1', 'add2');
      await storage.applyVisits({
        increments: [
          inc('add1', '2024-06-01', 3),
          inc('add2', '2024-06-01'),
          inc('add1', '2024-06-01', 2),
          inc('add1', '2024-05-31', 4),
        ],
        sessions: [],
      });
      await storage.applyVisits({
        increments: [inc('add1', '2024-06-01', 5), inc('add2', '2024-06-02', 7)],
        sessions: [],
      });
      assert.deepEqual(await totals('add1', '2024-06-01'), figures(14, 10, 10));
      assert.deepEqual(await totals('add2', '2024-06-02'), figures(8, 7, 8));
    });

    test('visitTotals: day, month and stored; sessions do not enter them', async () => {
      await sites('tot', 'tot-other');
      const days = [
        '2023-06-15',
        '2024-05-31',
        '2024-06-01',
        '2024-06-15',
        '2024-06-30',
        '2024-07-01',
      ];
      await storage.applyVisits({
        increments: days.map((day, i) => inc('tot', day, 10 ** i)),
        sessions: sessionRows([
          { site: 'tot', session: 'a', lastSeen: at(-10) },
          { site: 'tot', session: 'b', lastSeen: at(-5) },
          { site: 'tot', session: 'c', lastSeen: at(0) },
          { site: 'tot-other', session: 'd', lastSeen: at(0) },
        ]),
      });
      assert.deepEqual(await totals('tot', '2024-06-15'), figures(111111, 1000, 11100));
      assert.deepEqual(await totals('tot', '2024-05-30'), figures(111111, 0, 10));
      assert.deepEqual(await totals('tot', '2024-07-01'), figures(111111, 100000, 100000));
    });

    test('visitTotalsOf: many sites in one call, from a day on; visitsBefore: the days before it', async () => {
      // More sites than one query takes (100), asked in an order of their own.
      const many = Array.from({ length: 130 }, (_, i) => `many-${String(i).padStart(3, '0')}`);
      await sites(...many);
      const days = ['2024-03-31', '2024-05-01', '2024-05-31', '2024-06-01', '2024-06-15'];
      await storage.applyVisits({
        // Site i has i visits on each day; site 0 has no rows at all.
        increments: many.slice(1).flatMap((site, i) => days.map((day) => inc(site, day, i + 1))),
        sessions: sessionRows(
          many.slice(0, 120).flatMap((site, i) =>
            // Site i has i sessions seen now and one seen before the window.
            [
              ...Array.from({ length: i }, (_, k) => ({ site, session: `s${k}`, lastSeen: at(0) })),
              { site, session: 'old', lastSeen: at(-10) },
            ],
          ),
        ),
      });
      const asked = [...many].reverse();
      const query = { sites: asked, day: '2024-06-15', month: '2024-06' };
      const all = await storage.visitTotalsOf(query);
      const fromMay = await storage.visitTotalsOf({ ...query, from: '2024-05-01' });
      assert.deepEqual([...all.keys()].sort(), [...many].sort(), 'every site asked has an entry');
      assert.equal(fromMay.size, many.length);
      for (const [i, site] of many.entries()) {
        assert.deepEqual(all.get(site), figures(5 * i, i, 2 * i), site);
        assert.deepEqual(fromMay.get(site), figures(4 * i, i, 2 * i), `${site} from May`);
        assert.equal(await storage.visitsBefore(site, '2024-05-01'), i, `${site} before May`);
      }
      assert.equal(await storage.visitsBefore('many-005', '2024-03-31'), 0);
      assert.equal(await storage.visitsBefore('many-005', '2099-01-01'), 25);
      assert.deepEqual(
        await storage.visitTotalsOf({ ...query, sites: [] }),
        new Map(),
        'no sites, no query',
      );
    });

    test('sessions keep the later last_seen', async () => {
      await sites('ses');
      const seen = (session: string, minutes: number) => ({
        site: 'ses',
        session,
        lastSeen: at(minutes),
      });
      const x = async () => seenSince('ses', at(-60));
      await storage.applyVisits({ increments: [], sessions: sessionRows([seen('x', 0)]) });
      await storage.applyVisits({ increments: [], sessions: sessionRows([seen('x', -1)]) });
      assert.deepEqual(await x(), [['x', at(0).getTime()]]);
      await storage.applyVisits({
        increments: [],
        sessions: sessionRows([seen('x', 2), seen('x', 1)]),
      });
      assert.deepEqual(await x(), [['x', at(2).getTime()]]);
      await storage.applyVisits({
        increments: [],
        sessions: sessionRows([seen('x', 4), seen('x', 5), seen('x', 3)]),
      });
      assert.deepEqual(await x(), [['x', at(5).getTime()]]);
    });

    test('sessionsSlice: the sessions seen at or after a time, in key order, a slice at a time', async () => {
      await sites('slice-a', 'slice-b');
      const row = (site: string, session: string, minute: number) => ({
        site,
        session,
        lastSeen: at(minute),
      });
      await storage.applyVisits({
        increments: [],
        sessions: sessionRows([
          row('slice-b', 'm', 30),
          row('slice-a', 'z', 21),
          row('slice-a', 'old', 19),
          row('slice-a', 'edge', 20),
          row('slice-b', 'b', 25),
          row('slice-a', 'c', 40),
        ]),
      });
      // Other tests' sessions are in the table too: only the rows of these two sites count.
      const ours = (rows: readonly (string | number)[]) => {
        const out = [];
        for (let i = 0; i < rows.length; i += 3)
          if (String(rows[i]).startsWith('slice-')) out.push(rows.slice(i, i + 3));
        return out;
      };
      const expected = [
        ['slice-a', 'c', at(40).getTime()],
        ['slice-a', 'edge', at(20).getTime()],
        ['slice-a', 'z', at(21).getTime()],
        ['slice-b', 'b', at(25).getTime()],
        ['slice-b', 'm', at(30).getTime()],
      ];
      // Two at a time, each slice after the last key of the one before (`old` is too old).
      const first = await storage.sessionsSlice(at(20), 2, ['slice-', '']);
      assert.deepEqual(first, expected.slice(0, 2).flat());
      const second = await storage.sessionsSlice(at(20), 2, ['slice-a', 'edge']);
      assert.deepEqual(second, expected.slice(2, 4).flat());
      // The last one may go on with another test's site, after these two.
      const third = await storage.sessionsSlice(at(20), 2, ['slice-b', 'b']);
      assert.deepEqual(ours(third), expected.slice(4));
      assert.ok(third.length <= 6);
    });

    test('pruneSessions deletes sessions last seen before the cutoff', async () => {
      await sites('old');
      const seen = (session: string, iso: string) => ({
        site: 'old',
        session,
        lastSeen: new Date(iso),
      });
      await storage.applyVisits({
        increments: [],
        sessions: sessionRows([
          seen('p', '1990-01-01T00:00:00Z'),
          seen('q', '1990-05-31T23:59:59Z'),
          seen('r', '1990-06-01T00:00:00Z'),
        ]),
      });
      assert.equal(await storage.pruneSessions(new Date('1990-06-01T00:00:00Z')), 2);
      assert.equal(await storage.pruneSessions(new Date('1990-06-01T00:00:00Z')), 0);
      assert.deepEqual(await seenSince('old', new Date(0)), [
        ['r', Date.parse('1990-06-01T00:00:00Z')],
      ]);
    });

    test('pruneSessions walks the whole table, slice after slice', async () => {
      // 2 500 sessions over three sites (more than two slices of the walk), every third one old.
      const ids = ['walk-a', 'walk-b', 'walk-c'];
      await sites(...ids);
      // Before every other test's sessions (the pruning test above keeps one of 1990).
      const cutoff = new Date('1980-01-01T00:00:00Z');
      const rows = Array.from({ length: 2500 }, (_, i) => ({
        site: ids[i % 3]!,
        session: `s${String(i).padStart(4, '0')}`,
        lastSeen: new Date(cutoff.getTime() - (i % 3 === 0 ? 60_000 + i : 0)),
      }));
      await storage.applyVisits({ increments: [], sessions: sessionRows(rows) });
      assert.equal(await storage.pruneSessions(cutoff), 834);
      const left = (await Promise.all(ids.map((id) => seenSince(id, new Date(0))))).flat();
      assert.equal(left.length, 1666);
      assert.ok(left.every(([, ms]) => ms >= cutoff.getTime()));
    });

    test('an unknown site reads as zeros', async () => {
      assert.deepEqual(await totals('nobody', '2024-06-01'), ZERO);
    });

    test('20 concurrent applyVisits of 10 increments each sum exactly', async () => {
      await sites('con1', 'con2');
      await Promise.all(
        Array.from({ length: 20 }, (_, k) => {
          const increments = Array.from({ length: 10 }, (_, j) =>
            inc(j % 2 ? 'con1' : 'con2', j % 4 < 2 ? '2024-06-01' : '2024-06-02'),
          );
          if (k % 2) increments.reverse();
          return storage.applyVisits({
            increments,
            sessions: ['con1', `s${k % 5}`, at(k).getTime()],
          });
        }),
      );
      const one = await totals('con1', '2024-06-01');
      const two = await totals('con2', '2024-06-01');
      assert.equal(one.stored + two.stored, 200);
      assert.deepEqual(one, { stored: 100, today: 60, month: 100 });
      assert.deepEqual(two, { stored: 100, today: 60, month: 100 });
      assert.deepEqual((await seenSince('con1', at(-60))).map(([session]) => session).sort(), [
        's0',
        's1',
        's2',
        's3',
        's4',
      ]);
    });

    test('an increment for an unknown site rejects the whole batch', async () => {
      await sites('fk');
      await assert.rejects(
        storage.applyVisits({
          increments: [
            inc('fk', '2024-06-01', 5),
            inc('fk-missing', '2024-06-01'),
            inc('fk', '2024-06-02', 2),
          ],
          sessions: ['fk', 'z', at(0).getTime()],
        }),
      );
      assert.deepEqual(await totals('fk', '2024-06-01'), ZERO);
      await storage.applyVisits({ increments: [inc('fk', '2024-06-01')], sessions: [] });
      assert.deepEqual(await totals('fk', '2024-06-01'), figures(1, 1, 1));
    });

    test('ping answers until close; an empty batch never touches the database', async () => {
      const other = await open();
      await other.ping();
      await other.close();
      await assert.rejects(other.ping());
      await other.applyVisits({ increments: [], sessions: [] });
    });
  });
}
