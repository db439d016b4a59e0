import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import {
  CivicLinkList,
  type CivicNavigateDetail,
} from '../../src/components/link-list/civic-link-list.js';
import { watchFailures } from '../helpers/failures.js';
import { describe, it } from '../helpers/mocha.js';
import { API, isShown, listAnswer, sleep, text, useMockFetch } from '../helpers/widget.js';

const $ = <T extends Element = HTMLElement>(el: CivicLinkList, sel: string) =>
  el.shadowRoot!.querySelector<T>(sel);
const links = (el: CivicLinkList) => [
  ...el.shadowRoot!.querySelectorAll<HTMLAnchorElement>('[part~="link"]'),
];
const options = (el: CivicLinkList) => [...el.shadowRoot!.querySelectorAll('option')].map(text);

// Unsafe and odd links on purpose: the widget must drop or keep each as it should.
/* eslint-disable lit-a11y/anchor-is-valid */
const LIGHT = html`<ul>
  <li><a href="https://chinhphu.vn">Cổng Thông tin điện tử Chính phủ</a></li>
  <li><a href="/gioi-thieu">Giới thiệu</a></li>
  <li><a href="javascript:alert(1)">Độc hại</a></li>
  <li><a href="data:text/html,x">Cũng độc hại</a></li>
  <li><a href="mailto:lienhe@example.gov.vn">Hộp thư</a></li>
  <li><a href="tel:+842583883040">Đường dây nóng</a></li>
</ul>`;
/* eslint-enable lit-a11y/anchor-is-valid */

/** Records navigation instead of leaving the test page. */
function trapNavigation(el: CivicLinkList) {
  const navigated: string[] = [];
  const events: CivicNavigateDetail[] = [];
  el.navigate = (href: string) => void navigated.push(href);
  el.addEventListener('civic-navigate', (e) => events.push(e.detail));
  return { navigated, events };
}

