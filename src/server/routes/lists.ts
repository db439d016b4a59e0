import { createHash } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { IMAGE_PROTOCOLS, safeUrl, type LinkItem, type ListResponse, type Slogan } from '../../shared/lists.js';
import { notFound } from '../errors.js';
import { ErrorBody, ListParams, PublicListView } from '../schemas.js';
import { ListStore, type ListKind, type ListRecord } from '../storage/lists.js';

type Params = Static<typeof ListParams>;

/** Relative links and images are checked against a base that cannot be anyone's origin. */
export const URL_CHECK_BASE = 'https://civic-widgets.invalid/';

/** How long browsers and proxies may reuse a list before revalidating it with its ETag. */
export const LIST_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=600';

export const LIST_NAMES: Record<ListKind, string> = { slogans: 'Slogan list', links: 'Link list' };

/**
 * The public shape of a list. Items are re-checked on the way out (defence in depth: the admin
 * API already refuses unsafe URLs): a link with a bad `href` is dropped, a slogan keeps its text
 * and loses the link, a bad image is left out.
 */
export function publicList(list: ListRecord): ListResponse<Slogan | LinkItem> {
  const items: Array<Slogan | LinkItem> = [];
  for (const { text, href, group, image, alt } of list.items) {
    const okHref = href !== undefined && safeUrl(href, URL_CHECK_BASE) ? href : undefined;
    if (list.kind === 'slogans') {
      items.push(okHref ? { text, href: okHref } : { text });
      continue;
    }
    if (!okHref) continue;
    const item: LinkItem = { text, href: okHref };
    if (group) item.group = group;
    if (image && safeUrl(image, URL_CHECK_BASE, IMAGE_PROTOCOLS)) item.image = image;
    if (alt) item.alt = alt;
    items.push(item);
  }
  return { id: list.id, title: list.title, items };
}

/** True when an `If-None-Match` header value names `etag` (weak or strong) or is `*`. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

/**
 * `GET /slogans/:list` and `GET /links/:list`: a site's list, with a content ETag and a short
 * public cache; `If-None-Match` with the current ETag gets 304 and no body.
 */
export async function listRoutes(app: FastifyInstance): Promise<void> {
  const { sites, storage } = app.civic;
  const store = new ListStore(storage.db, storage.dialect);
  const errors = { 400: ErrorBody, 404: ErrorBody, 429: ErrorBody };

  for (const kind of ['slogans', 'links'] as const) {
    app.get<{ Params: Params }>(
      `/${kind}/:list`,
      { schema: { params: ListParams, response: { 200: PublicListView, ...errors } } },
      async (req, reply) => {
        const site = await sites.get(req.params.site);
        const list = await store.get(site.id, kind, req.params.list);
        if (!list) throw notFound(`${LIST_NAMES[kind]} "${req.params.list}"`);
        const body = JSON.stringify(publicList(list));
        const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
        reply.header('ETag', etag).header('Cache-Control', LIST_CACHE_CONTROL);
        if (etagMatches(req.headers['if-none-match'], etag)) return reply.status(304).send();
        // Already JSON: sent as is (Fastify does not serialize a string sent as application/json).
        return reply.type('application/json; charset=utf-8').send(body);
      },
    );
  }
}
