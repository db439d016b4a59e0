import type { AdminPoll } from '../../shared/polls.js';
import { empty, type Routes } from '../core/api.js';
import { HttpError, notFound } from '../core/errors.js';
import { NoContent } from '../core/schemas.js';
import { zonedFormat } from '../core/time.js';
import {
  AdminPollList,
  AdminPollView,
  AdminResultsBody,
  NewPollBody,
  PollParams,
  PollPatchBody,
  ResultsQuery,
} from './schemas.js';
import { iso, pollSettings, pollStatus, viewFields } from './service.js';
import type { PollRecord, PollSettings } from './store.js';

type Interval = 'day' | 'hour';

/** SQL buckets are 15 minutes: every time zone's offset is a multiple of it. */
const BUCKET_MS = 15 * 60_000;

/** The settings part of a stored poll. */
function settingsOf(poll: PollRecord): PollSettings {
  const { site, id, voters, createdAt, updatedAt, options, ...settings } = poll;
  return { ...settings, options: options.map((o) => ({ id: o.id, label: o.label })) };
}

function view(p: PollRecord, now: number): AdminPoll & AdminPollView {
  const [createdAt, updatedAt] = [iso(p.createdAt)!, iso(p.updatedAt)!];
  return {
    ...viewFields(p, now),
    options: p.options,
    ipCeiling: p.ipCeiling,
    voters: p.voters,
    createdAt,
    updatedAt,
  };
}

/** `YYYY-MM-DD` (day) or `YYYY-MM-DDTHH:00` (hour), local to `timeZone`. */
function period(timeZone: string, ms: number, interval: Interval): string {
  const f = zonedFormat(timeZone, true);
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  const day = `${p.year}-${p.month}-${p.day}`;
  return interval === 'day' ? day : `${day}T${p.hour}:00`;
}

