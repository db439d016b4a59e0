/**
 * The captcha: the service (`app.captcha`, which features call on each protected write), the
 * public `POST /api/v1/sites/:site/captcha`, the server-to-server `POST /api/v1/captcha/verify`
 * (outside the per-site CORS scope: no browser calls it) and the admin captcha settings.
 */
import fp from 'fastify-plugin';
import { API_PREFIX } from '../../shared/api.js';
import { adminApi, jsonApi, siteApi } from '../core/api.js';
import { adminCaptchaRoutes } from './admin-routes.js';
import { captchaRoutes, captchaVerifyRoutes } from './routes.js';
import { CAPTCHA_KEEP_MS, CaptchaService, type CaptchaHooks } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    captcha: CaptchaService;
  }
}

export interface CaptchaOptions {
  /** Test-only seam (never set by main.ts, no env var): sees each captcha code's answer. */
  hooks?: CaptchaHooks;
}

export const captcha = fp(
  async (app, { hooks }: CaptchaOptions) => {
    const { storage, now, rates, config } = app.civic;
    const cost = { rates, base: config.powBase, ceiling: config.powCeiling };
    const service = new CaptchaService(storage.db, storage.dialect, cost, hooks, now);
    app.decorate('captcha', service);
    // Challenges and used proofs an hour after they expired (a used or expired one is refused anyway).
    app.civic.maintenance.register('captcha', (at) => service.store.purge(at - CAPTCHA_KEEP_MS));
    await siteApi(app, captchaRoutes);
    await jsonApi(app, `${API_PREFIX}/captcha`, captchaVerifyRoutes);
    await adminApi(app, adminCaptchaRoutes, { site: true });
  },
  { name: 'captcha', dependencies: ['core'] },
);
