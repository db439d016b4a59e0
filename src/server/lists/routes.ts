import { createHash } from 'node:crypto';
import { empty, type Routes } from '../core/api.js';
import { notFound } from '../core/errors.js';
import { ListParams, PublicListView } from './schemas.js';
import { etagMatches, LIST_CACHE_CONTROL, LIST_NAMES, publicList } from './service.js';

/**
 * `GET /slogans/:list` and `GET /links/:list`: a site's list, with a content ETag and a short
 * public cache; `If-None-Match` with the current ETag gets 304 and no body.
 */
export const listRoutes: Routes = async (app) => {
  const { lists: store } = app;

  for (const kind of ['slogans', 'links'] as const) {
    app.get(
      `/${kind}/:list`,
      { schema: { params: ListParams, response: { 200: PublicListView } } },
      async (req, reply) => {
        const list = await store.get(req.site.id, kind, req.params.list);
        if (!list) throw notFound(`${LIST_NAMES[kind]} "${req.params.list}"`);
        const body = JSON.stringify(publicList(list));
        const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
        reply.header('ETag', etag).header('Cache-Control', LIST_CACHE_CONTROL);
        if (etagMatches(req.headers['if-none-match'], etag)) return empty(reply, 304);
        // Already JSON: sent as is (Fastify does not serialize a string sent as application/json).
        return reply.type('application/json; charset=utf-8').send(body as never);
      },
    );
  }
};
