import { html, nothing, type CSSResultGroup, type TemplateResult } from 'lit';
import { toApiError } from '../client/api-client.js';
import { CivicElement } from '../client/civic-element.js';
import type { TermParams } from '../client/i18n/localize.js';
import { baseStyles } from '../client/styles/base.styles.js';
import { consoleStyles } from './console.styles.js';
import './console.strings.js';
import type { ConsoleStrings } from './console.strings.js';
import { LoadController, type LoadOptions } from './load-controller.js';

/** A question put inline before a change that cannot be undone (`renderConfirm`). */
export interface Confirmation {
  /** The id of the confirming button, which takes the focus when the question is shown. */
  id: string;
  /** The confirming button's words. */
  confirm: string;
  onConfirm: () => unknown;
  onCancel: () => unknown;
  /** The question shown before the buttons; it names the group of both. */
  question?: string;
  /** The question's id (default: `<id>-question`). */
  questionId?: string;
  /** `aria-describedby` of the confirming button, e.g. the card it acts on. */
  describedBy?: string;
  /** The change is under way: the confirming button says so (`aria-disabled`). */
  busy?: boolean;
}

/** A copy of `set` with `key` in it (`on`) or not. */
export function toggled<K>(set: ReadonlySet<K>, key: K, on: boolean): Set<K> {
  const copy = new Set(set);
  if (on) copy.add(key);
  else copy.delete(key);
  return copy;
}

/** A copy of `map` with `key` set to `value`, or without `key` when there is no value. */
export function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value?: V): Map<K, V> {
  const copy = new Map(map);
  if (value) copy.set(key, value);
  else copy.delete(key);
  return copy;
}

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

  /** Focuses the element matching `selector` once the pending update is rendered. */
  protected async focusOn(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  /** The question, the confirming button and "Cancel", in a row. */
  protected renderConfirm(c: Confirmation): TemplateResult {
    const questionId = c.questionId ?? `${c.id}-question`;
    return html`<div
      class="row"
      role=${c.question ? 'group' : nothing}
      aria-labelledby=${c.question ? questionId : nothing}
    >
      ${c.question ? html`<p id=${questionId}>${c.question}</p>` : nothing}
      <button
        id=${c.id}
        class="primary"
        type="button"
        aria-describedby=${c.describedBy ?? nothing}
        aria-disabled=${c.busy === undefined ? nothing : c.busy ? 'true' : 'false'}
        @click=${c.onConfirm}
      >
        ${c.confirm}
      </button>
      <button type="button" @click=${c.onCancel}>${this.t('cancel')}</button>
    </div>`;
  }

  /**
   * A form's error summary (`message`, and `more` under it): a live region that is always there,
   * so that what appears in it is announced.
   */
  protected renderAlert(message: string, more: unknown = nothing): TemplateResult {
    return html`<div role="alert">${message ? html`<p class="error">${message}</p>` : nothing}${more}</div>`;
  }
}
