import { expect, fixture, html, nextFrame, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { en } from '../../src/client/i18n/locales/en.js';
import { vi } from '../../src/client/i18n/locales/vi.js';
import {
  addStrings,
  LocalizeController,
  registerTranslation,
  resolveLang,
  translationFor,
  type Plural,
  type Relaxed,
  type Strings,
  type Translation,
} from '../../src/client/i18n/localize.js';
// Importing a widget's strings module registers its strings (as the widget's own import does).
import { strings as captcha } from '../../src/components/captcha/civic-captcha.strings.js';
import { strings as comments } from '../../src/components/comments/civic-comments.strings.js';
import { strings as links } from '../../src/components/link-list/civic-link-list.strings.js';
import { strings as marquee } from '../../src/components/marquee/civic-marquee.strings.js';
import { strings as poll } from '../../src/components/poll/civic-poll.strings.js';
import {
  strings as counter,
  type VisitCounterStrings,
} from '../../src/components/visit-counter/civic-visit-counter.strings.js';
import { afterEach, beforeEach, describe, it } from '../helpers/mocha.js';

class LocalizeProbe extends LitElement {
  /** Shared strings plus a widget's own (the visit counter's). */
  readonly localize = new LocalizeController<VisitCounterStrings>(this);
  render() {
    return html`${this.localize.term('visitsTotal')}|${this.localize.number(414428)}`;
  }
}
customElements.define('localize-probe', LocalizeProbe);

const text = (el: LocalizeProbe) => el.shadowRoot!.textContent!.replace(/<!--.*?-->/g, '').trim();
/** A probe appended to `parent` (e.g. a shadow root), once rendered. */
async function probeIn(parent: ParentNode): Promise<LocalizeProbe> {
  const probe = document.createElement('localize-probe') as LocalizeProbe;
  parent.append(probe);
  await probe.updateComplete;
  return probe;
}
const VI = 'Số lượt truy cập|414.428';
const EN = 'Visits|414,428';

// @ts-expect-error A dictionary that misses keys does not type-check.
const incomplete: Translation = { $code: 'xx', $locale: 'xx', loading: '…' };
void incomplete;
const incompleteWidget: Strings<VisitCounterStrings> = {
  vi: counter.vi,
  // @ts-expect-error A widget's strings that miss a key do not type-check.
  en: { visitsTotal: 'Visits' },
};
void incompleteWidget;
void (() =>
  new LocalizeController<VisitCounterStrings>(
    document.createElement('localize-probe') as LocalizeProbe,
    // @ts-expect-error A key that is neither shared nor the widget's does not type-check.
  ).term('linksGo'));
// @ts-expect-error Every widget's strings module adds its keys to Translation: a dictionary without the captcha's is incomplete.
const withoutCaptcha: Translation = {
  ...en,
  ...counter.en,
  ...marquee.en,
  ...links.en,
  ...comments.en,
  ...poll.en,
};
void withoutCaptcha;
// Keys of several widgets, all in the one merged type.
const merged: Array<keyof Translation> = [
  'loading',
  'visitsTotal',
  'marqueePause',
  'linksGo',
  'captchaRefresh',
  'commentsSubmit',
  'pollVote',
];
void merged;

/** Every widget's own strings. */
const WIDGETS = { counter, marquee, links, captcha, comments, poll };
/** The full English dictionary, as a site would start a translation from. */
const fullEn: Translation = {
  ...en,
  ...counter.en,
  ...marquee.en,
  ...links.en,
  ...captcha.en,
  ...comments.en,
  ...poll.en,
};
/** The built-in Vietnamese dictionary (shared strings and every widget's), to restore after overriding it. */
const builtInVi = translationFor('vi') as Relaxed<Translation>;

/** The text a plural entry gives for `count` 2 (a string is the same for every count). */
const many = (entry: string | Plural) =>
  (typeof entry === 'string' ? entry : entry.other).replace('%{count}', '2');

describe('LocalizeController', () => {
  const htmlEl = document.documentElement;
  let savedLang: string | null;
  beforeEach(() => {
    savedLang = htmlEl.getAttribute('lang');
    htmlEl.removeAttribute('lang');
  });
  afterEach(() => {
    if (savedLang === null) htmlEl.removeAttribute('lang');
    else htmlEl.setAttribute('lang', savedLang);
  });

  it("prefers the element's own lang over ancestors and <html lang>", async () => {
    htmlEl.lang = 'en';
    const wrap = await fixture(
      html`<div lang="en"><localize-probe lang="vi"></localize-probe></div>`,
    );
    expect(text(wrap.querySelector('localize-probe')!)).to.equal(VI);
  });

  it('uses the closest [lang] ancestor before <html lang>', async () => {
    htmlEl.lang = 'en';
    const wrap = await fixture(
      html`<div lang="vi-VN"><section><localize-probe></localize-probe></section></div>`,
    );
    expect(text(wrap.querySelector('localize-probe')!)).to.equal(VI);
  });

  it('finds lang across shadow roots', async () => {
    const outer = await fixture<HTMLDivElement>(html`<div lang="vi"></div>`);
    const root = outer.attachShadow({ mode: 'open' });
    const probe = document.createElement('localize-probe') as LocalizeProbe;
    root.append(probe);
    await probe.updateComplete;
    expect(text(probe)).to.equal(VI);
  });

  it('falls back to <html lang>, then to English', async () => {
    htmlEl.lang = 'vi';
    const el = await fixture<LocalizeProbe>(html`<localize-probe></localize-probe>`);
    expect(text(el)).to.equal(VI);
    htmlEl.removeAttribute('lang');
    expect(resolveLang(el)).to.equal('en');
  });

  it('re-renders when <html lang> changes', async () => {
    htmlEl.lang = 'vi';
    const el = await fixture<LocalizeProbe>(html`<localize-probe></localize-probe>`);
    expect(text(el)).to.equal(VI);
    htmlEl.lang = 'en-GB';
    await waitUntil(() => text(el) === EN, 'did not switch to English');
    htmlEl.lang = 'vi-VN';
    await waitUntil(() => text(el) === VI, 'did not switch back to Vietnamese');
  });

  it('re-renders when lang changes on the element or an ancestor', async () => {
    const wrap = await fixture(html`<div lang="en"><localize-probe></localize-probe></div>`);
    const el = wrap.querySelector('localize-probe')! as LocalizeProbe;
    expect(text(el)).to.equal(EN);
    wrap.setAttribute('lang', 'vi');
    await waitUntil(() => text(el) === VI, 'ancestor change ignored');
    el.setAttribute('lang', 'en');
    await waitUntil(() => text(el) === EN, 'own change ignored');
  });

  it('also re-renders for a lang change on a host in a shadow root', async () => {
    const probe = await probeIn((await fixture(html`<div></div>`)).attachShadow({ mode: 'open' }));
    expect(text(probe)).to.equal(EN);
    probe.lang = 'vi';
    await waitUntil(() => text(probe) === VI, 'own change ignored in a shadow root');
  });

  it("re-renders a widget in another's shadow root when that host's lang changes", async () => {
    const host = await probeIn((await fixture(html`<div></div>`)).attachShadow({ mode: 'open' }));
    // Like the comment form's captcha: a widget inside another widget's shadow root.
    const inner = await probeIn(host.shadowRoot!);
    expect(text(inner)).to.equal(EN);
    host.lang = 'vi';
    await waitUntil(() => text(inner) === VI, "the host's change did not reach the inner widget");
  });

  it('maps vi* to Vietnamese and every other language to English', async () => {
    for (const [lang, expected] of [
      ['vi', VI],
      ['VI-vn', VI],
      ['vi_VN', VI],
      ['fr', EN],
      ['en-US', EN],
      ['zh-Hant', EN],
    ]) {
      const el = await fixture<LocalizeProbe>(html`<localize-probe lang=${lang}></localize-probe>`);
      expect(text(el), lang).to.equal(expected);
    }
  });

  it('formats numbers with Intl (vi-VN 414.428, en 414,428) and options', async () => {
    const el = await fixture<LocalizeProbe>(html`<localize-probe lang="vi"></localize-probe>`);
    expect(el.localize.number(414428)).to.equal('414.428');
    expect(el.localize.number(0.5, { style: 'percent' })).to.match(/^50\s?%$/);
    el.lang = 'en';
    expect(el.localize.number(414428)).to.equal('414,428');
    expect(el.localize.number(1234567.5)).to.equal('1,234,567.5');
  });

  it('picks plural forms with Intl.PluralRules and fills %{name} placeholders', async () => {
    const el = await fixture<LocalizeProbe>(html`<localize-probe lang="en"></localize-probe>`);
    expect(el.localize.term('retryIn', { count: 1 })).to.equal('Try again in 1 second.');
    expect(el.localize.term('retryIn', { count: 5 })).to.equal('Try again in 5 seconds.');
    expect(el.localize.term('retryIn', { count: 1200 })).to.equal('Try again in 1,200 seconds.');
    el.lang = 'vi';
    expect(el.localize.term('retryIn', { count: 1 })).to.equal('Thử lại sau 1 giây.');
    expect(el.localize.term('retryIn', { count: 1200 })).to.equal('Thử lại sau 1.200 giây.');
    // A missing parameter is left visible rather than printed as "undefined".
    expect(el.localize.term('retryIn')).to.equal('Thử lại sau %{count} giây.');
  });

  it('uses a registered translation for its language and re-renders', async () => {
    const el = await fixture<LocalizeProbe>(html`<localize-probe lang="zz"></localize-probe>`);
    expect(text(el)).to.equal(EN);
    registerTranslation({ ...fullEn, $code: 'zz', $locale: 'de-DE', visitsTotal: 'Besuche' });
    await nextFrame();
    // A widget's own string comes from the registered dictionary, like the shared ones.
    expect(text(el)).to.equal('Besuche|414.428');
    expect(el.localize.term('errorRateLimited')).to.equal(en.errorRateLimited);
  });

  it('a registered dictionary also overrides a built-in language', async () => {
    const el = await fixture<LocalizeProbe>(html`<localize-probe lang="vi-VN"></localize-probe>`);
    expect(text(el)).to.equal(VI);
    registerTranslation({
      ...fullEn,
      ...vi,
      ...counter.vi,
      ...marquee.vi,
      ...links.vi,
      ...captcha.vi,
      ...comments.vi,
      ...poll.vi,
      visitsTotal: 'Lượt truy cập',
    });
    try {
      await nextFrame();
      expect(text(el)).to.equal('Lượt truy cập|414.428');
      expect(el.localize.term('loading')).to.equal(vi.loading);
    } finally {
      registerTranslation(builtInVi);
    }
    await nextFrame();
    expect(text(el)).to.equal(VI);
  });

  it("falls back to the widget's English for a key a registered dictionary lacks", async () => {
    const el = await fixture<LocalizeProbe>(html`<localize-probe lang="yy"></localize-probe>`);
    // A plain-JS dictionary may be incomplete.
    const partial = { ...fullEn, $code: 'yy', $locale: 'vi-VN' } as Partial<Translation>;
    delete partial.visitsTotal;
    registerTranslation(partial as Translation);
    await nextFrame();
    expect(text(el)).to.equal('Visits|414.428');
  });

  it('falls back to the built-in dictionary of the same language for a key a registered one lacks', async () => {
    const el = await fixture<LocalizeProbe>(html`<localize-probe lang="vi"></localize-probe>`);
    const partial: Partial<Relaxed<Translation>> = { ...builtInVi, loading: 'Chờ chút…' };
    delete partial.visitsTotal;
    registerTranslation(partial as Relaxed<Translation>);
    try {
      await nextFrame();
      expect(el.localize.term('loading')).to.equal('Chờ chút…');
      expect(text(el)).to.equal(VI);
    } finally {
      registerTranslation(builtInVi);
    }
  });

  it("finds every widget's strings, registered by its strings module, in vi and en", async () => {
    const el = await fixture<LocalizeProbe>(html`<localize-probe></localize-probe>`);
    const term = (key: string) => el.localize.term(key as never, { count: 2 });
    for (const [name, s] of Object.entries(WIDGETS)) {
      const viStrings: Record<string, string | Plural> = Object.fromEntries(Object.entries(s.vi));
      for (const [key, enString] of Object.entries(s.en) as Array<[string, string | Plural]>) {
        el.lang = 'vi';
        expect(term(key), `${name}.${key} vi`).to.equal(many(viStrings[key]!));
        el.lang = 'en-GB';
        expect(term(key), `${name}.${key} en`).to.equal(many(enString));
      }
    }
    // Sanity: the two languages differ, so the lookups above were not both falling back to English.
    el.lang = 'vi';
    expect(term('pollVote')).to.equal('Gửi bình chọn');
    el.lang = 'en';
    expect(term('pollVote')).to.equal('Vote');
  });

  it("registers a new widget's strings with addStrings()", async () => {
    interface ProbeStrings {
      probeHello: string;
      probeItems: Plural;
    }
    addStrings<ProbeStrings>({
      vi: { probeHello: 'Xin chào', probeItems: '%{count} mục' },
      en: { probeHello: 'Hello', probeItems: { one: '%{count} item', other: '%{count} items' } },
    });
    const host = await fixture<LocalizeProbe>(html`<localize-probe lang="vi-VN"></localize-probe>`);
    const t = new LocalizeController<ProbeStrings>(host);
    expect(t.term('probeHello')).to.equal('Xin chào');
    expect(t.term('probeItems', { count: 1200 })).to.equal('1.200 mục');
    host.lang = 'en';
    expect(t.term('probeHello')).to.equal('Hello');
    expect(t.term('probeItems', { count: 1 })).to.equal('1 item');
    host.lang = 'fr';
    expect(t.term('probeItems', { count: 3 })).to.equal('3 items');
  });

  it('shows an unknown key as itself, placeholders filled, instead of throwing', async () => {
    const el = await fixture<LocalizeProbe>(html`<localize-probe lang="vi"></localize-probe>`);
    expect(el.localize.term('noSuchKey' as never)).to.equal('noSuchKey');
    expect(el.localize.term('no %{what}' as never, { what: 'key' })).to.equal('no key');
    el.lang = 'zz';
    expect(el.localize.term('noSuchKey' as never)).to.equal('noSuchKey');
  });

  it('has the same keys in every dictionary', () => {
    expect(Object.keys(vi).sort()).to.deep.equal(Object.keys(en).sort());
    for (const [name, s] of Object.entries(WIDGETS)) {
      expect(Object.keys(s.vi).sort(), name).to.deep.equal(Object.keys(s.en).sort());
    }
  });

  it("never reuses a key between the shared strings and a widget's (one flat dictionary)", () => {
    const keys = [Object.keys(en), ...Object.values(WIDGETS).map((s) => Object.keys(s.en))].flat();
    expect(keys.length).to.equal(new Set(keys).size);
    expect(Object.keys(fullEn).length).to.equal(keys.length);
  });
});
