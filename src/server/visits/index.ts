/**
 * Visits: the counter (`app.visits`), `/api/v1/sites/:site/visits` and the admin daily figures
 * (`/api/v1/admin/sites/:site/visits/daily`). Pending visits are written every
 * `FLUSH_INTERVAL_MS` and before the database closes.
 */
import fp from 'fastify-plugin';
import { adminApi, siteApi } from '../core/api.js';
import { adminVisitRoutes } from './admin-routes.js';
import { visitRoutes } from './routes.js';
import { SESSION_TTL_MS, VisitCounter } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    visits: VisitCounter;
  }
}

export const visits = fp(
  async (app) => {
    const { storage, config, now, shared } = app.civic;
    const counter = new VisitCounter(storage, config.flushIntervalMs, app.log, shared, now);
    app.decorate('visits', counter);
    // Sessions not seen for a day: they no longer count as online nor as already counted.
    app.civic.maintenance.register('visit_sessions', (at) =>
      storage.pruneSessions(new Date(at - SESSION_TTL_MS)),
    );
    app.addHook('onReady', async () => counter.start());
    // Flush acknowledged visits before the database goes away (SIGTERM → app.close()).
    app.addHook('onClose', async () => counter.close());
    await siteApi(app, visitRoutes);
    await adminApi(app, adminVisitRoutes, { site: true });
  },
  { name: 'visits', dependencies: ['core'] },
);
