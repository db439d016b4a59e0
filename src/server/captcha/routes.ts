import type { Routes } from '../core/api.js';
import { tokenMatches } from '../core/admin.js';
import { HttpError } from '../core/errors.js';
import { ipPrefix } from '../core/net.js';
import { CaptchaBody, CaptchaView, VerifyBody, VerifyView } from './schemas.js';

/** Challenges per minute per IP prefix. An office behind one NAT address shares it. */
export const ISSUE_PER_MINUTE = 30;
/** Verify calls per minute per IP prefix (a host backend verifies each protected form post). */
export const VERIFY_PER_MINUTE = 600;

/** `POST /captcha` `{action}` in a site's public API: a new challenge. */
export const captchaRoutes: Routes = async (app) => {
  const { captcha } = app;
  app.post(
    '/captcha',
    {
      config: { rateLimit: { max: ISSUE_PER_MINUTE, timeWindow: 60_000 } },
      schema: { body: CaptchaBody, response: { 200: CaptchaView } },
    },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      return captcha.issue(req.site, req.body?.action ?? 'comment', req.ip);
    },
  );
};

/** `POST /api/v1/captcha/verify` `{site, secret, token, action?}`: a host site's backend checks (and uses up) a token. */
export const captchaVerifyRoutes: Routes = async (app) => {
  const { captcha } = app;
  const { sites } = app.civic;
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('Cache-Control', 'no-store');
  });
  // A hook-made limiter has no route to name its counters after: its own key keeps them apart
  // from any other such limiter's in the shared store.
  app.addHook(
    'onRequest',
    app.rateLimit({
      max: VERIFY_PER_MINUTE,
      timeWindow: 60_000,
      keyGenerator: (req) => `captcha-verify:${ipPrefix(req.ip)}`,
    }),
  );
  app.post(
    '/verify',
    { schema: { body: VerifyBody, response: { 200: VerifyView } } },
    async (req) => {
      const { site: id, secret, token, action } = req.body;
      // An unknown site and a wrong secret look the same, and nothing is consumed for either.
      const expected = await captcha.store.getSecret(id);
      if (!expected || !tokenMatches(secret, expected))
        throw new HttpError(401, 'invalid_secret', 'Unknown site or wrong secret');
      const result = await captcha.check(await sites.get(id), action, token);
      return result.ok
        ? { success: true, action: result.action }
        : { success: false, code: result.code, message: result.message };
    },
  );
};
