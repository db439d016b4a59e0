/**
 * Admin `/sites/:site/visits/daily?days=N`: the site's visits per local day (its time zone) for
 * the last N days, today included, with today / this month / total as the visit counter shows
 * them (total with the legacy offset). The console's overview draws it.
 */
import { Type } from '@sinclair/typebox';
import type { Routes } from '../core/api.js';
import { localDay } from './service.js';

export const DailyQuery = Type.Object(
  // 1–366 (query strings are not coerced to numbers).
  { days: Type.Optional(Type.String({ pattern: '^(?:[1-9]\\d?|[12]\\d\\d|3[0-5]\\d|36[0-6])$' })) },
  { additionalProperties: false },
);

export const DailyVisitsView = Type.Object({
  /** Oldest first, one entry per day, every day present (0 when nobody came); the last is today. */
  days: Type.Array(Type.Object({ date: Type.String(), visits: Type.Integer() })),
  today: Type.Integer(),
  month: Type.Integer(),
  total: Type.Integer(),
});

const DAY_MS = 86_400_000;

/** The `n` calendar days ending with `last` (`YYYY-MM-DD`), oldest first. */
function daysUntil(last: string, n: number): string[] {
  const end = Date.parse(`${last}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) =>
    new Date(end - (n - 1 - i) * DAY_MS).toISOString().slice(0, 10),
  );
}

export const adminVisitRoutes: Routes = async (app) => {
  const { visits } = app;
  const { storage, now } = app.civic;

  app.get(
    '/visits/daily',
    { schema: { querystring: DailyQuery, response: { 200: DailyVisitsView } } },
    async (req) => {
      const site = req.site;
      const dates = daysUntil(localDay(site.timeZone, now()), Number(req.query.days ?? 30));
      const [stats, rows] = await Promise.all([
        // The counter's figures include what is still in memory (written within a second).
        visits.stats(site),
        storage.db
          .selectFrom('visit_days')
          .select(['day', 'count'])
          .where('site', '=', site.id)
          .where('day', '>=', dates[0]!)
          .where('day', '<=', dates.at(-1)!)
          .execute(),
      ]);
      const stored = new Map(rows.map((r) => [r.day, Number(r.count)]));
      const days = dates.map((date) => ({ date, visits: stored.get(date) ?? 0 }));
      // Today as the counter shows it, unflushed visits included.
      days.at(-1)!.visits = stats.today;
      return { days, today: stats.today, month: stats.month, total: stats.total };
    },
  );
};
