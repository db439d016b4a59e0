/**
 * List rules between the routes and `ListStore`: what the public may see of a list, its ETag
 * check, and the checks of admin input (safe URLs only, unique item ids).
 */
import { randomBytes } from 'node:crypto';
import {
  IMAGE_PROTOCOLS,
  safeUrl,
  type LinkItem,
  type ListResponse,
  type Slogan,
} from '../../shared/lists.js';
import { HttpError } from '../core/errors.js';
import type { ItemInput } from './schemas.js';
import type { ListItemRecord, ListKind, ListRecord } from './store.js';
import { cleanLine } from '../core/text.js';

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

export function invalid(field: string, message: string): HttpError {
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
export function checkItems(items: ItemInput[]): ListItemRecord[] {
  const seen = new Set<string>();
  return items.map((input, i) => {
    const text = cleanLine(input.text);
    const name = `item ${i + 1}${text ? ` ("${text.slice(0, 60)}")` : ''}`;
    if (!text) throw invalid(`items.${i}.text`, `${name} has no text`);
    const item: ListItemRecord = { id: input.id ?? randomBytes(6).toString('base64url'), text };
    if (seen.has(item.id)) throw invalid(`items.${i}.id`, `${name} repeats the id "${item.id}"`);
    seen.add(item.id);
    if (input.href !== undefined) {
      const href = input.href.trim();
      if (!safeUrl(href, URL_CHECK_BASE)) {
        throw invalid(
          `items.${i}.href`,
          `${name} links to ${describeUrl(href)}; only http(s), mailto and tel links are allowed`,
        );
      }
      item.href = href;
    }
    if (input.image !== undefined) {
      const image = input.image.trim();
      if (!safeUrl(image, URL_CHECK_BASE, IMAGE_PROTOCOLS)) {
        throw invalid(
          `items.${i}.image`,
          `${name} has an image at ${describeUrl(image)}; only http(s) images (or paths on this server) are allowed`,
        );
      }
      item.image = image;
    }
    const group = cleanLine(input.group);
    const alt = cleanLine(input.alt);
    if (group) item.group = group;
    if (alt) item.alt = alt;
    return item;
  });
}
