/**
 * The figures the visit counter shows come from the stored days in two parts: the days before
 * the previous month, read once a day, and the days since, re-read after every flush for all the
 * sites in use at once (one query per local day). Across a month's end, with visits of the old
 * day still unwritten, and with other writers adding to the days, every figure stays exact.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, it } from 'node:test';
import { MemoryState } from '../../src/server/core/shared-state.js';
import type { SiteRecord, Storage } from '../../src/server/db/storage.js';
import { previousMonthStart, VisitCounter } from '../../src/server/visits/service.js';
import { describeEngines, type TestEngine } from '../helpers/engines.js';

const log = { error: () => {} };

it('previousMonthStart: the first day of the month before', () => {
  assert.equal(previousMonthStart('2026-12'), '2026-11-01');
  assert.equal(previousMonthStart('2026-01'), '2025-12-01');
  assert.equal(previousMonthStart('2026-10'), '2026-09-01');
});

describeEngines('visit totals', (engineKind) => {
  let engine: TestEngine;
  let storage: Storage;
  let utc: SiteRecord;
  let west: SiteRecord;

  before(async () => {
    engine = await engineKind.create();
    storage = await engine.open();
    await storage.createSite({ id: 'utc', name: 'UTC', origins: [], timeZone: 'UTC' });
    // Ten hours behind: its day ends after the other's.
    await storage.createSite({
      id: 'west',
      name: 'West',
      origins: [],
      timeZone: 'Pacific/Honolulu',
      legacyOffset: 1000,
    });
    utc = (await storage.getSite('utc'))!;
    west = (await storage.getSite('west'))!;
  });
  after(async () => {
    await storage?.close();
    await engine?.drop();
  });

  it('stay exact across a month end, with old history, late visits and other writers', async () => {
    const history = {
      '2024-01-15': 100,
      '2026-10-31': 10,
      '2026-11-15': 5,
      '2026-11-30': 1,
    };
    await storage.applyVisits({
      increments: Object.entries(history).flatMap(([day, count]) => [
        { site: 'utc', day, count },
        { site: 'west', day, count: 2 * count },
      ]),
      sessions: [],
    });
    // 2026-11-30, half a second before midnight UTC (14:00 in the west).
    let clock = Date.UTC(2026, 10, 30, 23, 59, 59, 500);
    const counter = new VisitCounter(storage, 60_000, log, new MemoryState(), () => clock);
    try {
      const visit = (site: SiteRecord) => counter.record(site, randomUUID(), true);
      const first = await visit(utc);
      assert.deepEqual(
        [first.total, first.today, first.month, first.counted],
        [117, 2, 7, true],
        'the whole history, today (1 stored + 1) and November',
      );
      const w = await counter.stats(west);
      assert.deepEqual([w.total, w.today, w.month], [1000 + 232, 2, 12], 'with the legacy offset');
      await visit(utc);
      await visit(utc);

      // Midnight passes before the three visits of 30 November are written.
      clock = Date.UTC(2026, 11, 1, 0, 0, 0, 200);
      const december = await counter.stats(utc);
      assert.deepEqual([december.total, december.today, december.month], [119, 0, 0]);
      await visit(utc);
      await visit(west);
      await counter.flush();
      const written = await counter.stats(utc);
      assert.deepEqual([written.total, written.today, written.month], [120, 1, 1], 'once each');
      assert.deepEqual(
        await storage.visitTotals('utc', '2026-11-30', '2026-11'),
        { stored: 120, today: 4, month: 9 },
        'stored on the day they were counted',
      );

      // Another instance writes both sites' days, yesterday's and today's: seen after the next
      // flush, both sites re-read at once although their days differ.
      await storage.applyVisits({
        increments: [
          { site: 'utc', day: '2026-11-30', count: 7 },
          { site: 'utc', day: '2026-12-01', count: 20 },
          { site: 'west', day: '2026-11-30', count: 300 },
        ],
        sessions: [],
      });
      clock += 1000;
      await counter.flush();
      const u = await counter.stats(utc);
      const wn = await counter.stats(west);
      assert.deepEqual([u.total, u.today, u.month], [147, 21, 21]);
      assert.deepEqual([wn.total, wn.today, wn.month], [1000 + 533, 303, 313]);
    } finally {
      await counter.close();
    }
  });

  it('re-reads hundreds of sites in use after a flush, each exactly', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `many-${i}`);
    for (const id of ids) await storage.createSite({ id, name: id, origins: [], timeZone: 'UTC' });
    const sites = await Promise.all(ids.map(async (id) => (await storage.getSite(id))!));
    // Site i: i visits long ago, and i visits this month.
    await storage.applyVisits({
      increments: ids.flatMap((site, i) => [
        { site, day: '2025-01-01', count: i },
        { site, day: '2026-12-01', count: i },
      ]),
      sessions: [],
    });
    let clock = Date.UTC(2026, 11, 1, 12);
    const counter = new VisitCounter(storage, 60_000, log, new MemoryState(), () => clock);
    try {
      for (const site of sites) await counter.stats(site);
      // Site i gets i % 3 new visitors here and 5 more from another writer.
      for (const [i, site] of sites.entries())
        for (let k = 0; k < i % 3; k++) await counter.record(site, randomUUID(), true);
      await storage.applyVisits({
        increments: ids.map((site) => ({ site, day: '2026-12-01', count: 5 })),
        sessions: [],
      });
      clock += 1000;
      await counter.flush();
      for (const [i, site] of sites.entries()) {
        const s = await counter.stats(site);
        assert.deepEqual(
          [s.total, s.today, s.online],
          [2 * i + (i % 3) + 5, i + (i % 3) + 5, i % 3],
          site.id,
        );
      }
    } finally {
      await counter.close();
    }
  });
});
