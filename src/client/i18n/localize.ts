import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { en } from './locales/en.js';
import { vi } from './locales/vi.js';
import type { CaptchaStrings } from '../../components/captcha/civic-captcha.strings.js';
import type { CommentsStrings } from '../../components/comments/civic-comments.strings.js';
import type { LinkListStrings } from '../../components/link-list/civic-link-list.strings.js';
import type { MarqueeStrings } from '../../components/marquee/civic-marquee.strings.js';
import type { PollStrings } from '../../components/poll/civic-poll.strings.js';
import type { VisitCounterStrings } from '../../components/visit-counter/civic-visit-counter.strings.js';

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
 * in `civic-<widget>.strings.ts` and passes them to its controller.
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

/** A complete dictionary for {@link registerTranslation}: the shared strings and every widget's. */
export type Translation = CoreTranslation &
  VisitCounterStrings &
  MarqueeStrings &
  LinkListStrings &
  CaptchaStrings &
  PollStrings &
  CommentsStrings;

type CoreKey = Exclude<keyof CoreTranslation, '$code' | '$locale'>;
/** A shared key, or one of the widget's own (`S`: its strings). */
export type TermKey<S = unknown> = CoreKey | keyof S;
export type TermParams = Record<string, string | number>;

const translations = new Map<string, Relaxed<CoreTranslation> | Relaxed<Translation>>([
  ['vi', vi],
  ['en', en],
]);
const controllers = new Set<LocalizeController>();
const formats = new Map<string, unknown>();
let documentObserver: MutationObserver | undefined;

/** Adds or replaces dictionaries (keyed by `$code`); connected widgets re-render. */
export function registerTranslation(...list: Relaxed<Translation>[]): void {
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
export function translationFor(lang: string): Relaxed<CoreTranslation> {
  return translations.get(lang.toLowerCase().split(/[-_]/)[0]) ?? en;
}


/**
 * Gives a Lit element its strings and number formats, and re-renders it when `lang` changes on
 * the element, an ancestor or `<html>`. `strings` are the widget's own (see {@link term}).
 */
export class LocalizeController<S = unknown> implements ReactiveController {
  private observer?: MutationObserver;

  constructor(
    readonly host: ReactiveControllerHost & HTMLElement,
    private readonly strings?: Strings<S>,
  ) {
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

  /** The dictionary in effect for the host (for a built-in language: the shared strings only). */
  get translation(): Relaxed<CoreTranslation> {
    return translationFor(this.lang);
  }

  /**
   * A translated string: from a registered dictionary for the language, else the widget's own
   * strings, else the shared ones (English when the language has neither). `%{name}`
   * placeholders are replaced from `params` (numbers are formatted); plural entries pick
   * `one`/`other` from `params.count`.
   */
  term(key: TermKey<S>, params: TermParams = {}): string {
    const t = this.translation;
    const own = this.strings;
    const entry = (t[key as CoreKey] ??
      (own?.[t.$code as 'en'] ?? own?.en)?.[key as keyof S] ??
      en[key as CoreKey]) as string | Plural;
    const text =
      typeof entry === 'string'
        ? entry
        : entry[this.format(Intl.PluralRules).select(Number(params.count ?? 0)) === 'one' ? 'one' : 'other'];
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
