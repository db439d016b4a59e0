/**
 * Accounts: the service (`app.auth`), the sign-in API `/api/v1/auth/…`, the admin API's
 * authentication (installed on the admin gate: ADMIN_TOKEN, API tokens, session cookie) and the
 * admin `/users` and `/tokens` routes.
 */
import fp from 'fastify-plugin';
import { API_PREFIX } from '../../shared/api.js';
import { adminApi, jsonApi } from '../core/api.js';
import { adminTokenRoutes, adminUserRoutes } from './admin-routes.js';
import { authRoutes } from './routes.js';
import { ABSOLUTE_MS, Auth, FAILURE_WINDOW_MS, IDLE_MS } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    auth: Auth;
  }
}

export const auth = fp(
  async (app) => {
    const { config, storage, now, admin } = app.civic;
    const service = new Auth(storage, now, config.adminToken);
    app.decorate('auth', service);
    admin.authenticate = service.authenticate;
    // Ended sessions, and failed attempts older than the lockout window.
    app.civic.maintenance.register('user_sessions', (at) =>
      service.store.pruneSessions(at - IDLE_MS, at - ABSOLUTE_MS),
    );
    app.civic.maintenance.register('auth_failures', (at) =>
      service.store.pruneFailures(at - FAILURE_WINDOW_MS),
    );
    await jsonApi(app, `${API_PREFIX}/auth`, authRoutes);
    await adminApi(app, adminUserRoutes);
    await adminApi(app, adminTokenRoutes);
  },
  { name: 'auth', dependencies: ['core'] },
);
