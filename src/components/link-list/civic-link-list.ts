import { html, nothing } from 'lit';
import type { PropertyDeclarations, PropertyValues, TemplateResult } from 'lit';
import { IMAGE_PROTOCOLS, safeUrl } from '../../shared/lists.js';
import { clean, isExternal, ListElement, pageUrl } from '../../client/list-element.js';
import { baseStyles } from '../../client/styles/base.styles.js';
import { getLinks } from './civic-link-list.api.js';
import { styles } from './civic-link-list.styles.js';
import './civic-link-list.strings.js';
import type { LinkListStrings } from './civic-link-list.strings.js';

/** One link as shown. */
export interface Link {
  text: string;
  href: string;
  group?: string;
  image?: string;
  alt?: string;
}

/** `detail` of the cancelable `civic-navigate` event. */
export interface CivicNavigateDetail {
  href: string;
  text: string;
  external: boolean;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'civic-navigate': CustomEvent<CivicNavigateDetail>;
  }
}

/**
 * @summary List of links: a plain list, an accessible jump menu, or image banners.
 * @tag civic-link-list
 * @status experimental
 *
 * Only http(s), mailto and tel links are kept. Links to another origin get
 * `rel="noopener noreferrer"` and an "external" marker (an arrow, and "(liên kết ngoài)" /
 * "(external link)" for screen readers; in the select, the text in the option). The `select`
 * variant is a labelled `<select>` (groups as `<optgroup>`) and a "Đi" / "Go" button: choosing
 * an option never navigates (WCAG 3.2.2), the button does. An empty list renders nothing.
 *
 * @slot - The links (fallback before upgrade, and the content when there is no `source`): every
 *   `<a href>`; an `<img>` inside is the banner; `data-group` on the link or an ancestor groups it.
 * @csspart base - Wrapper (`<nav>` when `label` is set in the list/banners variants).
 * @csspart list - The `<ul>`.
 * @csspart item - Each `<li>`.
 * @csspart link - Each `<a>`.
 * @csspart image - Each banner image.
 * @csspart external - The external-link marker.
 * @csspart label - The select's label.
 * @csspart select - The `<select>`.
 * @csspart go-button - "Đi".
 * @cssprop --civic-link-list-link-color - Link colour (default `--civic-color-primary`).
 * @cssprop --civic-link-list-link-color-dark - The same in the dark scheme (a light-only value never reaches it).
 * @cssprop --civic-link-list-gap - Space between links (default `--civic-space-s`).
 * @cssprop --civic-link-list-banner-ratio - Width / height reserved for a banner (default 10 / 3).
 * @cssprop --civic-link-list-banner-border - Banner border (default 1px solid `--civic-color-border`).
 * @fires {CustomEvent<{ href: string; text: string; external: boolean }>} civic-navigate - The select's button was pressed; cancelable (then nothing happens).
 * @fires {CustomEvent<{ code: string; message: string }>} civic-error - The `source` list could not be loaded.
 */
export class CivicLinkList extends ListElement<Link, LinkListStrings> {
  static styles = [baseStyles, styles];
  static override properties: PropertyDeclarations = {
    variant: { reflect: true },
    inline: { type: Boolean, reflect: true },
    label: {},
  };

  /** `list` (default), `select` or `banners`. */
  variant: 'list' | 'select' | 'banners' = 'list';

  /** List variant: links side by side instead of one per line. */
  inline = false;

  /** Name of the list: the `<nav>` label (list, banners) or the select's label. */
  label = '';

  protected readonly fetchList = getLinks;
  private warned = false;

  /** Goes to `href` (the select's button); override to route differently. */
  navigate(href: string): void {
    location.assign(href);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const noAlt = this.items.filter((l) => l.image && !l.alt);
    if (noAlt.length && !this.warned && this.variant === 'banners') {
      this.warned = true;
      console.warn(
        '[civic-widgets] <civic-link-list>: banner image without alt; using the link text:',
        noAlt.map((l) => l.href),
      );
    }
  }

