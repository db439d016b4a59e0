import { isbot } from 'isbot';
import type { Routes } from '../core/api.js';
import { VisitBody, VisitResponseBody, VisitStatsBody } from './schemas.js';

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
export const visitRoutes: Routes = async (app) => {
  const { visits } = app;

  app.post(
    '/visits',
    { schema: { body: VisitBody, response: { 200: VisitResponseBody } } },
    async (req, reply) => {
      const ua = req.headers['user-agent'];
      reply.header('Cache-Control', 'no-store');
      // No user agent at all is a script, not a browser: answered, not counted.
      return visits.record(req.site, req.body.session.toLowerCase(), !!ua && !isBot(ua));
    },
  );

  app.get('/visits', { schema: { response: { 200: VisitStatsBody } } }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    return visits.stats(req.site);
  });
};
