/** Sites: the admin API that lists, creates and edits the embedding sites (`/api/v1/admin/sites`). */
import fp from 'fastify-plugin';
import { adminApi } from '../core/api.js';
import { adminSiteRoutes, adminSitesRoutes } from './admin-routes.js';

export const sites = fp(
  async (app) => {
    await adminApi(app, adminSitesRoutes);
    await adminApi(app, adminSiteRoutes, { site: true });
  },
  { name: 'sites', dependencies: ['core'] },
);
