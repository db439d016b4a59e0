import { empty, type Routes } from '../core/api.js';
import { HttpError, notFound } from '../core/errors.js';
import { NoContent } from '../core/schemas.js';
import { AdminListList, AdminListView, ListBodies, ListOrderBody, ListParams } from './schemas.js';
import { checkItems, invalid, LIST_NAMES } from './service.js';
import type { ListContent, ListKind, ListRecord } from './store.js';
import { cleanLine } from '../core/text.js';

function view(list: ListRecord): AdminListView {
  return {
    id: list.id,
    title: list.title,
    version: list.version,
    createdAt: list.createdAt.toISOString(),
    updatedAt: list.updatedAt.toISOString(),
    items: list.items,
  };
}

/**
 * Admin: slogan lists and link lists of a site.
 *   GET    /sites/:site/{slogans|links}            summaries
 *   POST   /sites/:site/{slogans|links}            create `{id, title?, items}` → 201
 *   GET    /sites/:site/{slogans|links}/:list      one list with item ids and version
 *   PUT    /sites/:site/{slogans|links}/:list      edit `{title?, items, version?}`
 *   PUT    /sites/:site/{slogans|links}/:list/order  reorder `{order: [item ids], version?}`
 *   DELETE /sites/:site/{slogans|links}/:list      → 204
 * `version`, when given, must be the list's current one (else 409): concurrent editors do not
 * overwrite each other.
 */
export const adminListRoutes: Routes = async (app) => {
  const { lists: store } = app;
  const { changed } = app.civic;

  const missing = (kind: ListKind, id: string) => notFound(`${LIST_NAMES[kind]} "${id}"`);
  async function existing(site: string, kind: ListKind, id: string): Promise<ListRecord> {
    const list = await store.get(site, kind, id);
    if (!list) throw missing(kind, id);
    return list;
  }
  async function save(
    site: string,
    kind: ListKind,
    id: string,
    content: ListContent,
    version?: number,
  ): Promise<AdminListView> {
    const result = await store.update(site, kind, id, content, version);
    if (result.status === 'ok') {
      await changed(site, kind, id);
      return view(result.list);
    }
    if (result.status === 'missing') throw missing(kind, id);
    throw new HttpError(
      409,
      'conflict',
      `${LIST_NAMES[kind]} "${id}" was changed meanwhile (not version ${version}); reload it and try again`,
    );
  }

  for (const kind of ['slogans', 'links'] as const) {
    const bodies = ListBodies[kind];
    const one = { params: ListParams, response: { 200: AdminListView } };

    app.get(`/${kind}`, { schema: { response: { 200: AdminListList } } }, async (req) => ({
      items: (await store.all(req.site.id, kind)).map(view),
    }));

    app.post(
      `/${kind}`,
      { schema: { body: bodies.create, response: { 201: AdminListView } } },
      async (req, reply) => {
        const { id, title, items } = req.body;
        if (
          !(await store.create(req.site.id, kind, id, {
            title: cleanLine(title),
            items: checkItems(items),
          }))
        ) {
          throw new HttpError(409, 'conflict', `${LIST_NAMES[kind]} "${id}" already exists`);
        }
        await changed(req.site.id, kind, id);
        return reply.status(201).send(view((await store.get(req.site.id, kind, id))!));
      },
    );

    app.get(`/${kind}/:list`, { schema: one }, async (req) =>
      view(await existing(req.site.id, kind, req.params.list)),
    );

    app.put(
      `/${kind}/:list`,
      { schema: { ...one, body: bodies.update } },
      async ({ site, params: { list: id }, body }) => {
        const items = checkItems(body.items);
        const old = await existing(site.id, kind, id);
        const title = body.title === undefined ? old.title : cleanLine(body.title);
        return save(site.id, kind, id, { title, items }, body.version);
      },
    );

    app.put(
      `/${kind}/:list/order`,
      { schema: { ...one, body: ListOrderBody } },
      async ({ site, params: { list: id }, body }) => {
        const list = await existing(site.id, kind, id);
        const byId = new Map(list.items.map((item) => [item.id, item]));
        const { order } = body;
        const unknown = order.find((itemId) => !byId.has(itemId));
        if (unknown !== undefined) throw invalid('order', `the list has no item "${unknown}"`);
        if (new Set(order).size !== order.length) throw invalid('order', 'an item id is repeated');
        const left = list.items.find((item) => !order.includes(item.id));
        if (left)
          throw invalid(
            'order',
            `item "${left.id}" ("${left.text.slice(0, 60)}") is missing: list every item once`,
          );
        // Conditional on the version just read, so an edit in between is never undone.
        const items = order.map((itemId) => byId.get(itemId)!);
        return save(site.id, kind, id, { title: list.title, items }, body.version ?? list.version);
      },
    );

    app.delete(
      `/${kind}/:list`,
      { schema: { params: ListParams, response: { 204: NoContent } } },
      async (req, reply) => {
        if (!(await store.delete(req.site.id, kind, req.params.list)))
          throw missing(kind, req.params.list);
        await changed(req.site.id, kind, req.params.list);
        return empty(reply, 204);
      },
    );
  }
};