/** A CSV cell: quoted when needed; a leading = + - @ is defused so spreadsheets show text. */
function cell(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Admin `/sites/:site/polls…` (bearer ADMIN_TOKEN): create, list, read, edit (options only before
 * the first vote), open / close now, delete, results over time (per day or hour in the site's
 * time zone) and the same as CSV.
 */
export const adminPollRoutes: Routes = async (app) => {
  const { polls } = app;
  const { store } = polls;

  const current = (site: string, id: string) => polls.get(site, id);
  const save = async (poll: PollRecord, next: PollSettings) => {
    const optionsChanged =
      next.multiple !== poll.multiple ||
      next.maxChoices !== poll.maxChoices ||
      JSON.stringify(next.options) !== JSON.stringify(settingsOf(poll).options);
    const outcome = await store.update(poll.site, poll.id, next, optionsChanged, polls.now());
    await polls.changed(poll.site, poll.id);
    if (outcome === 'not_found') throw notFound(`Poll "${poll.id}"`);
    if (outcome === 'has_votes') {
      throw new HttpError(
        409,
        'poll_has_votes',
        `Poll "${poll.id}" has votes: its options, "multiple" and "maxChoices" can no longer change`,
      );
    }
    return view((await store.get(poll.site, poll.id))!, polls.now());
  };
  const one = { params: PollParams, response: { 200: AdminPollView } };

  app.get('/polls', { schema: { response: { 200: AdminPollList } } }, async (req) => {
    const now = polls.now();
    return { items: (await store.list(req.site.id)).map((p) => view(p, now)) };
  });

  app.post(
    '/polls',
    { schema: { body: NewPollBody, response: { 201: AdminPollView } } },
    async (req, reply) => {
      const site = req.site.id;
      const { id, ...input } = req.body;
      if (!(await store.create({ site, id, ...pollSettings(input) }, polls.now())))
        throw new HttpError(409, 'conflict', `Poll "${id}" already exists`);
      await polls.changed(site, id);
      return reply.status(201).send(view((await store.get(site, id))!, polls.now()));
    },
  );

  app.get('/polls/:poll', { schema: one }, async (req) =>
    view(await current(req.site.id, req.params.poll), polls.now()),
  );

  app.patch('/polls/:poll', { schema: { ...one, body: PollPatchBody } }, async (req) => {
    const poll = await current(req.site.id, req.params.poll);
    const next = pollSettings(req.body, settingsOf(poll));
    req.audit({ before: settingsOf(poll), after: next });
    return save(poll, next);
  });

  app.post('/polls/:poll/open', { schema: one }, async (req) => {
    const poll = await current(req.site.id, req.params.poll);
    const now = polls.now();
    return save(poll, {
      ...settingsOf(poll),
      opensAt: poll.opensAt === null || poll.opensAt > now ? now : poll.opensAt,
      closesAt: poll.closesAt !== null && poll.closesAt <= now ? null : poll.closesAt,
    });
  });

  app.post('/polls/:poll/close', { schema: one }, async (req) => {
    const poll = await current(req.site.id, req.params.poll);
    const now = polls.now();
    if (pollStatus(poll, now) === 'closed') return view(poll, now);
    return save(poll, {
      ...settingsOf(poll),
      opensAt: poll.opensAt === null || poll.opensAt < now ? poll.opensAt : now,
      closesAt: now,
    });
  });

  app.delete(
    '/polls/:poll',
    { schema: { params: PollParams, response: { 204: NoContent } } },
    async (req, reply) => {
      const deleted = await store.delete(req.site.id, req.params.poll);
      await polls.deleted(req.site.id, req.params.poll);
      if (!deleted) throw notFound(`Poll "${req.params.poll}"`);
      return empty(reply, 204);
    },
  );

  const results = async (site: string, id: string, interval: Interval, timeZone: string) => {
    const poll = await current(site, id);
    const series: { period: string; voters: number; counts: Record<string, number> }[] = [];
    for (const bucket of await store.buckets(site, id, BUCKET_MS)) {
      const label = period(timeZone, bucket.start, interval);
      let row = series[series.length - 1];
      if (!row || row.period !== label)
        series.push((row = { period: label, voters: 0, counts: {} }));
      row.voters += bucket.voters;
      for (const [option, n] of Object.entries(bucket.options))
        row.counts[option] = (row.counts[option] ?? 0) + n;
    }
    return { poll, series };
  };

  app.get(
    '/polls/:poll/results',
    {
      schema: {
        params: PollParams,
        querystring: ResultsQuery,
        response: { 200: AdminResultsBody },
      },
    },
    async (req) => {
      const interval = req.query.interval ?? 'day';
      const { timeZone } = req.site;
      const { poll, series } = await results(req.site.id, req.params.poll, interval, timeZone);
      return {
        poll: view(poll, polls.now()),
        interval,
        timeZone,
        series: series.map((r) => ({
          period: r.period,
          voters: r.voters,
          options: poll.options.map((o) => ({ id: o.id, votes: r.counts[o.id] ?? 0 })),
        })),
      };
    },
  );

  app.get(
    '/polls/:poll/results.csv',
    { schema: { params: PollParams, querystring: ResultsQuery } },
    async (req, reply) => {
      const interval = req.query.interval ?? 'day';
      const { poll, series } = await results(
        req.site.id,
        req.params.poll,
        interval,
        req.site.timeZone,
      );
      const lines = [[interval, 'voters', ...poll.options.map((o) => o.label)].map(cell).join(',')];
      for (const r of series)
        lines.push(
          [r.period, r.voters, ...poll.options.map((o) => r.counts[o.id] ?? 0)].map(cell).join(','),
        );
      lines.push(['total', poll.voters, ...poll.options.map((o) => o.votes)].map(cell).join(','));
      reply.header('Content-Type', 'text/csv; charset=utf-8');
      reply.header(
        'Content-Disposition',
        `attachment; filename="${poll.site}-${poll.id}-${interval}.csv"`,
      );
      // The byte-order mark makes spreadsheet programs read the Vietnamese labels as UTF-8.
      return `\uFEFF${lines.join('\r\n')}\r\n`;
    },
  );
};