  protected readLight(): Link[] {
    return [...this.querySelectorAll('a')].flatMap((a) => {
      const href = pageUrl(a.getAttribute('href'));
      if (!href) return [];
      const img = a.querySelector('img[src]') as HTMLImageElement | null;
      const group = a.closest('[data-group]');
      return {
        text: clean(a.textContent) || clean(img?.alt) || new URL(href).host || href,
        href,
        group: (group && this.contains(group) && group.getAttribute('data-group')) || undefined,
        image: img ? safeUrl(img.src, location.href, IMAGE_PROTOCOLS) : undefined,
        alt: clean(img?.alt) || undefined,
      };
    });
  }

  protected fromServer(raw: Record<string, unknown> & { text: string }): Link | undefined {
    const href = pageUrl(raw.href);
    const str = (v: unknown) => (typeof v === 'string' && clean(v)) || undefined;
    const image = str(raw.image);
    return href
      ? {
          text: raw.text,
          href,
          group: str(raw.group),
          // Relative image paths are on the widget server.
          image: image && safeUrl(image, `${this.apiUrl()}/`, IMAGE_PROTOCOLS),
          alt: str(raw.alt),
        }
      : undefined;
  }

  private handleGo(): void {
    const link = this.items[Number(this.renderRoot.querySelector('select')?.value)];
    if (!link) return;
    const detail: CivicNavigateDetail = {
      href: link.href,
      text: link.text,
      external: isExternal(link.href),
    };
    if (this.emit('civic-navigate', detail, true)) this.navigate(link.href);
  }

  render(): TemplateResult | typeof nothing {
    const { items, variant } = this;
    if (!items.length) return nothing;
    if (variant === 'select') return this.renderSelect();
    const banners = variant === 'banners';
    // Templates are written tight: the build ships their whitespace as is. role=list stays:
    // Safari drops the list semantics of a list styled without markers.
    // eslint-disable-next-line lit-a11y/no-redundant-role
    const list = html`<ul part="list" role="list" class=${banners ? 'banners' : this.inline ? 'inline' : ''}>${items.map(
      (l) => {
        const external = isExternal(l.href);
        return html`<li part="item"><a part="link" href=${l.href} rel=${external ? 'noopener noreferrer' : nothing}>${
          banners && l.image
            ? html`<img part="image" src=${l.image} alt=${l.alt || l.text}>`
            : l.text
        }${
          external
            ? html`<span part="external"><span aria-hidden="true">↗</span><span class="visually-hidden"> ${this.localize.term('linksExternal')}</span></span>`
            : nothing
        }</a></li>`;
      },
    )}</ul>`;
    return this.label
      ? html`<nav part="base" aria-label=${this.label}>${list}</nav>`
      : html`<div part="base">${list}</div>`;
  }

  private renderSelect(): TemplateResult {
    const t = this.localize;
    const groups = new Map<string, TemplateResult[]>();
    this.items.forEach((l, i) => {
      const text = isExternal(l.href) ? `${l.text} ${t.term('linksExternal')}` : l.text;
      const key = l.group ?? `\0${i}`;
      groups.set(key, [...(groups.get(key) ?? []), html`<option value=${i}>${text}</option>`]);
    });
    return html`<div part="base" class="jump"><label part="label" for="links">${this.label || t.term('linksChoose')}</label><div class="row"><select part="select" id="links">${[
      ...groups,
    ].map(([group, options]) =>
      group.startsWith('\0') ? options : html`<optgroup label=${group}>${options}</optgroup>`,
    )}</select><button part="go-button" type="button" @click=${this.handleGo}>${t.term('linksGo')}</button></div></div>`;
  }
}

CivicLinkList.define('civic-link-list');

declare global {
  interface HTMLElementTagNameMap {
    'civic-link-list': CivicLinkList;
  }
}
