import type { Routes } from '../core/api.js';
import { notFound } from '../core/errors.js';
import { sendReadyNow } from '../core/read-cache.js';
import { ListParams, PublicListView } from './schemas.js';
import { LIST_CACHE_CONTROL, LIST_NAMES, publicList } from './service.js';

/**
 * `GET /slogans/:list` and `GET /links/:list`: a site's list, served from the read cache (ready
 * bytes, a content ETag, compressed copies when large; dropped by every admin change of the
 * list) with a short public cache; `If-None-Match` with the current ETag gets 304 and no body.
 */
export const listRoutes: Routes = async (app) => {
  const { lists: store } = app;
  const { reads } = app.civic;

  for (const kind of ['slogans', 'links'] as const) {
    app.get(
      `/${kind}/:list`,
      { compress: false, schema: { params: ListParams, response: { 200: PublicListView } } },
      // Not async: a list in memory is sent in the same turn (no promise, as for visits).
      (req, reply) => {
        const site = req.site.id;
        const id = req.params.list;
        const now = reads.peek(kind, site, id, '');
        return sendReadyNow(req, reply, LIST_CACHE_CONTROL, now, async () => {
          const ready = await reads.get(kind, site, id, '', async () => {
            const list = await store.get(site, kind, id);
            return list && { value: publicList(list) };
          });
          if (!ready) throw notFound(`${LIST_NAMES[kind]} "${id}"`);
          return ready;
        });
      },
    );
  }
};
