/** Lists: the store (`app.lists`), `/api/v1/sites/:site/{slogans|links}/:list` and the admin list API. */
import fp from 'fastify-plugin';
import { adminApi, siteApi } from '../core/api.js';
import { adminListRoutes } from './admin-routes.js';
import { listRoutes } from './routes.js';
import { ListStore } from './store.js';

declare module 'fastify' {
  interface FastifyInstance {
    lists: ListStore;
  }
}

export const lists = fp(
  async (app) => {
    const { storage } = app.civic;
    app.decorate('lists', new ListStore(storage.db, storage.dialect));
    await siteApi(app, listRoutes);
    await adminApi(app, adminListRoutes, { site: true });
  },
  { name: 'lists', dependencies: ['core'] },
);
