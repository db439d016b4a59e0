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

/**
 * `POST /visits` counts once per browser session; `GET /visits` only reads. Both answer ~230 bytes,
 * never worth compressing, so these hot routes opt out of @fastify/compress and its per-route hook
 * (`npm run bench:compress`: a small answer through the hook measured 0.72–1.03 of the bare route
 * in noisy runs, with the opt-out 1.02).
 */
export const visitRoutes: Routes = async (app) => {
  const { visits } = app;

  app.post(
    '/visits',
    { compress: false, schema: { body: VisitBody, response: { 200: VisitResponseBody } } },
    // Not async: a visit this process answers in the same turn is sent at once (see `record`).
    (req, reply) => {
      const ua = req.headers['user-agent'];
      reply.header('Cache-Control', 'no-store');
      // No user agent at all is a script, not a browser: answered, not counted.
      return visits.record(req.site, req.body.session.toLowerCase(), !!ua && !isBot(ua));
    },
  );

  const stats = { compress: false, schema: { response: { 200: VisitStatsBody } } } as const;
  app.get('/visits', stats, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    return visits.stats(req.site);
  });
};
