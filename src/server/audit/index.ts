/**
 * The audit log: the admin gate (core/admin.ts) records every successful change through the admin
 * API here, and admins (editors: their sites only) read it at `GET /api/v1/admin/audit`.
 */
import fp from 'fastify-plugin';
import { adminApi } from '../core/api.js';
import { adminAuditRoutes } from './admin-routes.js';
import { AuditStore } from './store.js';

declare module 'fastify' {
  interface FastifyInstance {
    audit: AuditStore;
  }
}

export const audit = fp(
  async (app) => {
    const { storage, now, admin } = app.civic;
    const store = new AuditStore(storage.db);
    app.decorate('audit', store);
    admin.record = (entry) => store.add(entry, now());
    await adminApi(app, adminAuditRoutes);
  },
  { name: 'audit', dependencies: ['core'] },
);
