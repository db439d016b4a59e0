/**
 * The gallery (`/gallery/`, the page `demo/gallery/index.html`): every widget in every state, for
 * designers and reviewers. Its page and files are served with the demo portal's; this plugin adds
 * the two routes its "loading" and "unreachable" panes point their `api` at, registered only when
 * the gallery page is there, and only for the gallery's own sites:
 *
 * - `/gallery/slow/api/v1/sites/{gallery site}/…` waits {@link GALLERY_DELAY_MS}, then sends a
 *   307 to the real route (same method, same body), so the widget shows its loading state, then
 *   its real content — within the client's 10 s timeout.
 * - `/gallery/down/…` closes the connection without an answer: to the widget, the API is
 *   unreachable (a network error), as when the server is down.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import fp from 'fastify-plugin';
import { HttpError } from '../core/errors.js';
import { GALLERY_SITES } from './seed.js';

/**
 * How long the gallery's "loading" panes wait for their answer: well under the client's 10 s
 * timeout, with room for the browser's queue (6 connections per host over HTTP/1.1, of which the
 * loading panes hold 4).
 */
export const GALLERY_DELAY_MS = 5_000;

const SLOW = '/gallery/slow';
const DOWN = '/gallery/down';
const API = new RegExp(`^/api/v1/sites/(${GALLERY_SITES.join('|')})/`);

export const gallery = fp<{ demoDir: string }>(
  async (app, { demoDir }) => {
    if (!existsSync(join(demoDir, 'gallery', 'index.html'))) return;
    // A stopping server does not wait for the delays: they end at once.
    const stopping = new AbortController();
    app.addHook('preClose', async () => stopping.abort());
    /** The API path after `prefix`, when it is one of the gallery's sites'; else a 404. */
    const target = (url: string, prefix: string) => {
      const path = url.slice(prefix.length);
      if (!API.test(path))
        throw new HttpError(404, 'not_found', "The gallery's routes serve only its own sites");
      return path;
    };
    // GET (polls, comments, lists, visits) and POST (a visit, a captcha): what the panes ask.
    const methods = ['GET', 'POST'];
    app.route({
      method: methods,
      url: `${SLOW}/*`,
      handler: async (req, reply) => {
        const path = target(req.url, SLOW);
        await sleep(GALLERY_DELAY_MS, undefined, { signal: stopping.signal }).catch(() => {});
        return reply.redirect(path, 307);
      },
    });
    app.route({
      method: methods,
      url: `${DOWN}/*`,
      handler: async (req, reply) => {
        target(req.url, DOWN);
        reply.hijack();
        req.raw.socket.destroy();
      },
    });
  },
  { name: 'gallery', dependencies: ['core'] },
);
