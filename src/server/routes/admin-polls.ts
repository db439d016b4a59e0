import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { HttpError, notFound } from '../errors.js';
import { AdminPollView, AdminResultsBody, NewPollBody, PollParams, PollPatchBody, ResultsQuery } from '../poll-schemas.js';
import { pollSettings, pollsOf, pollStatus } from '../polls.js';
import { ErrorBody, SiteParams } from '../schemas.js';
import type { PollRecord, PollSettings } from '../storage/polls.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
type Params = Static<typeof PollParams>;
type Interval = 'day' | 'hour';

/** SQL buckets are 15 minutes: every time zone's offset is a multiple of it. */
const BUCKET_MS = 15 * 60_000;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The settings part of a stored poll. */
function settingsOf(p: PollRecord): PollSettings {
  const { question, multiple, maxChoices, opensAt, closesAt, resultsVisibility, ipCeiling, requireProof } = p;
  const options = p.options.map((o) => ({ id: o.id, label: o.label }));
  return { question, options, multiple, maxChoices, opensAt, closesAt, resultsVisibility, ipCeiling, requireProof };
}

function view(p: PollRecord, now: number): Static<typeof AdminPollView> {
  return {
    id: p.id,
    question: p.question,
    options: p.options,
    multiple: p.multiple,
    maxChoices: p.maxChoices,
    opensAt: iso(p.opensAt),
    closesAt: iso(p.closesAt),
    status: pollStatus(p, now),
    resultsVisibility: p.resultsVisibility,
    ipCeiling: p.ipCeiling,
    requireProof: p.requireProof,
    voters: p.voters,
    createdAt: iso(p.createdAt)!,
    updatedAt: iso(p.updatedAt)!,
  };
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** `YYYY-MM-DD` (day) or `YYYY-MM-DDTHH:00` (hour), local to `timeZone`. */
function period(timeZone: string, ms: number, interval: Interval): string {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, f);
  }
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
 * Admin (bearer ADMIN_TOKEN): create, list, read, edit (options only before the first vote),
 * open / close now, delete, results over time (per day or hour in the site's time zone) and the
 * same as CSV.
 */
export async function adminPollRoutes(app: FastifyInstance): Promise<void> {
  const { sites } = app.civic;
  const polls = pollsOf(app.civic);
  const store = polls.store;

  const current = async (site: string, id: string) => {
    await sites.get(site);
    const poll = await store.get(site, id);
    if (!poll) throw notFound(`Poll "${id}"`);
    return poll;
  };
  const save = async (poll: PollRecord, next: PollSettings) => {
    const optionsChanged =
      next.multiple !== poll.multiple ||
      next.maxChoices !== poll.maxChoices ||
      JSON.stringify(next.options) !== JSON.stringify(settingsOf(poll).options);
    const outcome = await store.update(poll.site, poll.id, next, optionsChanged, polls.now());
    polls.forget(poll.site, poll.id);
    if (outcome === 'not_found') throw notFound(`Poll "${poll.id}"`);
    if (outcome === 'has_votes') {
      throw new HttpError(409, 'poll_has_votes', `Poll "${poll.id}" has votes: its options, "multiple" and "maxChoices" can no longer change`);
    }
    return view((await store.get(poll.site, poll.id))!, polls.now());
  };

  app.get<{ Params: Static<typeof SiteParams> }>(
    '/sites/:site/polls',
    { schema: { params: SiteParams, response: { 200: { type: 'object', properties: { items: { type: 'array', items: AdminPollView } } }, ...errors } } },
    async (req) => {
      await sites.get(req.params.site);
      const now = polls.now();
      return { items: (await store.list(req.params.site)).map((p) => view(p, now)) };
    },
  );

  app.post<{ Params: Static<typeof SiteParams>; Body: Static<typeof NewPollBody> }>(
    '/sites/:site/polls',
    { schema: { params: SiteParams, body: NewPollBody, response: { 201: AdminPollView, ...errors } } },
    async (req, reply) => {
      const { site } = req.params;
      await sites.get(site);
      const { id, ...input } = req.body;
      const settings = pollSettings(input);
      if (!(await store.create({ site, id, ...settings }, polls.now()))) throw new HttpError(409, 'conflict', `Poll "${id}" already exists`);
      return reply.status(201).send(view((await store.get(site, id))!, polls.now()));
    },
  );

  app.get<{ Params: Params }>('/sites/:site/polls/:poll', { schema: { params: PollParams, response: { 200: AdminPollView, ...errors } } }, async (req) =>
    view(await current(req.params.site, req.params.poll), polls.now()),
  );

  app.patch<{ Params: Params; Body: Static<typeof PollPatchBody> }>(
    '/sites/:site/polls/:poll',
    { schema: { params: PollParams, body: PollPatchBody, response: { 200: AdminPollView, ...errors } } },
    async (req) => {
      const poll = await current(req.params.site, req.params.poll);
      return save(poll, pollSettings(req.body, settingsOf(poll)));
    },
  );

  app.post<{ Params: Params }>('/sites/:site/polls/:poll/open', { schema: { params: PollParams, response: { 200: AdminPollView, ...errors } } }, async (req) => {
    const poll = await current(req.params.site, req.params.poll);
    const now = polls.now();
    return save(poll, {
      ...settingsOf(poll),
      opensAt: poll.opensAt === null || poll.opensAt > now ? now : poll.opensAt,
      closesAt: poll.closesAt !== null && poll.closesAt <= now ? null : poll.closesAt,
    });
  });

  app.post<{ Params: Params }>('/sites/:site/polls/:poll/close', { schema: { params: PollParams, response: { 200: AdminPollView, ...errors } } }, async (req) => {
    const poll = await current(req.params.site, req.params.poll);
    const now = polls.now();
    if (pollStatus(poll, now) === 'closed') return view(poll, now);
    return save(poll, { ...settingsOf(poll), opensAt: poll.opensAt === null || poll.opensAt < now ? poll.opensAt : now, closesAt: now });
  });

  app.delete<{ Params: Params }>('/sites/:site/polls/:poll', { schema: { params: PollParams, response: { 204: { type: 'null' }, ...errors } } }, async (req, reply) => {
    await sites.get(req.params.site);
    const deleted = await store.delete(req.params.site, req.params.poll);
    polls.forget(req.params.site, req.params.poll);
    if (!deleted) throw notFound(`Poll "${req.params.poll}"`);
    return reply.status(204).send();
  });

  const results = async (site: string, id: string, interval: Interval) => {
    const poll = await current(site, id);
    const { timeZone } = await sites.get(site);
    const series: { period: string; voters: number; counts: Record<string, number> }[] = [];
    for (const bucket of await store.buckets(site, id, BUCKET_MS)) {
      const label = period(timeZone, bucket.start, interval);
      let row = series[series.length - 1];
      if (!row || row.period !== label) series.push((row = { period: label, voters: 0, counts: {} }));
      row.voters += bucket.voters;
      for (const [option, n] of Object.entries(bucket.options)) row.counts[option] = (row.counts[option] ?? 0) + n;
    }
    return { poll, timeZone, series };
  };

  app.get<{ Params: Params; Querystring: Static<typeof ResultsQuery> }>(
    '/sites/:site/polls/:poll/results',
    { schema: { params: PollParams, querystring: ResultsQuery, response: { 200: AdminResultsBody, ...errors } } },
    async (req) => {
      const interval = req.query.interval ?? 'day';
      const { poll, timeZone, series } = await results(req.params.site, req.params.poll, interval);
      return {
        poll: view(poll, polls.now()),
        interval,
        timeZone,
        series: series.map((r) => ({ period: r.period, voters: r.voters, options: poll.options.map((o) => ({ id: o.id, votes: r.counts[o.id] ?? 0 })) })),
      };
    },
  );

  app.get<{ Params: Params; Querystring: Static<typeof ResultsQuery> }>(
    '/sites/:site/polls/:poll/results.csv',
    { schema: { params: PollParams, querystring: ResultsQuery, response: { ...errors } } },
    async (req, reply) => {
      const interval = req.query.interval ?? 'day';
      const { poll, series } = await results(req.params.site, req.params.poll, interval);
      const lines = [[interval, 'voters', ...poll.options.map((o) => o.label)].map(cell).join(',')];
      for (const r of series) lines.push([r.period, r.voters, ...poll.options.map((o) => r.counts[o.id] ?? 0)].map(cell).join(','));
      lines.push(['total', poll.voters, ...poll.options.map((o) => o.votes)].map(cell).join(','));
      reply.header('Content-Type', 'text/csv; charset=utf-8');
      reply.header('Content-Disposition', `attachment; filename="${poll.site}-${poll.id}-${interval}.csv"`);
      // The byte-order mark makes spreadsheet programs read the Vietnamese labels as UTF-8.
      return `\uFEFF${lines.join('\r\n')}\r\n`;
    },
  );
}
