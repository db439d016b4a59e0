import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { en } from './locales/en.js';
import { vi } from './locales/vi.js';

/** Plural forms, chosen with `Intl.PluralRules` from the `count` parameter. */
export interface Plural {
  one: string;
  other: string;
}

/**
 * `T` where a plural may be one string: for a language without plural forms (Vietnamese,
 * Chinese…), whose `Intl.PluralRules` only ever pick `other`.
 */
export type Relaxed<T> = { [K in keyof T]: T[K] extends Plural ? Plural | string : T[K] };

/** A widget's own strings: one dictionary per built-in language (each must have every key). */
export interface Strings<T> {
  vi: Relaxed<T>;
  en: T;
}

/**
 * The strings every widget shares (loading, errors, retry). Each widget carries its own strings
 * in `civic-<widget>.strings.ts`, which registers them with {@link addStrings} when it loads.
 */
export interface CoreTranslation {
  /** Primary language subtag served by this dictionary (`vi`, `en`). */
  $code: string;
  /** BCP 47 locale used for `Intl` (`vi-VN` prints 414.428). */
  $locale: string;
  loading: string;
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

/**
 * A complete dictionary for {@link registerTranslation}: the shared strings and every widget's.
 * The core names no widget: each widget's strings module adds its keys by declaration merging,
 * ```ts
 * declare module '../../client/i18n/localize.js' {
 *   interface Translation extends PollStrings {}
 * }
 * ```
 */
export interface Translation extends CoreTranslation {}

type CoreKey = Exclude<keyof CoreTranslation, '$code' | '$locale'>;
/** A shared key, or one of the widget's own (`S`: its strings). */
export type TermKey<S = unknown> = CoreKey | (keyof S & string);
export type TermParams = Record<string, string | number>;

/** A dictionary as looked up: a plain-JS one may lack keys. */
type Lookup = Relaxed<CoreTranslation> & Partial<Record<string, string | Plural>>;

/** The built-in dictionaries: the shared strings, plus each widget's as its strings module loads. */
const builtIn: Record<string, Lookup> = { vi: { ...vi }, en: { ...en } };
const translations = new Map(Object.entries(builtIn));
const controllers = new Set<LocalizeController>();
const formats = new Map<string, unknown>();
let documentObserver: MutationObserver | undefined;
const updateAll = () => controllers.forEach((c) => c.host.requestUpdate());

/**
 * Adds a widget's own strings to the built-in Vietnamese and English dictionaries; its
 * `civic-<widget>.strings.ts` calls this when it loads, before the widget is defined.
 */
export function addStrings<S>(strings: Strings<S>): void {
  for (const code in strings) Object.assign(builtIn[code]!, strings[code as keyof Strings<S>]);
}

/** Adds or replaces dictionaries (keyed by `$code`); connected widgets re-render. */
export function registerTranslation(...list: Relaxed<Translation>[]): void {
  for (const t of list) translations.set(t.$code.toLowerCase(), t);
  updateAll();
}

/**
 * The element's language: its own `lang`, else the closest ancestor's (crossing shadow roots),
 * which includes `<html lang>`; else `en`.
 */
export function resolveLang(el: Element): string {
  for (let node: Node | null = el; node;) {
    const lang = node instanceof Element ? node.getAttribute('lang') : null;
    if (lang) return lang;
    node = node instanceof ShadowRoot ? node.host : node.parentNode;
  }
  return document.documentElement.lang || 'en';
}

/** `vi*` → Vietnamese; other registered primary subtags → theirs; everything else → English. */
export function translationFor(lang: string): Lookup {
  return translations.get(lang.toLowerCase().split(/[-_]/)[0]) ?? builtIn.en;
}

/**
 * Gives a Lit element its strings and number formats, and re-renders it when `lang` changes on
 * the element, an ancestor or `<html>`. `S`: the widget's own strings, the keys {@link term}
 * accepts besides the shared ones.
 */
export class LocalizeController<S = unknown> implements ReactiveController {
  private observer?: MutationObserver;

  constructor(readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    controllers.add(this);
    // Every widget re-renders: one inside this host's shadow root (the comment form's captcha)
    // inherits its lang too.
    this.observer ??= new MutationObserver(updateAll);
    // An `attributeFilter` implies `attributes: true`.
    this.observer.observe(this.host, { attributeFilter: ['lang'] });
    if (!documentObserver) {
      documentObserver = new MutationObserver(updateAll);
      documentObserver.observe(document.documentElement, {
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

  /** The dictionary in effect for the host (for a built-in language: the shared strings only). */
  get translation(): Lookup {
    return translationFor(this.lang);
  }

  /**
   * A translated string: from the dictionary for the language (a registered one, else the
   * built-in one), else from the built-in one for that language, else English, else the key
   * itself.
   * `%{name}` placeholders are replaced from `params` (numbers are formatted); plural entries
   * pick `one`/`other` from `params.count`.
   */
  term(key: TermKey<S>, params: TermParams = {}): string {
    const t = this.translation;
    const entry = t[key] ?? builtIn[t.$code]?.[key] ?? builtIn.en[key] ?? key;
    const text =
      typeof entry === 'string'
        ? entry
        : entry[
            this.format(Intl.PluralRules).select(Number(params.count ?? 0)) === 'one'
              ? 'one'
              : 'other'
          ];
    return text.replace(/%\{(\w+)\}/g, (match, name: string) => {
      const value = params[name];
      return value === undefined ? match : typeof value === 'number' ? this.number(value) : value;
    });
  }

  /** `n` formatted for the host's locale (vi: 414.428, en: 414,428). */
  number(n: number, options?: Intl.NumberFormatOptions): string {
    return this.format(Intl.NumberFormat, options).format(n);
  }

  /** A date-time (ISO string) formatted for the host's locale, e.g. `{ dateStyle: 'long' }`. */
  date(iso: string, options: Intl.DateTimeFormatOptions): string {
    return this.format(Intl.DateTimeFormat, options).format(new Date(iso));
  }

  /** An `Intl` formatter for the host's locale, made once per locale and options. */
  format<F, O>(Format: new (locale: string, options?: O) => F, options?: O): F {
    const locale = this.translation.$locale;
    const key = `${Format.name}|${locale}|${JSON.stringify(options)}`;
    let f = formats.get(key) as F | undefined;
    if (!f) formats.set(key, (f = new Format(locale, options)));
    return f;
  }
}
