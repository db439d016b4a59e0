import { randomBytes } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { IMAGE_PROTOCOLS, safeUrl } from '../../shared/lists.js';
import { HttpError, notFound } from '../errors.js';
import { AdminListView, ErrorBody, LinkInput, ListBodies, ListOrderBody, ListParams, SiteParams } from '../schemas.js';
import { ListStore, type ListContent, type ListItemRecord, type ListKind, type ListRecord } from '../storage/lists.js';
import { LIST_NAMES, URL_CHECK_BASE } from './lists.js';

type Item = Static<typeof LinkInput> | (Omit<Static<typeof LinkInput>, 'href'> & { href?: string });
type Params = Static<typeof ListParams>;

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

function view(list: ListRecord): Static<typeof AdminListView> {
  return {
    id: list.id,
    title: list.title,
    version: list.version,
    createdAt: list.createdAt.toISOString(),
    updatedAt: list.updatedAt.toISOString(),
    items: list.items,
  };
}

function invalid(field: string, message: string): HttpError {
  return new HttpError(400, 'invalid_request', `Invalid field "${field}": ${message}`);
}

/** What a refused URL is, for the message (`a "javascript:" URL`), never the whole value. */
function describeUrl(url: string): string {
  try {
    return `a "${new URL(url, URL_CHECK_BASE).protocol}" URL`;
  } catch {
    return 'an invalid URL';
  }
}

/**
 * Trims and checks every item; the first bad one is refused with a 400 that names it (position
 * and text). Links keep only http(s), mailto and tel URLs (relative paths allowed); images
 * only http(s). Items without an id get a new random one; ids must be unique in the list.
 */
export function checkItems(items: Item[]): ListItemRecord[] {
  const seen = new Set<string>();
  return items.map((input, i) => {
    const text = input.text.trim();
    const name = `item ${i + 1}${text ? ` ("${text.slice(0, 60)}")` : ''}`;
    if (!text) throw invalid(`items.${i}.text`, `${name} has no text`);
    const item: ListItemRecord = { id: input.id ?? randomBytes(6).toString('base64url'), text };
    if (seen.has(item.id)) throw invalid(`items.${i}.id`, `${name} repeats the id "${item.id}"`);
    seen.add(item.id);
    if (input.href !== undefined) {
      const href = input.href.trim();
      if (!safeUrl(href, URL_CHECK_BASE)) {
        throw invalid(`items.${i}.href`, `${name} links to ${describeUrl(href)}; only http(s), mailto and tel links are allowed`);
      }
      item.href = href;
    }
    if (input.image !== undefined) {
      const image = input.image.trim();
      if (!safeUrl(image, URL_CHECK_BASE, IMAGE_PROTOCOLS)) {
        throw invalid(`items.${i}.image`, `${name} has an image at ${describeUrl(image)}; only http(s) images (or paths on this server) are allowed`);
      }
      item.image = image;
    }
    const group = input.group?.trim();
    const alt = input.alt?.trim();
    if (group) item.group = group;
    if (alt) item.alt = alt;
    return item;
  });
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
export async function adminListRoutes(app: FastifyInstance): Promise<void> {
  const { storage } = app.civic;
  const store = new ListStore(storage.db, storage.dialect);

  async function site(id: string): Promise<string> {
    if (!(await storage.getSite(id))) throw notFound(`Site "${id}"`);
    return id;
  }
  async function existing(kind: ListKind, p: Params): Promise<ListRecord> {
    const list = await store.get(await site(p.site), kind, p.list);
    if (!list) throw notFound(`${LIST_NAMES[kind]} "${p.list}"`);
    return list;
  }
  async function save(kind: ListKind, p: Params, content: ListContent, version?: number): Promise<ListRecord> {
    const result = await store.update(p.site, kind, p.list, content, version);
    if (result.status === 'ok') return result.list;
    if (result.status === 'missing') throw notFound(`${LIST_NAMES[kind]} "${p.list}"`);
    throw new HttpError(409, 'conflict', `${LIST_NAMES[kind]} "${p.list}" was changed meanwhile (not version ${version}); reload it and try again`);
  }

  for (const kind of ['slogans', 'links'] as const) {
    const base = `/sites/:site/${kind}`;
    const bodies = ListBodies[kind];

    app.get<{ Params: Static<typeof SiteParams> }>(
      base,
      { schema: { params: SiteParams, response: { 200: { type: 'object', properties: { items: { type: 'array', items: AdminListView } } }, ...errors } } },
      async (req) => ({ items: (await store.all(await site(req.params.site), kind)).map(view) }),
    );

    app.post<{ Params: Static<typeof SiteParams>; Body: Static<typeof bodies.create> }>(
      base,
      { schema: { params: SiteParams, body: bodies.create, response: { 201: AdminListView, ...errors } } },
      async (req, reply) => {
        const content = { title: req.body.title?.trim() ?? '', items: checkItems(req.body.items) };
        if (!(await store.create(await site(req.params.site), kind, req.body.id, content))) {
          throw new HttpError(409, 'conflict', `${LIST_NAMES[kind]} "${req.body.id}" already exists`);
        }
        return reply.status(201).send(view((await store.get(req.params.site, kind, req.body.id))!));
      },
    );

    app.get<{ Params: Params }>(
      `${base}/:list`,
      { schema: { params: ListParams, response: { 200: AdminListView, ...errors } } },
      async (req) => view(await existing(kind, req.params)),
    );

    app.put<{ Params: Params; Body: Static<typeof bodies.update> }>(
      `${base}/:list`,
      { schema: { params: ListParams, body: bodies.update, response: { 200: AdminListView, ...errors } } },
      async (req) => {
        const items = checkItems(req.body.items);
        const old = await existing(kind, req.params);
        const title = req.body.title === undefined ? old.title : req.body.title.trim();
        return view(await save(kind, req.params, { title, items }, req.body.version));
      },
    );

    app.put<{ Params: Params; Body: Static<typeof ListOrderBody> }>(
      `${base}/:list/order`,
      { schema: { params: ListParams, body: ListOrderBody, response: { 200: AdminListView, ...errors } } },
      async (req) => {
        const list = await existing(kind, req.params);
        const byId = new Map(list.items.map((item) => [item.id, item]));
        const { order } = req.body;
        const unknown = order.find((id) => !byId.has(id));
        if (unknown !== undefined) throw invalid('order', `the list has no item "${unknown}"`);
        if (new Set(order).size !== order.length) throw invalid('order', 'an item id is repeated');
        const missing = list.items.find((item) => !order.includes(item.id));
        if (missing) throw invalid('order', `item "${missing.id}" ("${missing.text.slice(0, 60)}") is missing: list every item once`);
        // Conditional on the version just read, so an edit in between is never undone.
        const items = order.map((id) => byId.get(id)!);
        return view(await save(kind, req.params, { title: list.title, items }, req.body.version ?? list.version));
      },
    );

    app.delete<{ Params: Params }>(
      `${base}/:list`,
      { schema: { params: ListParams, response: { 204: { type: 'null' }, ...errors } } },
      async (req, reply) => {
        if (!(await store.delete(await site(req.params.site), kind, req.params.list))) throw notFound(`${LIST_NAMES[kind]} "${req.params.list}"`);
        return reply.status(204).send();
      },
    );
  }
}
