import type { CSSResultGroup } from 'lit';
import { toApiError } from '../client/api-client.js';
import { CivicElement } from '../client/civic-element.js';
import type { TermParams } from '../client/i18n/localize.js';
import { baseStyles } from '../client/styles/base.styles.js';
import { consoleStyles } from './console.styles.js';
import './console.strings.js';
import type { ConsoleStrings } from './console.strings.js';

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
}
