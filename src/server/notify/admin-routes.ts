import type { Routes } from '../core/api.js';
import { HttpError } from '../core/errors.js';
import { NotifyBody, NotifyView, SecretView } from './schemas.js';
import { webhookUrlProblem } from './webhook.js';

/**
 * Admin `/sites/:site/notify`: read and set the site's e-mails switch and webhook URL (`GET`,
 * `PUT`), and `POST /sites/:site/notify/secret` to replace the webhook's signing secret. A secret
 * is shown once — in the answer that made it — and never in the audit log.
 */
export const adminNotifyRoutes: Routes = async (app) => {
  const { notify } = app;
  const { now, config } = app.civic;

  app.get('/notify', { schema: { response: { 200: NotifyView } } }, async (req) =>
    notify.store.settings(req.site.id),
  );

  app.put(
    '/notify',
    { schema: { body: NotifyBody, response: { 200: NotifyView } } },
    async (req) => {
      const { emails } = req.body;
      let webhookUrl = req.body.webhookUrl;
      if (webhookUrl !== null) {
        const problem = webhookUrlProblem(webhookUrl, config.notifyAllowPrivate);
        if (problem)
          throw new HttpError(400, 'invalid_webhook_url', `Invalid field "webhookUrl": ${problem}`);
        webhookUrl = new URL(webhookUrl).href;
      }
      const before = await notify.store.settings(req.site.id);
      req.audit({
        before: { webhookUrl: before.webhookUrl, emails: before.emails },
        after: { webhookUrl, emails },
      });
      const secret = await notify.store.save(req.site.id, { emails, webhookUrl }, now());
      return { ...(await notify.store.settings(req.site.id)), ...(secret && { secret }) };
    },
  );

  // Named for the audit log (whose entry never holds the secret).
  app.post(
    '/notify/secret',
    { config: { audit: 'notify.secret.rotate' }, schema: { response: { 200: SecretView } } },
    async (req) => {
      const secret = await notify.store.rotateSecret(req.site.id, now());
      if (!secret)
        throw new HttpError(409, 'no_webhook', 'This site has no webhook: set its URL first');
      return { secret };
    },
  );
};
