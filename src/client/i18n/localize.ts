import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { en } from './locales/en.js';
import { vi } from './locales/vi.js';

/** Plural forms, chosen with `Intl.PluralRules` from the `count` parameter. */
export interface Plural {
  one: string;
  other: string;
}

/** One dictionary per locale; every locale must provide every key. */
export interface Translation {
  /** Primary language subtag served by this dictionary (`vi`, `en`). */
  $code: string;
  /** BCP 47 locale used for `Intl` (`vi-VN` prints 414.428). */
  $locale: string;
  loading: string;
  visitsTotal: string;
  visitsToday: string;
  visitsMonth: string;
  visitsOnline: string;
  errorNetwork: string;
  errorTimeout: string;
  errorServer: string;
  errorBadResponse: string;
  errorRateLimited: string;
  errorNotFound: string;
  errorGeneric: string;
  retryLater: string;
  /** `%{count}` seconds. */
  retryIn: Plural;
}

export type TermKey = Exclude<keyof Translation, '$code' | '$locale'>;
export type TermParams = Record<string, string | number>;

const translations = new Map<string, Translation>([
  ['vi', vi],
  ['en', en],
]);
const controllers = new Set<LocalizeController>();
const formats = new Map<string, Intl.NumberFormat | Intl.PluralRules>();
let documentObserver: MutationObserver | undefined;

/** Adds or replaces dictionaries (keyed by `$code`); connected widgets re-render. */
export function registerTranslation(...list: Translation[]): void {
  for (const t of list) translations.set(t.$code.toLowerCase(), t);
  controllers.forEach((c) => c.host.requestUpdate());
}

/**
 * The element's language: its own `lang`, else the closest ancestor's (crossing shadow roots),
 * which includes `<html lang>`; else `en`.
 */
export function resolveLang(el: Element): string {
  for (let node: Node | null = el; node; ) {
    const lang = node instanceof Element ? node.getAttribute('lang') : null;
    if (lang) return lang;
    node = node instanceof ShadowRoot ? node.host : node.parentNode;
  }
  return document.documentElement.lang || 'en';
}

/** `vi*` → Vietnamese; other registered primary subtags → theirs; everything else → English. */
export function translationFor(lang: string): Translation {
  return translations.get(lang.toLowerCase().split(/[-_]/)[0]) ?? en;
}

function cached<T extends Intl.NumberFormat | Intl.PluralRules>(key: string, make: () => T): T {
  let f = formats.get(key) as T | undefined;
  if (!f) formats.set(key, (f = make()));
  return f;
}

/**
 * Gives a Lit element its strings and number formats, and re-renders it when `lang` changes on
 * the element, an ancestor or `<html>`.
 */
export class LocalizeController implements ReactiveController {
  private observer?: MutationObserver;

  constructor(readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    controllers.add(this);
    const update = () => this.host.requestUpdate();
    this.observer ??= new MutationObserver(update);
    this.observer.observe(this.host, { attributes: true, attributeFilter: ['lang'] });
    if (!documentObserver) {
      documentObserver = new MutationObserver(() =>
        controllers.forEach((c) => c.host.requestUpdate()),
      );
      documentObserver.observe(document.documentElement, {
        attributes: true,
        attributeFilter: ['lang'],
        subtree: true,
      });
    }
  }

  hostDisconnected(): void {
    controllers.delete(this);
    this.observer?.disconnect();
    if (!controllers.size) {
      documentObserver?.disconnect();
      documentObserver = undefined;
    }
  }

  /** The `lang` in effect for the host, as written (`vi-VN`, `en`, `fr`…). */
  get lang(): string {
    return resolveLang(this.host);
  }

  /** The dictionary in effect for the host. */
  get translation(): Translation {
    return translationFor(this.lang);
  }

  /**
   * A translated string. `%{name}` placeholders are replaced from `params` (numbers are
   * formatted); plural entries pick `one`/`other` from `params.count`.
   */
  term(key: TermKey, params: TermParams = {}): string {
    const t = this.translation;
    const entry = t[key] ?? en[key];
    const text =
      typeof entry === 'string'
        ? entry
        : entry[this.pluralRule(Number(params.count ?? 0), t.$locale) === 'one' ? 'one' : 'other'];
    return text.replace(/%\{(\w+)\}/g, (match, name: string) => {
      const value = params[name];
      return value === undefined ? match : typeof value === 'number' ? this.number(value) : value;
    });
  }

  /** `n` formatted for the host's locale (vi: 414.428, en: 414,428). */
  number(n: number, options?: Intl.NumberFormatOptions): string {
    const locale = this.translation.$locale;
    return cached(
      `n|${locale}|${options ? JSON.stringify(options) : ''}`,
      () => new Intl.NumberFormat(locale, options),
    ).format(n);
  }

  private pluralRule(n: number, locale: string): Intl.LDMLPluralRule {
    return cached(`p|${locale}`, () => new Intl.PluralRules(locale)).select(n);
  }
}
