/**
 * Moderator notifications: the notifier (`app.notify`), which e-mails a site's moderators and
 * calls its webhook when a comment waits (it listens to comments' `commentWaiting`), and the
 * admin `/sites/:site/notify` routes.
 */
import fp from 'fastify-plugin';
import { commentWaiting, type CommentWaiting } from '../comments/service.js';
import { adminApi } from '../core/api.js';
import { adminNotifyRoutes } from './admin-routes.js';
import { smtpMailer } from './mail.js';
import { Notifier } from './service.js';
import { NotifyStore } from './store.js';

declare module 'fastify' {
  interface FastifyInstance {
    notify: { store: NotifyStore; notifier: Notifier };
  }
}

export const notify = fp(
  async (app) => {
    const { config, storage, now } = app.civic;
    const store = new NotifyStore(storage.db);
    const notifier = new Notifier({
      store,
      mailer:
        config.smtpUrl && config.notifyFrom
          ? smtpMailer(config.smtpUrl, config.notifyFrom)
          : undefined,
      now,
      log: app.log.child({ feature: 'notify' }),
      windowMs: config.notifyIntervalMinutes * 60_000,
      publicUrl: config.publicUrl,
      allowPrivate: config.notifyAllowPrivate,
    });
    app.decorate('notify', { store, notifier });

    const civic = app.civic;
    const listener = (message: unknown) => {
      const comment = message as CommentWaiting;
      if (comment.civic === civic) notifier.waiting(comment);
    };
    app.addHook('onReady', async () => {
      commentWaiting.subscribe(listener);
      notifier.start();
    });
    app.addHook('onClose', async () => {
      commentWaiting.unsubscribe(listener);
      await notifier.close();
    });
    await adminApi(app, adminNotifyRoutes, { site: true });
  },
  { name: 'notify', dependencies: ['core', 'comments'] },
);
