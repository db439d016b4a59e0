import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import {
  emulateMedia,
  executeServerCommand,
  resetMouse,
  sendKeys,
  sendMouse,
} from '@web/test-runner-commands';
import { CivicMarquee } from '../../src/components/marquee/civic-marquee.js';
import { watchFailures } from '../helpers/failures.js';
import { afterEach, describe, it } from '../helpers/mocha.js';
import { deferred, type MockResponse } from '../helpers/mock-fetch.js';
import {
  API,
  itKeepsTheFirstDefinition,
  listAnswer,
  setVisibility,
  sleep,
  useMockFetch,
} from '../helpers/widget.js';

const isFirefox = /Firefox\//.test(navigator.userAgent);
const nextFrame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));

const $ = <T extends Element = HTMLElement>(el: CivicMarquee, sel: string) =>
  el.shadowRoot!.querySelector<T>(sel);
const $$ = (el: CivicMarquee, sel: string) => [
  ...el.shadowRoot!.querySelectorAll<HTMLElement>(sel),
];
const toggle = (el: CivicMarquee) => $<HTMLButtonElement>(el, '[part~="toggle-button"]');
const label = (node: Element | null) => node?.textContent?.trim() ?? null;
const copies = (el: CivicMarquee) => $$(el, '.copy');
const running = (root: { getAnimations(): Animation[] }) =>
  root.getAnimations().filter((a) => a.playState === 'running');
const stillText = (el: CivicMarquee) => label($(el, '[part~="slogan"]'));
/** The track's current horizontal offset in px. */
const offset = (el: CivicMarquee) =>
  new DOMMatrix(getComputedStyle($(el, '.track')!).transform).m41;
const waitRunning = (el: CivicMarquee) =>
  waitUntil(() => running(el.shadowRoot!).length === 1, 'the marquee never started moving', {
    timeout: 3000,
  });

const SLOGANS = html`<ul>
  <li>TÍCH CỰC CHUẨN BỊ VÀ TỔ CHỨC THÀNH CÔNG ĐẠI HỘI ĐẢNG BỘ CÁC CẤP</li>
  <li><a href="/di-chuc">DI CHÚC CỦA CHỦ TỊCH HỒ CHÍ MINH</a></li>
  <li>SỐNG, CHIẾN ĐẤU, LAO ĐỘNG VÀ HỌC TẬP THEO GƯƠNG BÁC HỒ VĨ ĐẠI</li>
</ul>`;

