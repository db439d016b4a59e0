/**
 * Comments: the store (`app.comments`), `/api/v1/sites/:site/threads/:thread/comments`, the
 * moderation API, and the hourly clean-up (old pending comments, expired bans, old salts).
 */
import fp from 'fastify-plugin';
import { adminApi, siteApi } from '../core/api.js';
import { adminCommentRoutes } from './admin-routes.js';
import { commentRoutes } from './routes.js';
import { CommentStore } from './store.js';

declare module 'fastify' {
  interface FastifyInstance {
    comments: CommentStore;
  }
}

export const comments = fp(
  async (app) => {
    const store = new CommentStore(app.civic.storage.db, app.civic.now);
    app.decorate('comments', store);
    // Old pending comments, expired bans, and salts no ban needs any more.
    app.civic.maintenance.register('comments', async () => {
      const { purged, bans, salts } = await store.maintain();
      return purged + bans + salts;
    });
    await siteApi(app, commentRoutes);
    await adminApi(app, adminCommentRoutes, { site: true });
  },
  { name: 'comments', dependencies: ['core', 'captcha'] },
);
