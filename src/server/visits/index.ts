/**
 * Visits: the counter (`app.visits`) and `/api/v1/sites/:site/visits`. Pending visits are written
 * every `FLUSH_INTERVAL_MS` and before the database closes.
 */
import fp from 'fastify-plugin';
import { siteApi } from '../core/api.js';
import { visitRoutes } from './routes.js';
import { VisitCounter } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    visits: VisitCounter;
  }
}

export const visits = fp(
  async (app) => {
    const { storage, config, now } = app.civic;
    const counter = new VisitCounter(storage, config.flushIntervalMs, app.log, now);
    app.decorate('visits', counter);
    app.addHook('onReady', async () => counter.start());
    // Flush acknowledged visits before the database goes away (SIGTERM → app.close()).
    app.addHook('onClose', async () => counter.close());
    await siteApi(app, visitRoutes);
  },
  { name: 'visits', dependencies: ['core'] },
);