describe('<civic-link-list>', () => {
  const mock = useMockFetch('civic-link-list');

  describe('list', () => {
    it('enhances the light-DOM links: only http(s)/mailto/tel kept, external ones marked', async () => {
      const el = await fixture<CivicLinkList>(
        html`<civic-link-list lang="vi">${LIGHT}</civic-link-list>`,
      );
      await el.updateComplete;
      const a = links(el);
      expect(a.map((l) => l.href)).to.deep.equal([
        'https://chinhphu.vn/',
        `${location.origin}/gioi-thieu`,
        'mailto:lienhe@example.gov.vn',
        'tel:+842583883040',
      ]);
      expect(el.shadowRoot!.innerHTML).not.to.match(/javascript:|data:text/);
      // External: rel and a marker that is visible (arrow) and spoken (text).
      expect(a[0].rel).to.equal('noopener noreferrer');
      expect(text(a[0])).to.equal('Cổng Thông tin điện tử Chính phủ↗ (liên kết ngoài)');
      const marker = a[0].querySelector('[part~="external"]')!;
      expect(isShown(marker.querySelector('[aria-hidden="true"]'))).to.be.true;
      expect(marker.querySelector('.visually-hidden')!.textContent!.trim()).to.equal(
        '(liên kết ngoài)',
      );
      for (const internal of a.slice(1)) {
        expect(internal.hasAttribute('rel'), internal.href).to.be.false;
        expect(internal.querySelector('[part~="external"]'), internal.href).to.equal(null);
      }
      expect($(el, 'nav'), 'no landmark without a label').to.equal(null);
      expect(isShown(el.querySelector('ul')), 'light DOM replaced').to.be.false;
      await expect(el).to.be.accessible();
    });

    it('says "(external link)" in English, and is a labelled nav with `label`', async () => {
      const el = await fixture<CivicLinkList>(
        html`<civic-link-list lang="en" label="Government sites">${LIGHT}</civic-link-list>`,
      );
      await el.updateComplete;
      expect(text(links(el)[0])).to.equal('Cổng Thông tin điện tử Chính phủ↗ (external link)');
      expect($(el, 'nav')!.getAttribute('aria-label')).to.equal('Government sites');
      await expect(el).to.be.accessible();
    });

    it('lays links side by side with `inline`', async () => {
      const el = await fixture<CivicLinkList>(
        html`<civic-link-list inline>${LIGHT}</civic-link-list>`,
      );
      await el.updateComplete;
      const [a, b] = [...el.shadowRoot!.querySelectorAll('li')].map((li) =>
        li.getBoundingClientRect(),
      );
      expect(b.top).to.equal(a.top);
      expect(b.left).to.be.above(a.right);
      await expect(el).to.be.accessible();
    });

    it('follows light-DOM changes made after the upgrade', async () => {
      const el = await fixture<CivicLinkList>(html`<civic-link-list><ul></ul></civic-link-list>`);
      expect($(el, '[part~="base"]')).to.equal(null);
      const li = document.createElement('li');
      li.innerHTML = '<a href="https://vbpl.vn">Văn bản pháp luật</a>';
      el.querySelector('ul')!.append(li);
      await waitUntil(() => links(el).length === 1);
      li.querySelector('a')!.setAttribute('href', 'javascript:void 0');
      await waitUntil(() => links(el).length === 0);
    });
  });

  describe('select', () => {
    const GROUPED = html`<ul>
      <li data-group="Chính phủ"><a href="https://chinhphu.vn">Cổng Chính phủ</a></li>
      <li data-group="Chính phủ"><a href="https://dichvucong.gov.vn">Dịch vụ công</a></li>
      <li data-group="Bộ, ngành"><a href="https://mic.gov.vn">Bộ TT&amp;TT</a></li>
      <li><a href="/lien-he">Liên hệ</a></li>
    </ul>`;

    it('is a labelled select with optgroups and a "Đi" button', async () => {
      const el = await fixture<CivicLinkList>(
        html`<civic-link-list variant="select" lang="vi">${GROUPED}</civic-link-list>`,
      );
      await el.updateComplete;
      const select = $<HTMLSelectElement>(el, 'select')!;
      expect(select.labels[0].textContent!.trim()).to.equal('Chọn trang liên kết');
      expect([...select.querySelectorAll('optgroup')].map((g) => g.label)).to.deep.equal([
        'Chính phủ',
        'Bộ, ngành',
      ]);
      expect(options(el)).to.deep.equal([
        'Cổng Chính phủ (liên kết ngoài)',
        'Dịch vụ công (liên kết ngoài)',
        'Bộ TT&TT (liên kết ngoài)',
        'Liên hệ',
      ]);
      expect(text($(el, '[part~="go-button"]'))).to.equal('Đi');
      await expect(el).to.be.accessible();
    });

    it('navigates only on the button, never on change (WCAG 3.2.2)', async () => {
      const el = await fixture<CivicLinkList>(
        html`<civic-link-list variant="select" lang="en">${GROUPED}</civic-link-list>`,
      );
      await el.updateComplete;
      const { navigated, events } = trapNavigation(el);
      const select = $<HTMLSelectElement>(el, 'select')!;
      select.value = '2';
      select.dispatchEvent(new Event('input', { bubbles: true }));
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await sleep(50);
      expect(navigated).to.deep.equal([]);
      expect(events).to.deep.equal([]);
      expect(text($(el, '[part~="go-button"]'))).to.equal('Go');
      $<HTMLButtonElement>(el, '[part~="go-button"]')!.click();
      expect(events).to.deep.equal([
        { href: 'https://mic.gov.vn/', text: 'Bộ TT&TT', external: true },
      ]);
      expect(navigated).to.deep.equal(['https://mic.gov.vn/']);
    });

    it('works with the keyboard: arrows change the choice, Enter on "Go" navigates', async () => {
      const el = await fixture<CivicLinkList>(
        html`<civic-link-list variant="select" lang="vi">${GROUPED}</civic-link-list>`,
      );
      await el.updateComplete;
      const { navigated } = trapNavigation(el);
      const select = $<HTMLSelectElement>(el, 'select')!;
      select.focus();
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'ArrowDown' });
      await sleep(50);
      expect(select.value).to.equal('2');
      expect(navigated, 'arrows never navigate').to.deep.equal([]);
      await sendKeys({ press: 'Tab' });
      expect(el.shadowRoot!.activeElement).to.equal($(el, '[part~="go-button"]'));
      await sendKeys({ press: 'Enter' });
      expect(navigated).to.deep.equal(['https://mic.gov.vn/']);
      await sendKeys({ press: ' ' });
      expect(navigated).to.have.length(2);
    });

    it('a cancelled civic-navigate goes nowhere', async () => {
      const el = await fixture<CivicLinkList>(
        html`<civic-link-list variant="select">${GROUPED}</civic-link-list>`,
      );
      await el.updateComplete;
      const { navigated, events } = trapNavigation(el);
      document.addEventListener('civic-navigate', (e) => e.preventDefault(), { once: true });
      $<HTMLButtonElement>(el, '[part~="go-button"]')!.click();
      expect(events).to.have.length(1);
      expect(navigated).to.deep.equal([]);
    });

    it('the default navigate() is location.assign', () => {
      // Read, not called: the test page must stay where it is.
      expect(CivicLinkList.prototype.navigate.toString()).to.contain('location.assign');
    });
  });

  describe('banners', () => {
    it('shows image links with their alt text, and reserves the image space', async () => {
      const el = await fixture<CivicLinkList>(html`<civic-link-list variant="banners" lang="vi"
        ><a href="https://chinhphu.vn"><img src="/demo/banners/chinhphu.svg" alt="Cổng Thông tin điện tử Chính phủ" /></a
        ><a href="https://vbpl.vn"><img src="/demo/banners/vbpl.svg" alt="Văn bản pháp luật" /></a
      ></civic-link-list>`);
      await el.updateComplete;
      const imgs = [...el.shadowRoot!.querySelectorAll<HTMLImageElement>('[part~="image"]')];
      expect(imgs.map((i) => i.alt)).to.deep.equal([
        'Cổng Thông tin điện tử Chính phủ',
        'Văn bản pháp luật',
      ]);
      expect(imgs[0].src).to.equal(`${location.origin}/demo/banners/chinhphu.svg`);
      // The space is reserved from the start (no shift when the image arrives).
      expect(getComputedStyle(imgs[0]).aspectRatio).to.equal('10 / 3');
      expect(imgs[0].getBoundingClientRect().height).to.be.closeTo(
        imgs[0].getBoundingClientRect().width * 0.3,
        1,
      );
      expect(links(el)[0].rel).to.equal('noopener noreferrer');
      expect(links(el)[0].querySelector('.visually-hidden')!.textContent!.trim()).to.equal(
        '(liên kết ngoài)',
      );
      await expect(el).to.be.accessible();
    });

    it('warns once about missing alt text and uses the link text instead', async () => {
      const warnings: unknown[][] = [];
      const warn = console.warn;
      console.warn = (...args: unknown[]) => void warnings.push(args);
      try {
        // A banner without alt text on purpose: the widget warns and falls back to the link text.
        /* eslint-disable lit-a11y/alt-text */
        const el = await fixture<CivicLinkList>(html`<civic-link-list variant="banners"
          ><a href="https://chinhphu.vn"><img src="/demo/banners/chinhphu.svg" />Cổng Chính phủ</a
          ><a href="https://vbpl.vn" aria-label="x"><img src="/demo/banners/vbpl.svg" alt="" /><span>Văn bản pháp luật</span></a
        ></civic-link-list>`);
        /* eslint-enable lit-a11y/alt-text */
        await el.updateComplete;
        el.requestUpdate();
        await el.updateComplete;
        const imgs = [...el.shadowRoot!.querySelectorAll<HTMLImageElement>('[part~="image"]')];
        expect(imgs.map((i) => i.alt)).to.deep.equal(['Cổng Chính phủ', 'Văn bản pháp luật']);
        expect(warnings).to.have.length(1);
        expect(String(warnings[0])).to.contain('alt').and.contain('https://chinhphu.vn/');
        await expect(el).to.be.accessible();
      } finally {
        console.warn = warn;
      }
    });
  });

  describe('source', () => {
    const { errors } = watchFailures({ expectNoUncaught: true });

    it('loads GET /links/{list}: unsafe links dropped, relative images from the API server', async () => {
      mock.queue(
        listAnswer('lien-ket-banner', 'Liên kết banner', [
          {
            text: 'Cổng Chính phủ',
            href: 'https://chinhphu.vn',
            image: '/banners/chinhphu.svg',
            alt: 'Cổng Chính phủ',
          },
          { text: 'Độc hại', href: 'javascript:alert(1)', image: '/x.svg' },
          { text: 'Ảnh độc hại', href: 'https://vbpl.vn', image: 'javascript:alert(1)', alt: 'x' },
          { text: 'Không có href' },
          {
            text: 'Dịch vụ công',
            href: 'https://dichvucong.gov.vn',
            image: 'https://cdn.example.test/dvc.png',
            alt: 'Dịch vụ công',
          },
        ]),
      );
      const el = await fixture<CivicLinkList>(
        html`<civic-link-list variant="banners" site="demo" api=${API} source="lien-ket-banner" lang="vi"
          ><a href="https://chinhphu.vn">Dự phòng</a></civic-link-list
        >`,
      );
      await waitUntil(() => links(el).length === 3);
      expect(mock.calls[0].url).to.equal(`${API}/api/v1/sites/demo/links/lien-ket-banner`);
      expect(links(el).map((a) => a.href)).to.deep.equal([
        'https://chinhphu.vn/',
        'https://vbpl.vn/',
        'https://dichvucong.gov.vn/',
      ]);
      const imgs = [...el.shadowRoot!.querySelectorAll<HTMLImageElement>('[part~="image"]')];
      expect(imgs.map((i) => i.getAttribute('src'))).to.deep.equal([
        `${API}/banners/chinhphu.svg`,
        'https://cdn.example.test/dvc.png',
      ]);
      expect(text(links(el)[1]), 'a bad image leaves a text link').to.equal(
        'Ảnh độc hại↗ (liên kết ngoài)',
      );
      expect(el.shadowRoot!.innerHTML).not.to.contain('javascript:');
    });

    it('an empty list renders nothing, and no empty landmark', async () => {
      mock.queue(listAnswer('rong', ''));
      const el = await fixture<CivicLinkList>(
        html`<civic-link-list label="Liên kết" site="demo" api=${API} source="rong">${LIGHT}</civic-link-list>`,
      );
      await waitUntil(() => !$(el, 'nav'), 'still rendered');
      expect($(el, '[part~="base"]')).to.equal(null);
      expect(el.getBoundingClientRect().height).to.equal(0);
      expect(errors).to.deep.equal([]);
    });

    it('a failed source keeps the light-DOM links (and fires civic-error)', async () => {
      mock.queue('network-error', 'network-error', 'network-error');
      const el = await fixture<CivicLinkList>(
        html`<civic-link-list variant="select" lang="vi" site="demo" api=${API} source="lien-ket-web">${LIGHT}</civic-link-list>`,
      );
      await waitUntil(() => errors.length === 1, 'no civic-error', { timeout: 4000 });
      expect(errors[0]).to.deep.equal({
        code: 'network',
        message: 'Không thể kết nối tới máy chủ. Vui lòng kiểm tra mạng.',
      });
      expect(options(el)).to.have.length(4);
      expect(options(el)[0]).to.equal('Cổng Thông tin điện tử Chính phủ (liên kết ngoài)');
      await expect(el).to.be.accessible();
    });

    it('with no light-DOM links, a failed source shows the localized error', async () => {
      mock.queue({
        status: 404,
        json: { error: { code: 'not_found', message: 'Link list "x" not found' } },
      });
      const el = await fixture<CivicLinkList>(
        html`<civic-link-list lang="en" site="demo" api=${API} source="x"></civic-link-list>`,
      );
      await waitUntil(() => errors.length === 1);
      expect(text($(el, '[part~="error-message"]'))).to.equal('Nothing was found.');
      await expect(el).to.be.accessible();
    });
  });

  it('unknown variants fall back to the plain list', async () => {
    const el = await fixture<CivicLinkList>(
      html`<civic-link-list variant="carousel">${LIGHT}</civic-link-list>`,
    );
    await el.updateComplete;
    expect(links(el)).to.have.length(4);
    expect($(el, 'select')).to.equal(null);
  });
});
