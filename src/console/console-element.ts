import { html, nothing, type CSSResultGroup, type TemplateResult } from 'lit';
import { toApiError } from '../client/api-client.js';
import { CivicElement } from '../client/civic-element.js';
import type { TermParams } from '../client/i18n/localize.js';
import { baseStyles } from '../client/styles/base.styles.js';
import { consoleStyles } from './console.styles.js';
import './console.strings.js';
import type { ConsoleStrings } from './console.strings.js';
import { LoadController, type LoadOptions } from './load-controller.js';

/**
 * Base of the console's elements: the widgets' base element (localized strings that follow
 * `<html lang>`, one polite live region through `announce()`, `emit()`), the widgets' tokens and
 * the console's shared styles. `site` (from CivicElement) is the site the screen shows. `S`: a
 * screen's own strings (its `*.strings.ts` registers them), besides the shared console strings.
 */
export class ConsoleElement<S = unknown> extends CivicElement<ConsoleStrings & S> {
  static override styles: CSSResultGroup = [baseStyles, consoleStyles];

  /** A console string in the page's language. */
  protected t(key: keyof (ConsoleStrings & S) & string, params?: TermParams): string {
    return this.localize.term(key, params);
  }

  /** The localized message for a failed request. */
  protected messageFor(e: unknown): string {
    const err = toApiError(e);
    if (err.status === 401) return this.t('sessionExpired');
    if (err.status === 403) return this.t('forbidden');
    if (err.code === 'ban_unavailable') return this.t('banUnavailable');
    // A refused write: the server's own words say what was wrong with it.
    if (err.status === 400 || err.status === 409) return `${this.t('actionFailed')} ${err.message}`;
    return this.errorText(err);
  }

  /** A load cycle for this screen (`LoadController`); a failed load is said in the console's words. */
  protected loader<T>(options: Omit<LoadOptions<T>, 'describe' | 'announce'>): LoadController<T> {
    return new LoadController<T>(this, {
      describe: (e) => this.messageFor(e),
      announce: (message) => this.announce(message),
      ...options,
    });
  }

  /**
   * What stands for the content while there is none to show: the failed load with a retry
   * button, or "loading" during the first load (`shown`: the screen has content). Undefined when
   * the content is to be rendered.
   */
  protected renderLoadState(
    loads: LoadController<unknown>,
    shown: boolean,
  ): TemplateResult | undefined {
    if (loads.error) {
      return html`<div role="alert"><p class="error">${loads.error}</p></div>
        <p><button type="button" @click=${() => loads.load()}>${this.t('retry')}</button></p>`;
    }
    return loads.loading && !shown ? this.renderLoading() : undefined;
  }

  /** The "loading" line (busy). */
  protected renderLoading(): TemplateResult {
    return html`<p aria-busy="true">${this.localize.term('loading')}</p>`;
  }

  /** The "load more" button under a paged list, while there is a next page. */
  protected renderLoadMore(
    loads: LoadController<unknown>,
    next: string | null,
  ): TemplateResult | typeof nothing {
    return next
      ? html`<p>
          <button type="button" ?disabled=${loads.loading} @click=${() => loads.load(true)}>
            ${this.t('loadMore')}
          </button>
        </p>`
      : nothing;
  }
}
