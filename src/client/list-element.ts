import type { PropertyDeclarations, PropertyValues } from 'lit';
import { safeUrl } from '../shared/lists.js';
import { ApiError, toApiError } from './api-client.js';
import { CivicElement, type CivicErrorDetail } from './civic-element.js';

/** Whitespace collapsed and trimmed. */
export const clean = (s: string | null | undefined): string =>
  (s ?? '').replace(/\s+/g, ' ').trim();

/** `href` resolved against the page when it is http(s), mailto or tel; otherwise undefined. */
export const pageUrl = (href: unknown): string | undefined =>
  typeof href === 'string' ? safeUrl(href, document.baseURI) : undefined;

/** An http(s) URL on another origin than the page's. */
export const isExternal = (href: string): boolean =>
  /^https?:/.test(href) && new URL(href).origin !== location.origin;

/**
 * Base of the list widgets (`<civic-marquee>`, `<civic-link-list>`): items come from the light
 * DOM (progressive enhancement: read on upgrade and again whenever it changes) or, with
 * `source`, from the server (the subclass's {@link fetchList}). The light-DOM items show until
 * the list arrives; if it fails they stay (and `civic-error` fires); only when there is nothing to
 * show does the widget enter its error state (message + fallback).
 */
export abstract class ListElement<T, S> extends CivicElement<S> {
  static override properties: PropertyDeclarations = {
    source: {},
    items: { state: true },
    loading: { state: true },
  };

  /** Name of a list managed on the server; without it, the light-DOM content is the list. */
  source = '';

  protected items: T[] = [];
  /** True while `source` is being fetched. */
  protected loading = false;

  /** Fetches the list named `source` (`base`: the site's API URL, from `apiUrl()`). */
  protected abstract readonly fetchList: (
    base: string,
    source: string,
    signal: AbortSignal,
  ) => Promise<{ items?: unknown }>;
  /** Items from the light DOM. */
  protected abstract readLight(): T[];
  /** One item of the server's list (its `text` is a non-empty string), or undefined to drop it. */
  protected abstract fromServer(raw: Record<string, unknown> & { text: string }): T | undefined;

  private fromSource = false;
  private loadedKey?: string;
  private seq = 0;
  private readonly lightObserver = new MutationObserver(() => {
    if (!this.fromSource) this.items = this.readLight();
  });

  override connectedCallback(): void {
    super.connectedCallback();
    // Also catches children parsed after the upgrade (classic script in <head>) and CMS edits.
    this.lightObserver.observe(this, {
      childList: true,
      subtree: true,
      characterData: true,
      attributeFilter: ['href', 'src', 'alt', 'data-group'],
    });
    if (!this.fromSource) this.items = this.readLight();
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.lightObserver.disconnect();
    this.loadedKey = undefined;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const key = `${this.source}|${this.siteId}|${this.api ?? ''}`;
    if (key !== this.loadedKey) {
      this.loadedKey = key;
      void this.load();
    }
  }

  private async load(): Promise<void> {
    const seq = ++this.seq;
    const source = this.source;
    if (!source) {
      if (this.fromSource) this.items = this.readLight();
      this.fromSource = false;
      return;
    }
    this.loading = true;
    await this.guard(async (signal) => {
      try {
        const res = await this.fetchList(this.apiUrl(), source, signal);
        if (!Array.isArray(res?.items)) throw new ApiError('bad_response', 'Not a list');
        if (seq !== this.seq) return;
        this.items = res.items.flatMap((raw) => {
          const item =
            raw && typeof raw === 'object' && clean(raw.text)
              ? this.fromServer({ ...raw, text: clean(raw.text) })
              : undefined;
          return item ? [item] : [];
        });
        this.fromSource = true;
        this.recover();
      } catch (e) {
        if (seq !== this.seq) return;
        const err = toApiError(e);
        if (!this.items.length || err.code === 'aborted') throw err;
        this.emit<CivicErrorDetail>('civic-error', {
          code: err.code,
          message: this.errorText(err),
        });
      } finally {
        if (seq === this.seq) this.loading = false;
      }
    });
  }
}
