/**
 * Slogan lists (`<civic-marquee source>`) and link lists (`<civic-link-list source>`): the DTOs
 * both sides share, and the one URL rule both sides apply. Pure: no client or server imports.
 */

/** One slogan of `GET /slogans/{list}`; a slogan with `href` is a link. */
export interface Slogan {
  text: string;
  href?: string;
}

/** One link of `GET /links/{list}`. */
export interface LinkItem {
  /** The link text; also the image's alt text when `alt` is missing. */
  text: string;
  href: string;
  /** Shown as an `<optgroup>` label in the select variant. */
  group?: string;
  /** Banner image (banners variant). A relative path is resolved against the API origin. */
  image?: string;
  /** Alternative text of `image`. */
  alt?: string;
}

/** Response of `GET /api/v1/sites/{site}/slogans/{list}` and `…/links/{list}`. */
export interface ListResponse<T> {
  id: string;
  title: string;
  items: T[];
}

/** Link schemes kept anywhere a list is shown or saved. */
const LINK_PROTOCOLS = ['http:', 'https:', 'mailto:', 'tel:'];

/**
 * `href` resolved against `base` when it is an http(s), mailto or tel URL; otherwise
 * undefined (`javascript:`, `data:`, `vbscript:`, `file:`, unparsable…). The URL parser strips
 * the tabs, newlines and leading spaces that are used to disguise `javascript:`.
 */
export function safeUrl(
  href: string,
  base: string,
  protocols = LINK_PROTOCOLS,
): string | undefined {
  try {
    const url = new URL(href, base);
    return protocols.includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Image sources: http(s) only. */
export const IMAGE_PROTOCOLS = ['http:', 'https:'];