describe('<civic-marquee>', () => {
  const mock = useMockFetch('civic-marquee');
  afterEach(async () => {
    delete (document as { visibilityState?: unknown }).visibilityState;
    await resetMouse();
    if (!isFirefox) await emulateMedia({ reducedMotion: 'no-preference' });
  });

  describe('motion', () => {
    it('scrolls the light-DOM slogans in a seamless loop, and is accessible', async () => {
      const el = await fixture<CivicMarquee>(
        html`<civic-marquee lang="vi">${SLOGANS}</civic-marquee>`,
      );
      await waitRunning(el);
      const [first, second] = copies(el);
      expect($$(el, '.copy [part~="item"]').map(label).slice(0, 3)).to.deep.equal([
        'TÍCH CỰC CHUẨN BỊ VÀ TỔ CHỨC THÀNH CÔNG ĐẠI HỘI ĐẢNG BỘ CÁC CẤP',
        'DI CHÚC CỦA CHỦ TỊCH HỒ CHÍ MINH',
        'SỐNG, CHIẾN ĐẤU, LAO ĐỘNG VÀ HỌC TẬP THEO GƯƠNG BÁC HỒ VĨ ĐẠI',
      ]);
      expect(second.textContent).to.equal(first.textContent);
      expect(second.getAttribute('aria-hidden')).to.equal('true');
      expect(second.hasAttribute('inert')).to.be.true;
      expect(first.hasAttribute('aria-hidden')).to.be.false;
      // The link resolves against the page; separators are decorative.
      expect($<HTMLAnchorElement>(el, '.copy a')!.href).to.equal(`${location.origin}/di-chuc`);
      expect(
        $$(el, '.copy [part~="separator"]').every((s) => s.getAttribute('aria-hidden') === 'true'),
      ).to.be.true;
      expect($(el, '[part~="base"]')!.getAttribute('role')).to.equal('group');
      expect($(el, '[part~="base"]')!.getAttribute('aria-label')).to.equal('Khẩu hiệu');
      expect(label(toggle(el))).to.equal('Tạm dừng');
      // It really moves, by transform, one copy's width per loop.
      const a = offset(el);
      await sleep(300);
      expect(offset(el)).to.be.below(a);
      const [anim] = running(el.shadowRoot!);
      expect((anim as CSSAnimation).animationName).to.equal('civic-marquee');
      await expect(el).to.be.accessible();
    });

    it('moves at the same px/s whatever the text length, clamping absurd speeds', async () => {
      const pxPerSecond = async (el: CivicMarquee) => {
        await waitRunning(el);
        await nextFrame();
        const width = copies(el)[0].getBoundingClientRect().width;
        const timing = running(el.shadowRoot!)[0].effect!.getComputedTiming();
        return width / (Number(timing.duration) / 1000);
      };
      const short = await fixture<CivicMarquee>(
        html`<civic-marquee speed="80"><p>Ngắn</p></civic-marquee>`,
      );
      const long = await fixture<CivicMarquee>(
        html`<civic-marquee speed="80"><p>${'Một khẩu hiệu rất dài '.repeat(30)}</p></civic-marquee>`,
      );
      expect(copies(long)[0].getBoundingClientRect().width).to.be.above(
        copies(short)[0].getBoundingClientRect().width * 3,
      );
      expect(await pxPerSecond(short)).to.be.closeTo(80, 0.5);
      expect(await pxPerSecond(long)).to.be.closeTo(80, 0.5);
      // Measured on screen too: about 80 px in half a second.
      const from = offset(long);
      const t0 = performance.now();
      await sleep(500);
      const moved = from - offset(long);
      expect(moved / ((performance.now() - t0) / 1000)).to.be.within(50, 110);

      const fast = await fixture<CivicMarquee>(
        html`<civic-marquee speed="100000"><p>Nhanh</p></civic-marquee>`,
      );
      expect(await pxPerSecond(fast)).to.be.closeTo(200, 0.5);
      const slow = await fixture<CivicMarquee>(
        html`<civic-marquee speed="-5"><p>Chậm</p></civic-marquee>`,
      );
      expect(await pxPerSecond(slow)).to.be.closeTo(10, 0.5);
      const junk = await fixture<CivicMarquee>(
        html`<civic-marquee speed="nhanh"><p>Mặc định</p></civic-marquee>`,
      );
      expect(await pxPerSecond(junk)).to.be.closeTo(50, 0.5);
    });

    it('sets distance and duration as custom properties, never a style attribute binding', async () => {
      const el = await fixture<CivicMarquee>(html`<civic-marquee>${SLOGANS}</civic-marquee>`);
      await waitRunning(el);
      const track = $(el, '.track')!;
      const width = copies(el)[0].getBoundingClientRect().width;
      expect(parseFloat(track.style.getPropertyValue('--_distance'))).to.be.closeTo(-width, 0.01);
      expect(parseFloat(track.style.getPropertyValue('--_duration'))).to.be.closeTo(
        width / 50,
        0.01,
      );
      expect($$(el, '[style]').filter((n) => n !== track)).to.deep.equal([]);
    });

    it('moves right with direction="right" and shows a custom separator', async () => {
      const el = await fixture<CivicMarquee>(
        html`<civic-marquee direction="right" separator="★">${SLOGANS}</civic-marquee>`,
      );
      await waitRunning(el);
      expect(running(el.shadowRoot!)[0].effect!.getComputedTiming().direction).to.equal('reverse');
      expect(label($(el, '[part~="separator"]'))).to.equal('★');
      const a = offset(el);
      await sleep(300);
      expect(offset(el)).to.be.above(a);
    });

    it('starts only when on screen, and stops while the tab is hidden', async () => {
      const wrap = document.createElement('div');
      wrap.className = 'far';
      const spacer = document.createElement('div');
      spacer.style.setProperty('height', '3000px');
      document.body.append(spacer);
      try {
        const el = await fixture<CivicMarquee>(html`<civic-marquee>${SLOGANS}</civic-marquee>`, {
          parentNode: wrap,
        });
        await sleep(300);
        expect(el.getBoundingClientRect().top).to.be.above(innerHeight);
        expect(el.shadowRoot!.getAnimations().length, 'the animation exists').to.equal(1);
        expect(running(el.shadowRoot!), 'off screen').to.have.length(0);
        el.scrollIntoView();
        await waitRunning(el);
        setVisibility('hidden');
        await el.updateComplete;
        expect(running(el.shadowRoot!), 'tab hidden').to.have.length(0);
        setVisibility('visible');
        await waitRunning(el);
      } finally {
        spacer.remove();
        scrollTo(0, 0);
      }
    });

    it('reserves one line: the same height for one short or many long slogans, before and after loading', async () => {
      const response = deferred<MockResponse>();
      mock.queue({ wait: response.promise });
      const one = await fixture<CivicMarquee>(html`<civic-marquee><p>Một</p></civic-marquee>`);
      const many = await fixture<CivicMarquee>(
        html`<civic-marquee site="demo" api=${API} source="khau-hieu">${SLOGANS}</civic-marquee>`,
      );
      await one.updateComplete;
      const height = one.getBoundingClientRect().height;
      expect(height).to.be.above(10);
      expect(many.getBoundingClientRect().height).to.be.closeTo(height, 0.05);
      response.resolve(listAnswer('khau-hieu', '', [{ text: 'Khẩu hiệu '.repeat(40) }]));
      await waitUntil(() => label($(many, '[part~="item"]'))?.startsWith('Khẩu hiệu'));
      expect(many.getBoundingClientRect().height).to.be.closeTo(height, 0.05);
    });
  });

  describe('pause and play', () => {
    it('pauses and plays with the mouse: slogans shown still, one at a time, with previous/next', async () => {
      const el = await fixture<CivicMarquee>(
        html`<civic-marquee lang="vi">${SLOGANS}</civic-marquee>`,
      );
      await waitRunning(el);
      toggle(el)!.click();
      await el.updateComplete;
      expect(el.paused).to.be.true;
      expect(el.hasAttribute('paused')).to.be.true;
      expect(label(toggle(el))).to.equal('Tiếp tục');
      expect(el.shadowRoot!.getAnimations(), 'no animation at all').to.have.length(0);
      expect(copies(el)).to.have.length(0);
      expect(stillText(el)).to.equal(
        'TÍCH CỰC CHUẨN BỊ VÀ TỔ CHỨC THÀNH CÔNG ĐẠI HỘI ĐẢNG BỘ CÁC CẤP',
      );
      await expect(el).to.be.accessible();

      $<HTMLButtonElement>(el, '[part~="next-button"]')!.click();
      await el.updateComplete;
      expect(stillText(el)).to.equal('DI CHÚC CỦA CHỦ TỊCH HỒ CHÍ MINH');
      expect($<HTMLAnchorElement>(el, '[part~="slogan"] a')!.getAttribute('href')).to.equal(
        `${location.origin}/di-chuc`,
      );
      $<HTMLButtonElement>(el, '[part~="previous-button"]')!.click();
      $<HTMLButtonElement>(el, '[part~="previous-button"]')!.click();
      await el.updateComplete;
      expect(stillText(el), 'wraps around').to.equal(
        'SỐNG, CHIẾN ĐẤU, LAO ĐỘNG VÀ HỌC TẬP THEO GƯƠNG BÁC HỒ VĨ ĐẠI',
      );
      expect($(el, '[part~="previous-button"]')!.getAttribute('aria-label')).to.equal(
        'Khẩu hiệu trước',
      );
      expect($(el, '[part~="next-button"]')!.getAttribute('aria-label')).to.equal('Khẩu hiệu sau');
      await expect(el).to.be.accessible();

      toggle(el)!.click();
      await el.updateComplete;
      expect(label(toggle(el))).to.equal('Tạm dừng');
      await waitRunning(el);
    });

    it('pauses and plays with the keyboard, keeping focus on the button', async () => {
      const before = document.createElement('button');
      before.textContent = 'trước';
      const el = await fixture<CivicMarquee>(
        html`<civic-marquee lang="en">${SLOGANS}</civic-marquee>`,
      );
      el.before(before);
      try {
        await waitRunning(el);
        before.focus();
        await sendKeys({ press: 'Tab' });
        expect(el.shadowRoot!.activeElement).to.equal(toggle(el));
        expect(label(toggle(el))).to.equal('Pause');
        // Focus inside holds the text still.
        await waitUntil(() => running(el.shadowRoot!).length === 0, 'focus did not hold it still');
        await sendKeys({ press: 'Enter' });
        await el.updateComplete;
        expect(el.paused).to.be.true;
        expect(label(toggle(el))).to.equal('Play');
        expect(el.shadowRoot!.activeElement, 'focus stays on the button').to.equal(toggle(el));
        await sendKeys({ press: 'Tab' });
        expect(el.shadowRoot!.activeElement).to.equal($(el, '[part~="previous-button"]'));
        await sendKeys({ press: 'Tab' });
        await sendKeys({ press: ' ' });
        await el.updateComplete;
        expect(stillText(el)).to.equal('DI CHÚC CỦA CHỦ TỊCH HỒ CHÍ MINH');
        toggle(el)!.focus();
        await sendKeys({ press: ' ' });
        await el.updateComplete;
        expect(el.paused).to.be.false;
        expect(label(toggle(el))).to.equal('Pause');
        before.focus();
        await waitRunning(el);
      } finally {
        before.remove();
      }
    });

    it('holds still while the pointer is over it', async () => {
      const el = await fixture<CivicMarquee>(html`<civic-marquee>${SLOGANS}</civic-marquee>`);
      await waitRunning(el);
      const r = $(el, '.viewport')!.getBoundingClientRect();
      await sendMouse({
        type: 'move',
        position: [Math.round(r.left + 20), Math.round(r.top + r.height / 2)],
      });
      await waitUntil(() => running(el.shadowRoot!).length === 0, 'hover did not hold it still');
      expect(el.shadowRoot!.getAnimations()[0].playState).to.equal('paused');
      await sendMouse({ type: 'move', position: [0, Math.round(innerHeight - 1)] });
      await waitRunning(el);
    });

    it('keeps the duplicate copy out of the keyboard order and the accessibility tree', async function () {
      const el = await fixture<CivicMarquee>(
        html`<civic-marquee lang="vi"><ul>
          <li><a href="/mot">Khẩu hiệu một</a></li>
          <li><a href="/hai">Khẩu hiệu hai</a></li>
        </ul></civic-marquee>`,
      );
      await waitRunning(el);
      const after = document.createElement('button');
      after.textContent = 'sau';
      el.after(after);
      try {
        toggle(el)!.focus();
        const reached: string[] = [];
        for (let i = 0; i < 3; i++) {
          await sendKeys({ press: 'Tab' });
          const active = el.shadowRoot!.activeElement ?? document.activeElement;
          reached.push(
            active === after
              ? 'after'
              : `${active?.closest('.copy') === copies(el)[1] ? 'copy2' : 'copy1'}:${label(active)}`,
          );
        }
        expect(reached).to.deep.equal(['copy1:Khẩu hiệu một', 'copy1:Khẩu hiệu hai', 'after']);
        const hidden = copies(el)[1].querySelector('a')!;
        hidden.focus();
        expect(el.shadowRoot!.activeElement).not.to.equal(hidden);
      } finally {
        after.remove();
      }

      const snapshot = await executeServerCommand<string | false, { selector: string }>(
        'aria-snapshot',
        { selector: 'civic-marquee' },
      );
      // Only Playwright (Chromium) gives an ARIA snapshot; inert + aria-hidden and the keyboard
      // order are asserted above in every browser.
      if (snapshot === false) {
        if (isFirefox) this.skip();
        throw new Error('no ARIA snapshot from Playwright');
      }
      expect(snapshot).to.contain('link "Khẩu hiệu một"');
      expect(snapshot.split('Khẩu hiệu một').length - 1, snapshot).to.equal(1);
      expect(snapshot.split('Khẩu hiệu hai').length - 1, snapshot).to.equal(1);
      expect(snapshot).to.contain('button "Tạm dừng"');
    });
  });

  describe('no motion', () => {
    it('under prefers-reduced-motion: reduce nothing moves; slogans one at a time with previous/next', async function () {
      // emulateMedia is Chromium-only: WebDriver BiDi (Firefox) cannot emulate reduced motion.
      if (isFirefox) this.skip();
      await emulateMedia({ reducedMotion: 'reduce' });
      const el = await fixture<CivicMarquee>(
        html`<civic-marquee lang="vi">${SLOGANS}</civic-marquee>`,
      );
      await el.updateComplete;
      await sleep(300);
      expect(document.getAnimations().filter((a) => a.playState === 'running')).to.deep.equal([]);
      expect(el.shadowRoot!.getAnimations()).to.deep.equal([]);
      expect(copies(el)).to.have.length(0);
      expect(toggle(el), 'nothing to pause').to.equal(null);
      expect(stillText(el)).to.equal(
        'TÍCH CỰC CHUẨN BỊ VÀ TỔ CHỨC THÀNH CÔNG ĐẠI HỘI ĐẢNG BỘ CÁC CẤP',
      );
      $<HTMLButtonElement>(el, '[part~="next-button"]')!.click();
      await el.updateComplete;
      expect(stillText(el)).to.equal('DI CHÚC CỦA CHỦ TỊCH HỒ CHÍ MINH');
      await expect(el).to.be.accessible();

      // Turning the preference off at runtime lets it move; turning it on stops it again.
      await emulateMedia({ reducedMotion: 'no-preference' });
      await waitRunning(el);
      await emulateMedia({ reducedMotion: 'reduce' });
      await waitUntil(() => el.shadowRoot!.getAnimations().length === 0, 'still moving');
    });

    it('with `still`, starts without motion until the visitor presses play', async () => {
      const el = await fixture<CivicMarquee>(
        html`<civic-marquee still lang="vi">${SLOGANS}</civic-marquee>`,
      );
      await el.updateComplete;
      await sleep(300);
      expect(el.paused).to.be.true;
      expect(el.shadowRoot!.getAnimations()).to.deep.equal([]);
      expect(document.getAnimations().filter((a) => a.playState === 'running')).to.deep.equal([]);
      expect(label(toggle(el))).to.equal('Tiếp tục');
      expect(stillText(el)).to.equal(
        'TÍCH CỰC CHUẨN BỊ VÀ TỔ CHỨC THÀNH CÔNG ĐẠI HỘI ĐẢNG BỘ CÁC CẤP',
      );
      await expect(el).to.be.accessible();
      toggle(el)!.click();
      await waitRunning(el);
      expect(label(toggle(el))).to.equal('Tạm dừng');
      await expect(el).to.be.accessible();
    });

    it('shows a single slogan without previous/next', async () => {
      const el = await fixture<CivicMarquee>(
        html`<civic-marquee still lang="en"><a href="/">Một khẩu hiệu</a></civic-marquee>`,
      );
      await el.updateComplete;
      expect(stillText(el)).to.equal('Một khẩu hiệu');
      expect($(el, '[part~="next-button"]')).to.equal(null);
      expect(label(toggle(el))).to.equal('Play');
      await expect(el).to.be.accessible();
    });
  });

  describe('source', () => {
    const { errors } = watchFailures({ expectNoUncaught: true });

    it('loads GET /slogans/{list}, keeps only safe links, and replaces the fallback', async () => {
      mock.queue(
        listAnswer('khau-hieu', 'Khẩu hiệu', [
          { text: ' Chào mừng  Quốc khánh ' },
          { text: 'Dịch vụ công', href: 'https://dichvucong.gov.vn' },
          { text: 'Độc hại', href: 'javascript:alert(1)' },
          { text: 'Cũng độc hại', href: 'data:text/html,<b>x</b>' },
          { text: '' },
          { href: 'https://x.example' },
          'rác',
        ]),
      );
      const el = await fixture<CivicMarquee>(
        html`<civic-marquee site="demo" api=${API} source="khau-hieu"><p>Dự phòng</p></civic-marquee>`,
      );
      await waitUntil(() => label($(el, '[part~="item"]')) === 'Chào mừng Quốc khánh');
      expect(mock.calls[0].url).to.equal(`${API}/api/v1/sites/demo/slogans/khau-hieu`);
      expect(mock.calls[0].method).to.equal('GET');
      expect($$(el, '.copy:first-child [part~="item"]').map(label)).to.deep.equal([
        'Chào mừng Quốc khánh',
        'Dịch vụ công',
        'Độc hại',
        'Cũng độc hại',
      ]);
      const links = $$(el, '.copy:first-child a') as HTMLAnchorElement[];
      expect(links.map((a) => a.href)).to.deep.equal(['https://dichvucong.gov.vn/']);
      expect(links[0].rel).to.equal('noopener noreferrer');
      expect(el.shadowRoot!.innerHTML).not.to.contain('javascript:');
      await waitRunning(el);
      await expect(el).to.be.accessible();
    });

    it('an empty list renders nothing', async () => {
      mock.queue(listAnswer('rong', ''));
      const el = await fixture<CivicMarquee>(
        html`<civic-marquee site="demo" api=${API} source="rong"><p>Dự phòng</p></civic-marquee>`,
      );
      await waitUntil(() => mock.calls.length === 1);
      await sleep(50);
      expect($(el, '[part~="base"]')).to.equal(null);
      expect(el.getBoundingClientRect().height).to.equal(0);
      expect(errors).to.deep.equal([]);
    });

    it('a missing list keeps the light-DOM slogans (and fires civic-error)', async () => {
      mock.queue({
        status: 404,
        json: { error: { code: 'not_found', message: 'Slogan list "x" not found' } },
      });
      const el = await fixture<CivicMarquee>(
        html`<civic-marquee lang="vi" site="demo" api=${API} source="x"><p>Khẩu hiệu dự phòng</p></civic-marquee>`,
      );
      await waitUntil(() => errors.length === 1, 'no civic-error');
      expect(errors[0]).to.deep.equal({ code: 'not_found', message: 'Không tìm thấy dữ liệu.' });
      expect(label($(el, '[part~="item"]'))).to.equal('Khẩu hiệu dự phòng');
      expect(label($(el, '[part~="error-message"]')) ?? '').to.equal('');
      await waitRunning(el);
      await expect(el).to.be.accessible();
    });

    it('with no fallback, a failed list shows the localized error', async () => {
      mock.queue({ html: '<!doctype html><p>Lỗi</p>' });
      const el = await fixture<CivicMarquee>(
        html`<civic-marquee lang="en" site="demo" api=${API} source="x"></civic-marquee>`,
      );
      await waitUntil(() => errors.length === 1, 'no civic-error');
      expect(label($(el, '[part~="error-message"]'))).to.equal(
        'The server sent an invalid response.',
      );
      await expect(el).to.be.accessible();
    });
  });

  it('reads slogans added to the light DOM after the upgrade', async () => {
    const el = await fixture<CivicMarquee>(html`<civic-marquee still></civic-marquee>`);
    expect($(el, '[part~="base"]')).to.equal(null);
    const p = document.createElement('p');
    p.textContent = 'Thêm sau';
    el.append(p);
    await waitUntil(() => stillText(el) === 'Thêm sau');
  });

  itKeepsTheFirstDefinition(CivicMarquee, 'civic-marquee');
});
