import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { isbot } from 'isbot';
import { ErrorBody, SiteParams, VisitBody, VisitResponseBody, VisitStatsBody } from '../schemas.js';

type Params = Static<typeof SiteParams>;

/** isbot's pattern is large; real traffic repeats a few hundred user agents, so remember them. */
const botAgents = new Map<string, boolean>();
function isBot(ua: string): boolean {
  let bot = botAgents.get(ua);
  if (bot === undefined) {
    bot = isbot(ua);
    if (botAgents.size >= 5000) botAgents.clear();
    botAgents.set(ua, bot);
  }
  return bot;
}

/** `POST /visits` counts once per browser session; `GET /visits` only reads. */
export async function visitRoutes(app: FastifyInstance): Promise<void> {
  const { sites, visits } = app.civic;
  const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 413: ErrorBody, 415: ErrorBody, 429: ErrorBody };

  app.post<{ Params: Params; Body: Static<typeof VisitBody> }>(
    '/visits',
    { schema: { params: SiteParams, body: VisitBody, response: { 200: VisitResponseBody, ...errors } } },
    async (req, reply) => {
      const site = await sites.get(req.params.site);
      const ua = req.headers['user-agent'];
      reply.header('Cache-Control', 'no-store');
      // No user agent at all is a script, not a browser: answered, not counted.
      return visits.record(site, req.body.session.toLowerCase(), !!ua && !isBot(ua));
    },
  );

  app.get<{ Params: Params }>(
    '/visits',
    { schema: { params: SiteParams, response: { 200: VisitStatsBody, ...errors } } },
    async (req, reply) => {
      const site = await sites.get(req.params.site);
      reply.header('Cache-Control', 'no-store');
      return visits.stats(site);
    },
  );
}
