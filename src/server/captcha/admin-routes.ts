import type { Routes } from '../core/api.js';
import { ModeBody, ModeView, SecretView } from './schemas.js';

/** Admin `/sites/:site/captcha` (the site's captcha mode) and `/sites/:site/secret` (read, rotate its verify secret). */
export const adminCaptchaRoutes: Routes = async (app) => {
  const { store } = app.captcha;
  // The site exists (its scope checked): so do its mode and secret.
  app.get('/captcha', { schema: { response: { 200: ModeView } } }, async (req) => ({
    mode: (await store.getMode(req.site.id))!,
  }));
  app.put('/captcha', { schema: { body: ModeBody, response: { 200: ModeView } } }, async (req) => {
    req.audit({ before: { mode: await store.getMode(req.site.id) }, after: req.body });
    await store.setMode(req.site.id, req.body.mode);
    return { mode: req.body.mode };
  });
  app.get('/secret', { schema: { response: { 200: SecretView } } }, async (req) => ({
    secret: (await store.getSecret(req.site.id))!,
  }));
  // Named for the audit log (whose entry never holds the secret).
  const rotate = { audit: 'captcha.secret.rotate' };
  app.post(
    '/secret',
    { config: rotate, schema: { response: { 200: SecretView } } },
    async (req) => ({ secret: (await store.rotateSecret(req.site.id))! }),
  );
};
