/** Polls: the service (`app.polls`), `/api/v1/sites/:site/polls/…` and the admin poll API. */
import fp from 'fastify-plugin';
import { adminApi, siteApi } from '../core/api.js';
import { adminPollRoutes } from './admin-routes.js';
import { pollRoutes } from './routes.js';
import { POLL_VOTERS, Polls } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    polls: Polls;
  }
}

export const polls = fp(
  async (app) => {
    const { storage, reads, changed, now } = app.civic;
    const polls = new Polls(storage, now, { reads, changed });
    app.decorate('polls', polls);
    // A poll deleted on any instance: its voters' remembered votes go (all after a gap in the channel).
    const unsubscribe = app.civic.changes.subscribe(({ site, kind, id }) => {
      if (kind === POLL_VOTERS) polls.forgetVoters(site, id);
      else if (kind === '*') polls.forgetVoters();
    });
    app.addHook('onClose', async () => {
      unsubscribe();
      // Before the storage closes (core's onClose runs last).
      await polls.idle();
    });
    // Yesterday's per-IP vote counts and their salt (also dropped by the first vote of a day).
    app.civic.maintenance.register('poll_ip_counts', (at) => polls.prune(at));
    await siteApi(app, pollRoutes);
    await adminApi(app, adminPollRoutes, { site: true });
  },
  { name: 'polls', dependencies: ['core', 'captcha'] },
);
