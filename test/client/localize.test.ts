import { expect, fixture, html, nextFrame, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { en } from '../../src/client/i18n/locales/en.js';
import { vi } from '../../src/client/i18n/locales/vi.js';
import {
  LocalizeController,
  registerTranslation,
  resolveLang,
  type Translation,
} from '../../src/client/i18n/localize.js';
import { afterEach, beforeEach, describe, it } from '../helpers/mocha.js';

class LocalizeProbe extends LitElement {
  readonly localize = new LocalizeController(this);
  render() {
    return html`${this.localize.term('visitsTotal')}|${this.localize.number(414428)}`;
  }
}
customElements.define('localize-probe', LocalizeProbe);

const text = (el: LocalizeProbe) => el.shadowRoot!.textContent!.replace(/<!--.*?-->/g, '').trim();
const VI = 'Số lượt truy cập|414.428';
const EN = 'Visits|414,428';

// @ts-expect-error A dictionary that misses keys does not type-check.
const incomplete: Translation = { $code: 'xx', $locale: 'xx', loading: '…' };
void incomplete;

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
    const wrap = await fixture(html`<div lang="en"><localize-probe lang="vi"></localize-probe></div>`);
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
    const outer = await fixture<HTMLDivElement>(html`<div></div>`);
    const probe = document.createElement('localize-probe') as LocalizeProbe;
    outer.attachShadow({ mode: 'open' }).append(probe);
    await probe.updateComplete;
    expect(text(probe)).to.equal(EN);
    probe.lang = 'vi';
    await waitUntil(() => text(probe) === VI, 'own change ignored in a shadow root');
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
    registerTranslation({ ...en, $code: 'zz', $locale: 'de-DE', visitsTotal: 'Besuche' });
    await nextFrame();
    expect(text(el)).to.equal('Besuche|414.428');
  });

  it('has the same keys in every dictionary', () => {
    expect(Object.keys(vi).sort()).to.deep.equal(Object.keys(en).sort());
  });
});
