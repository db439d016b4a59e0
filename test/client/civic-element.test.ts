import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { property } from 'lit/decorators.js';
import { CivicElement } from '../../src/client/civic-element.js';
import { ApiError } from '../../src/client/api-client.js';
import { describe, it } from '../helpers/mocha.js';
import { watchFailures } from '../helpers/failures.js';

class BrokenWidget extends CivicElement {
  /** Makes render() throw. */
  @property({ type: Boolean }) broken = false;
  render() {
    if (this.broken) throw new TypeError('render bug');
    return html`<p part="base">content</p>`;
  }
  run(work: () => Promise<unknown>) {
    return this.guard(work);
  }
  url() {
    return this.apiUrl();
  }
  ok() {
    this.recover();
  }
}
BrokenWidget.define('test-broken-widget');

const shadow = (el: Element) => el.shadowRoot!;
const errorText = (el: Element) =>
  shadow(el).querySelector('[part~="error-message"]')?.textContent ?? '';
const isShown = (node: Element | null | undefined) => !!node && node.getClientRects().length > 0;

describe('CivicElement', () => {
  const { errors, uncaught } = watchFailures();

  it('turns a render() exception into a localized message plus the fallback, silently', async () => {
    const el = await fixture<BrokenWidget>(
      html`<test-broken-widget lang="vi" broken><a href="/thong-ke">Thống kê</a></test-broken-widget>`,
    );
    await waitUntil(() => errorText(el), 'no error message');
    expect(errorText(el)).to.equal('Đã xảy ra lỗi. Vui lòng thử lại sau.');
    expect(isShown(el.querySelector('a')), 'fallback link visible').to.be.true;
    expect(isShown(shadow(el).querySelector('[part~="error-message"]'))).to.be.true;
    expect(errors).to.deep.equal([{ code: 'unexpected', message: errorText(el) }]);
    await new Promise((r) => setTimeout(r, 100));
    expect(uncaught.errors).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });

  it('contains an exception in a later update', async () => {
    const el = await fixture<BrokenWidget>(
      html`<test-broken-widget><span>fallback</span></test-broken-widget>`,
    );
    expect(shadow(el).querySelector('[part~="base"]')?.textContent).to.equal('content');
    expect(isShown(el.querySelector('span')), 'fallback hidden while working').to.be.false;
    el.broken = true;
    await waitUntil(() => errorText(el));
    expect(isShown(shadow(el).querySelector('[part~="base"]')), 'content hidden').to.be.false;
    expect(isShown(el.querySelector('span'))).to.be.true;
    await new Promise((r) => setTimeout(r, 50));
    expect(uncaught.errors).to.deep.equal([]);
  });

  it('guard() turns a rejected task into the error state and resolves undefined', async () => {
    const el = await fixture<BrokenWidget>(
      html`<test-broken-widget lang="en"></test-broken-widget>`,
    );
    const result = await el.run(() => Promise.reject(new ApiError('timeout', 'slow')));
    expect(result).to.equal(undefined);
    expect(errorText(el)).to.equal('The server took too long to respond. Please try again later.');
    expect(errors.map((e) => e.code)).to.deep.equal(['timeout']);
    await new Promise((r) => setTimeout(r, 50));
    expect(uncaught.errors).to.deep.equal([]);
  });

  it('marks the host `error` while it shows an error (the reserved room goes), not after recover()', async () => {
    const el = await fixture<BrokenWidget>(html`<test-broken-widget></test-broken-widget>`);
    expect(el.hasAttribute('error')).to.be.false;
    await el.run(() => Promise.reject(new ApiError('timeout', 'slow')));
    expect(el.hasAttribute('error')).to.be.true;
    el.ok();
    expect(el.hasAttribute('error')).to.be.false;
    expect(isShown(shadow(el).querySelector('[part~="base"]')), 'content shown again').to.be.true;
  });

  it('ignores aborted work (the element was removed)', async () => {
    const el = await fixture<BrokenWidget>(html`<test-broken-widget></test-broken-widget>`);
    await el.run(() => Promise.reject(new ApiError('aborted', 'gone')));
    expect(errorText(el)).to.equal('');
    expect(errors).to.deep.equal([]);
  });

  it('re-localizes a shown error when lang changes', async () => {
    const el = await fixture<BrokenWidget>(
      html`<test-broken-widget lang="en"></test-broken-widget>`,
    );
    await el.run(() => Promise.reject(new ApiError('network', 'x')));
    expect(errorText(el)).to.equal('Cannot reach the server. Please check your connection.');
    el.lang = 'vi';
    await waitUntil(() => errorText(el).startsWith('Không thể kết nối'), errorText(el));
  });

  it('maps statuses and codes to messages (429 with Retry-After, 404, 5xx)', async () => {
    const el = await fixture<BrokenWidget>(
      html`<test-broken-widget lang="en"></test-broken-widget>`,
    );
    const cases: [ApiError, string][] = [
      [
        new ApiError('rate_limited', '', 429, 30_000),
        'Too many requests. Try again in 30 seconds.',
      ],
      [new ApiError('rate_limited', '', 429), 'Too many requests. Please try again later.'],
      [new ApiError('site_not_found', '', 404), 'Nothing was found.'],
      [new ApiError('internal', '', 500), 'The server has a problem. Please try again later.'],
      [new ApiError('bad_response', '', 200), 'The server sent an invalid response.'],
      [new ApiError('validation', '', 400), 'Something went wrong. Please try again later.'],
    ];
    for (const [err, message] of cases) {
      await el.run(() => Promise.reject(err));
      expect(errorText(el), err.code).to.equal(message);
    }
  });

  it('announces through one polite live region', async () => {
    const el = await fixture<BrokenWidget>(html`<test-broken-widget></test-broken-widget>`);
    const regions = shadow(el).querySelectorAll('[aria-live]');
    expect(regions).to.have.length(1);
    expect(regions[0].getAttribute('aria-live')).to.equal('polite');
    el.announce('Đã gửi');
    await waitUntil(() => regions[0].textContent === 'Đã gửi');
    el.announce('Đã gửi');
    expect(regions[0].textContent, 'cleared so a repeat is read again').to.equal('');
    await waitUntil(() => regions[0].textContent === 'Đã gửi');
  });

  it('emits bubbling, composed events out of a shadow root', async () => {
    const outer = await fixture<HTMLDivElement>(html`<div></div>`);
    const el = document.createElement('test-broken-widget') as BrokenWidget;
    outer.attachShadow({ mode: 'open' }).append(el);
    let detail: unknown;
    document.addEventListener('civic-test', (e) => (detail = (e as CustomEvent).detail), {
      once: true,
    });
    el.emit('civic-test', { a: 1 });
    expect(detail).to.deep.equal({ a: 1 });
  });

  it('builds site URLs from attributes, encoding the site', async () => {
    const el = await fixture<BrokenWidget>(
      html`<test-broken-widget site="sở y tế" api="https://api.example.test//"></test-broken-widget>`,
    );
    expect(el.url()).to.equal('https://api.example.test/api/v1/sites/s%E1%BB%9F%20y%20t%E1%BA%BF');
  });

  it('define() twice warns once and never throws', () => {
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      expect(() => BrokenWidget.define('test-broken-widget')).not.to.throw();
      class Other extends CivicElement {}
      expect(() => Other.define('test-broken-widget')).not.to.throw();
      expect(() => BrokenWidget.define('test-broken-widget')).not.to.throw();
    } finally {
      console.warn = warn;
    }
    expect(warnings).to.have.length(1);
    expect(customElements.get('test-broken-widget')).to.equal(BrokenWidget);
  });
});
