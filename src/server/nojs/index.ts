/**
 * Pages without JavaScript: `/s/:site/polls/:poll` and `/s/:site/comments?thread=…`, plain HTML
 * forms for visitors whose browser runs no script (the widgets link to them as fallback content),
 * and their stylesheet `/s/civic.css`. They call the polls, comments and captcha services.
 */
import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import { nojsRoutes } from './routes.js';
import { STYLESHEET } from './pages.js';
import { NOJS_CSS } from './style.js';

const ETAG = `"${createHash('sha256').update(NOJS_CSS).digest('base64url').slice(0, 16)}"`;

export const nojs = fp(
  async (app) => {
    app.get(STYLESHEET, async (req, reply) => {
      reply
        .header('Content-Type', 'text/css; charset=utf-8')
        .header('Cache-Control', 'public, max-age=3600')
        .header('ETag', ETAG)
        .header('X-Content-Type-Options', 'nosniff');
      if (req.headers['if-none-match'] === ETAG) return reply.status(304).send();
      return NOJS_CSS;
    });
    await app.register(nojsRoutes, { prefix: '/s/:site' });
  },
  { name: 'nojs', dependencies: ['core', 'polls', 'captcha', 'comments'] },
);
