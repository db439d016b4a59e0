import { LitElement } from 'lit';
import type { CSSResultGroup, PropertyDeclarations, PropertyValues } from 'lit';
import { API_PREFIX } from '../shared/api-types.js';
import { ApiError, toApiError } from './api-client.js';
import { config, scriptOrigin } from './config.js';
import { LocalizeController } from './i18n/localize.js';
import { baseStyles } from './styles/base.styles.js';

/** `detail` of the `civic-error` event. */
export interface CivicErrorDetail {
  code: string;
  /** The localized message shown in the widget. */
  message: string;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'civic-error': CustomEvent<CivicErrorDetail>;
  }
}

const warned = new Set<string>();

function element(tag: string, attributes: Record<string, string> = {}): HTMLElement {
  const el = document.createElement(tag);
  for (const name in attributes) el.setAttribute(name, attributes[name]!);
  return el;
}

/**
 * Base class of every widget.
 *
 * - `define()` never throws on a second load; `emit()` dispatches bubbling, composed events.
 * - Shadow root layout: `[part=error]` (hidden) · `.content` (the Lit render root) · one polite
 *   live region. The error box and the live region are plain DOM outside Lit's template, so they
 *   keep working even when `render()` throws.
 * - No error escapes into the host page: exceptions in the update cycle and in work run through
 *   {@link guard} hide the content, show a localized `[part=error-message]` plus the light-DOM
 *   fallback `<slot>`, set the host attribute `error`, announce the message and fire `civic-error`.
 * - `S`: the type of the widget's own strings (its `civic-<widget>.strings.ts` registers them),
 *   read with `this.localize.term(key)`.
 *
 * Every widget inherits the parts, properties and attributes below (custom-elements.json lists
 * them under each tag). Each colour token has a dark counterpart (`-dark`): the light value is
 * used only in the light scheme, the dark one only in the dark scheme, each falling back to its
 * built-in default (`base.styles.ts`).
 *
 * @csspart error - Error box: the localized message and the fallback slot.
 * @csspart error-message - The localized error message.
 * @cssprop --civic-color-primary - Accent: links, buttons, focus ring, bars.
 * @cssprop --civic-color-primary-dark - The accent in the dark scheme.
 * @cssprop --civic-color-on-primary - Text on a primary-coloured button (default black or white, whichever contrasts).
 * @cssprop --civic-color-on-primary-dark - The same in the dark scheme.
 * @cssprop --civic-color-text - Text on the widget's own background.
 * @cssprop --civic-color-text-dark - Text in the dark scheme.
 * @cssprop --civic-color-muted - Secondary text.
 * @cssprop --civic-color-muted-dark - Secondary text in the dark scheme.
 * @cssprop --civic-color-surface - The widget's background.
 * @cssprop --civic-color-surface-dark - The background in the dark scheme.
 * @cssprop --civic-color-border - Borders and input outlines.
 * @cssprop --civic-color-border-dark - Borders in the dark scheme.
 * @cssprop --civic-color-danger - Error text and borders.
 * @cssprop --civic-color-danger-dark - Errors in the dark scheme.
 * @cssprop --civic-color-scheme - `light` or `dark` forces a scheme (default `light dark`: the visitor's preference).
 * @cssprop --civic-font-size - Base font size (default 1em: the page's).
 * @cssprop --civic-radius - Corner radius (default 4px).
 * @cssprop --civic-space-s - Small spacing (default .25rem).
 * @cssprop --civic-space-m - Medium spacing (default .5rem).
 * @cssprop --civic-space-l - Large spacing (default 1rem).
 */
export class CivicElement<S = unknown> extends LitElement {
  static styles: CSSResultGroup = baseStyles;

  static override properties: PropertyDeclarations = { site: {}, api: {} };

  /** Registers `tag` unless it is already defined (e.g. the script was loaded twice). */
  static define(tag: string): void {
    try {
      if (!customElements.get(tag)) return customElements.define(tag, this);
    } catch {
      // Invalid name or this constructor already registered: fall through to the warning.
    }
    if (!warned.has(tag)) {
      warned.add(tag);
      console.warn(`[civic-widgets] <${tag}> is already defined; keeping the first definition.`);
    }
  }

  /** Site identifier on the server; defaults to the loader's `data-site`. */
  declare site?: string;

  /** API origin; defaults to the loader's `data-api`, else the script's own origin. */
  declare api?: string;

  protected readonly localize = new LocalizeController<S>(this);

  private failure?: ApiError;
  private readonly failureBox = element('div', { part: 'error', hidden: '' });
  private readonly failureText = element('p', { part: 'error-message' });
  private readonly fallbackSlot = element('slot');
  private readonly content = element('div', { class: 'content' });
  private readonly liveRegion = element('div', {
    class: 'visually-hidden',
    role: 'status',
    'aria-live': 'polite',
  });
  private announceTimer?: ReturnType<typeof setTimeout>;
  private aborter?: AbortController;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.aborter?.abort();
    this.aborter = undefined;
    clearTimeout(this.announceTimer);
  }

  /** Dispatches a bubbling, composed `CustomEvent`; false when a `cancelable` one was cancelled. */
  emit<T>(name: string, detail?: T, cancelable = false): boolean {
    return this.dispatchEvent(
      new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }),
    );
  }

  /** Reads `text` out through the widget's single polite live region. */
  announce(text: string): void {
    const live = this.liveRegion;
    // Clear first so that repeating the same message is announced again.
    live.textContent = '';
    clearTimeout(this.announceTimer);
    this.announceTimer = setTimeout(() => (live.textContent = text), 50);
  }

  /** Aborted when the element is disconnected; pass it to every request. */
  protected get signal(): AbortSignal {
    return (this.aborter ??= new AbortController()).signal;
  }

  /** The site in effect: the `site` property/attribute, else the configured site. */
  protected get siteId(): string {
    return this.site || config.site || '';
  }

  /**
   * `{api}/api/v1/sites/{site}` for this element, the base URL that the functions of a widget's
   * `civic-<widget>.api.ts` take; the API is the `api` property/attribute, else the configured
   * API, else the script's own origin.
   */
  protected apiUrl(): string {
    const site = this.siteId;
    if (!site) throw new ApiError('no_site', 'No site configured');
    const api = (this.api || config.api || scriptOrigin()).replace(/\/+$/, '');
    return `${api}${API_PREFIX}/sites/${encodeURIComponent(site)}`;
  }

  /** Runs `work`; any exception becomes the widget's error state. Never rejects. */
  protected async guard<T>(work: (signal: AbortSignal) => Promise<T> | T): Promise<T | undefined> {
    try {
      return await work(this.signal);
    } catch (e) {
      this.fail(e);
      return undefined;
    }
  }

  /** Shows the localized error and the fallback, announces it and fires `civic-error`. */
  protected fail(e: unknown): void {
    const err = toApiError(e);
    if (err.code === 'aborted') return;
    this.failure = err;
    const message = this.showFailure(err);
    this.announce(message);
    this.emit<CivicErrorDetail>('civic-error', { code: err.code, message });
  }

  /** Leaves the error state (e.g. a later request succeeded). */
  protected recover(): void {
    if (!this.failure) return;
    this.failure = undefined;
    this.toggleAttribute('error', false);
    this.failureBox.hidden = true;
    this.fallbackSlot.remove();
    this.content.hidden = false;
  }

  /** Whether the widget currently shows an error. */
  protected get failed(): boolean {
    return !!this.failure;
  }

  /** The short localized message for an error. */
  protected errorText(e: ApiError): string {
    const { code, status } = e;
    const t = this.localize;
    const s = Math.ceil((e.retryAfterMs ?? 0) / 1000);
    // One lookup for every message but "rate limited" (0), which adds when to retry.
    const key =
      code === 'network' || code === 'offline'
        ? 'errorNetwork'
        : code === 'timeout'
          ? 'errorTimeout'
          : code === 'bad_response'
            ? 'errorBadResponse'
            : status === 429 || code === 'rate_limited'
              ? 0
              : status === 404 || code.endsWith('not_found')
                ? 'errorNotFound'
                : status >= 500 || code === 'server_error'
                  ? 'errorServer'
                  : 'errorGeneric';
    return key
      ? t.term(key)
      : `${t.term('errorRateLimited')} ${t.term(s ? 'retryIn' : 'retryLater', { count: s })}`;
  }

  protected override createRenderRoot(): HTMLElement {
    const root = super.createRenderRoot() as ShadowRoot;
    this.renderOptions.renderBefore = null;
    this.failureBox.append(this.failureText);
    root.append(this.failureBox, this.content, this.liveRegion);
    return this.content;
  }

  protected override scheduleUpdate(): void | Promise<unknown> {
    try {
      return super.scheduleUpdate();
    } catch (e) {
      this.fail(e);
    }
  }

  protected override update(changed: PropertyValues): void {
    // Re-localize a shown error (e.g. after a `lang` change).
    if (this.failure) this.showFailure(this.failure);
    super.update(changed);
  }

  private showFailure(err: ApiError): string {
    const message = (this.failureText.textContent = this.errorText(err));
    // The fallback slot comes first in tree order, so it takes the light-DOM children.
    this.failureBox.append(this.fallbackSlot);
    this.failureBox.hidden = false;
    this.content.hidden = true;
    // On the host for the page's CSS, and so that the loader's reserved room (src/reserve.ts) goes.
    this.toggleAttribute('error', true);
    return message;
  }
}
