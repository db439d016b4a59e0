import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { configure, getConfig } from '../../src/client/config.js';
import { CivicVisitCounter } from '../../src/components/visit-counter/civic-visit-counter.js';
import { afterEach, beforeEach, describe, it } from '../helpers/mocha.js';
import { watchFailures } from '../helpers/failures.js';
import {
  catchUncaught,
  deferred,
  installMockFetch,
  type MockFetch,
  type MockResponse,
} from '../helpers/mock-fetch.js';

const API = 'https://api.example.test';
const STATS = { total: 414431, today: 3, month: 20, online: 2, counted: true };
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const part = (el: CivicVisitCounter, name: string) =>
  el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const value = (el: CivicVisitCounter, name: string) => part(el, name)?.textContent?.trim() ?? null;
const labels = (el: CivicVisitCounter) =>
  [...el.shadowRoot!.querySelectorAll('[part~="label"]')].map((l) => l.textContent!.trim());
const loaded = (el: CivicVisitCounter) =>
  waitUntil(() => /\d/.test(value(el, 'total') ?? ''), 'figures never arrived');
const errorMessage = (el: CivicVisitCounter) => part(el, 'error-message')?.textContent ?? '';
const isShown = (node: Element | null | undefined) => !!node && node.getClientRects().length > 0;
const sessionOf = (mock: MockFetch, i: number) =>
  (mock.calls[i].body as { session: string }).session;

/**
 * Switches prefers-color-scheme where the browser allows it. emulateMedia is Chromium-only (BiDi
 * has no such command), so Firefox keeps its launch preference: the "Firefox (dark)" launcher
 * prefers dark. Returns whether the page now has `scheme`.
 */
async function useColorScheme(scheme: 'light' | 'dark'): Promise<boolean> {
  if (!/Firefox\//.test(navigator.userAgent)) await emulateMedia({ colorScheme: scheme });
  return matchMedia(`(prefers-color-scheme: ${scheme})`).matches;
}

function setVisibility(state: DocumentVisibilityState) {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('<civic-visit-counter>', () => {
  let mock: MockFetch;
  const initialConfig = getConfig();
  beforeEach(() => {
    mock = installMockFetch();
    sessionStorage.clear();
  });
  afterEach(async () => {
    document.querySelectorAll('civic-visit-counter').forEach((el) => el.remove());
    mock.restore();
    configure({ timeoutMs: initialConfig.timeoutMs ?? 10_000 });
    delete (document as { visibilityState?: unknown }).visibilityState;
    await useColorScheme('light');
  });

  describe('figures', () => {
    it('shows total, today and online now, formatted for vi', async () => {
      mock.queue({ json: STATS });
      const el = await fixture<CivicVisitCounter>(
        html`<civic-visit-counter lang="vi" site="demo" api=${API}></civic-visit-counter>`,
      );
      await loaded(el);
      expect(labels(el)).to.deep.equal(['Số lượt truy cập', 'Hôm nay', 'Đang online']);
      expect([value(el, 'total'), value(el, 'today'), value(el, 'online')]).to.deep.equal([
        '414.431',
        '3',
        '2',
      ]);
      expect(part(el, 'month')).to.equal(null);
    });

    it('shows English labels and en number format from the closest [lang]', async () => {
      mock.queue({ json: { ...STATS, total: 1234567 } });
      const wrap = await fixture(
        html`<div lang="en-GB"><civic-visit-counter site="demo" api=${API}></civic-visit-counter></div>`,
      );
      const el = wrap.querySelector('civic-visit-counter')!;
      await loaded(el);
      expect(labels(el)).to.deep.equal(['Visits', 'Today', 'Online now']);
      expect(value(el, 'total')).to.equal('1,234,567');
    });

    it('adds this month with show-month and hides online with no-online', async () => {
      mock.queue({ json: STATS });
      const el = await fixture<CivicVisitCounter>(
        html`<civic-visit-counter lang="vi" site="demo" api=${API} show-month no-online></civic-visit-counter>`,
      );
      await loaded(el);
      expect(labels(el)).to.deep.equal(['Số lượt truy cập', 'Hôm nay', 'Tháng này']);
      expect(value(el, 'month')).to.equal('20');
      expect(part(el, 'online')).to.equal(null);
    });

    it('rejects a JSON body that is not visit figures', async () => {
      mock.queue({ json: { total: '414431' } });
      const el = await fixture<CivicVisitCounter>(
        html`<civic-visit-counter lang="en" site="demo" api=${API}></civic-visit-counter>`,
      );
      await waitUntil(() => errorMessage(el));
      expect(errorMessage(el)).to.equal('The server sent an invalid response.');
    });
  });

  describe('requests', () => {
    it('defaults the API to the origin the script came from', async () => {
      mock.queue({ json: STATS });
      await fixture(html`<civic-visit-counter site="demo"></civic-visit-counter>`);
      await waitUntil(() => mock.calls.length === 1);
      expect(mock.calls[0].url).to.equal(`${location.origin}/api/v1/sites/demo/visits`);
    });

    it('POSTs {page, session} as JSON to the site and api from its attributes', async () => {
      mock.queue({ json: STATS });
      const el = await fixture<CivicVisitCounter>(
        html`<civic-visit-counter site="so-y-te" api="https://stats.example.test/"></civic-visit-counter>`,
      );
      await loaded(el);
      expect(mock.calls).to.have.length(1);
      const [call] = mock.calls;
      expect(call.url).to.equal('https://stats.example.test/api/v1/sites/so-y-te/visits');
      expect(call.method).to.equal('POST');
      expect(call.headers['content-type']).to.equal('application/json');
      expect(call.body).to.deep.equal({ page: location.pathname, session: sessionOf(mock, 0) });
      expect(sessionOf(mock, 0)).to.match(UUID_V4);
    });

    it('falls back to the configured site and api', async () => {
      configure({ site: 'cfg-site', api: 'https://cfg.example.test' });
      mock.queue({ json: STATS });
      await fixture(html`<civic-visit-counter></civic-visit-counter>`);
      await waitUntil(() => mock.calls.length === 1);
      expect(mock.calls[0].url).to.equal('https://cfg.example.test/api/v1/sites/cfg-site/visits');
    });

    it('keeps one session id per browser session and site, in sessionStorage, without cookies', async () => {
      const cookies = document.cookie;
      mock.queue({ json: STATS }, { json: { ...STATS, counted: false } }, { json: STATS });
      const first = await fixture<CivicVisitCounter>(
        html`<civic-visit-counter site="demo" api=${API}></civic-visit-counter>`,
      );
      await loaded(first);
      first.remove();
      // A second element (or a reload: sessionStorage survives it) sends the same id.
      const second = await fixture<CivicVisitCounter>(
        html`<civic-visit-counter site="demo" api=${API}></civic-visit-counter>`,
      );
      await loaded(second);
      const other = await fixture<CivicVisitCounter>(
        html`<civic-visit-counter site="other" api=${API}></civic-visit-counter>`,
      );
      await loaded(other);
      expect(mock.calls).to.have.length(3);
      expect(sessionOf(mock, 1)).to.equal(sessionOf(mock, 0));
      expect(sessionStorage.getItem('civic-visit-session:demo')).to.equal(sessionOf(mock, 0));
      expect(sessionOf(mock, 2)).to.match(UUID_V4).and.not.equal(sessionOf(mock, 0));
      expect(document.cookie).to.equal(cookies);
    });

    it('keeps the session id in memory when sessionStorage throws', async () => {
      const { getItem, setItem } = Storage.prototype;
      Storage.prototype.getItem = () => {
        throw new DOMException('denied', 'SecurityError');
      };
      Storage.prototype.setItem = Storage.prototype.getItem;
      try {
        mock.queue({ json: STATS }, { json: STATS });
        const a = await fixture<CivicVisitCounter>(
          html`<civic-visit-counter site="blocked" api=${API}></civic-visit-counter>`,
        );
        await loaded(a);
        const b = await fixture<CivicVisitCounter>(
          html`<civic-visit-counter site="blocked" api=${API}></civic-visit-counter>`,
        );
        await loaded(b);
      } finally {
        Object.assign(Storage.prototype, { getItem, setItem });
      }
      expect(sessionOf(mock, 0)).to.match(UUID_V4);
      expect(sessionOf(mock, 1)).to.equal(sessionOf(mock, 0));
    });

    it('retries the visit POST (idempotent per session) after a network error', async () => {
      mock.queue('network-error', { json: STATS });
      const el = await fixture<CivicVisitCounter>(
        html`<civic-visit-counter site="demo" api=${API}></civic-visit-counter>`,
      );
      await loaded(el);
      expect(mock.calls).to.have.length(2);
      expect(sessionOf(mock, 1)).to.equal(sessionOf(mock, 0));
    });
  });

  describe('heartbeat', () => {
    it('refreshes with a POST heartbeat while visible, with the same session', async () => {
      setVisibility('visible');
      mock.fallback = { json: { ...STATS, online: 5, counted: false } };
      mock.queue({ json: STATS });
      const el = await fixture<CivicVisitCounter>(
        html`<civic-visit-counter site="demo" api=${API} heartbeat-interval="100"></civic-visit-counter>`,
      );
      await waitUntil(() => mock.calls.length >= 3, 'no heartbeat', { timeout: 2000 });
      expect(new Set(mock.calls.map((_, i) => sessionOf(mock, i))).size).to.equal(1);
      expect(mock.calls.every((c) => c.method === 'POST')).to.be.true;
      await waitUntil(() => value(el, 'online') === '5', 'online not refreshed');
    });

    it('does not run while hidden, and refreshes once on becoming visible', async () => {
      setVisibility('visible');
      mock.fallback = { json: STATS };
      const el = await fixture<CivicVisitCounter>(
        html`<civic-visit-counter site="demo" api=${API} heartbeat-interval="80"></civic-visit-counter>`,
      );
      await loaded(el);
      setVisibility('hidden');
      const hiddenAt = mock.calls.length;
      await sleep(400);
      expect(mock.calls.length, 'heartbeats while hidden').to.equal(hiddenAt);
      setVisibility('visible');
      expect(mock.calls.length, 'immediate refresh on becoming visible').to.equal(hiddenAt + 1);
      await waitUntil(() => mock.calls.length >= hiddenAt + 3, 'heartbeat did not resume');
    });

    it('stops on disconnect and aborts the pending request silently', async () => {
      const uncaught = catchUncaught();
      const errors: unknown[] = [];
      document.addEventListener('civic-error', (e) => errors.push(e), { once: true });
      setVisibility('visible');
      mock.queue({ json: STATS });
      mock.fallback = 'hang';
      const el = await fixture<CivicVisitCounter>(
        html`<civic-visit-counter site="demo" api=${API} heartbeat-interval="50"></civic-visit-counter>`,
      );
      await waitUntil(() => mock.calls.length === 2, 'no heartbeat');
      el.remove();
      const count = mock.calls.length;
      await sleep(300);
      setVisibility('visible');
      uncaught.stop();
      expect(mock.calls.length).to.equal(count);
      expect(errors).to.deep.equal([]);
      expect(uncaught.errors).to.deep.equal([]);

      // Moved back into the page: counts (same session) and beats again.
      mock.fallback = { json: STATS };
      document.body.append(el);
      await waitUntil(() => mock.calls.length >= count + 3, 'heartbeat did not restart');
      expect(sessionOf(mock, count)).to.equal(sessionOf(mock, 0));
      el.remove();
    });

    it('keeps the last figures when a heartbeat fails, and recovers from a failed start', async () => {
      setVisibility('visible');
      mock.queue({ json: STATS }, { status: 503, text: '' });
      mock.fallback = { json: { ...STATS, total: 414432 } };
      const errors: unknown[] = [];
      const onError = (e: Event) => errors.push(e);
      document.addEventListener('civic-error', onError);
      const el = await fixture<CivicVisitCounter>(
        html`<civic-visit-counter lang="en" site="demo" api=${API} heartbeat-interval="100"></civic-visit-counter>`,
      );
      await waitUntil(() => mock.calls.length >= 2);
      expect(value(el, 'total')).to.equal('414,431');
      expect(errorMessage(el)).to.equal('');
      await waitUntil(() => value(el, 'total') === '414,432');
      document.removeEventListener('civic-error', onError);
      expect(errors).to.have.length(0);
      el.remove();

      // Now a start that fails (3 attempts), then a heartbeat that succeeds.
      mock.queue('network-error', 'network-error', 'network-error');
      const broken = await fixture<CivicVisitCounter>(
        html`<civic-visit-counter lang="en" site="demo" api=${API} heartbeat-interval="2000"><span>old counter</span></civic-visit-counter>`,
      );
      await waitUntil(() => errorMessage(broken), 'no error shown', { timeout: 3000 });
      await waitUntil(() => value(broken, 'total') === '414,432', 'no recovery', { timeout: 4000 });
      expect(isShown(part(broken, 'base'))).to.be.true;
      expect(isShown(broken.querySelector('span')), 'fallback hidden again').to.be.false;
    });
  });

  describe('layout', () => {
    for (const width of [320, 150]) {
      it(`keeps its height when the figures arrive (${width}px wide)`, async () => {
        const response = deferred<MockResponse>();
        mock.queue({ wait: response.promise });
        const wrap = document.createElement('div');
        wrap.style.setProperty('width', `${width}px`);
        const el = await fixture<CivicVisitCounter>(
          html`<civic-visit-counter lang="vi" site="demo" api=${API} show-month></civic-visit-counter>`,
          { parentNode: wrap },
        );
        await el.updateComplete;
        const before = el.getBoundingClientRect();
        expect(before.height).to.be.above(40);
        expect(part(el, 'base')!.getAttribute('aria-busy')).to.equal('true');
        response.resolve({ json: STATS });
        await loaded(el);
        const after = el.getBoundingClientRect();
        expect(after.height).to.equal(before.height);
        expect(after.width).to.equal(before.width);
        expect(part(el, 'base')!.getAttribute('aria-busy')).to.equal('false');
      });
    }
  });

  describe('failures', () => {
    const { errors, uncaught } = watchFailures();

    const cases: {
      name: string;
      responses: MockResponse[];
      lang: string;
      code: string;
      message: string;
      timeoutMs?: number;
    }[] = [
      {
        name: '500 (after retrying)',
        responses: Array(3).fill({
          status: 500,
          json: { error: { code: 'internal', message: 'boom' } },
        }),
        lang: 'vi',
        code: 'internal',
        message: 'Máy chủ đang gặp sự cố. Vui lòng thử lại sau.',
      },
      {
        name: 'HTML instead of JSON',
        responses: [{ html: '<!doctype html><title>Cổng thông tin</title><h1>Trang chủ</h1>' }],
        lang: 'en',
        code: 'bad_response',
        message: 'The server sent an invalid response.',
      },
      {
        name: 'a hang past the configured timeout',
        responses: ['hang'],
        lang: 'vi',
        code: 'timeout',
        message: 'Máy chủ phản hồi quá lâu. Vui lòng thử lại sau.',
        timeoutMs: 200,
      },
      {
        name: 'network error / offline (after retrying)',
        responses: ['network-error', 'network-error', 'network-error'],
        lang: 'en',
        code: 'network',
        message: 'Cannot reach the server. Please check your connection.',
      },
      {
        name: '429 with a long Retry-After',
        responses: [
          {
            status: 429,
            headers: { 'Retry-After': '120' },
            json: { error: { code: 'rate_limited', message: '' } },
          },
        ],
        lang: 'en',
        code: 'rate_limited',
        message: 'Too many requests. Try again in 120 seconds.',
      },
      {
        name: '404 unknown site',
        responses: [{ status: 404, json: { error: { code: 'site_not_found', message: '' } } }],
        lang: 'vi',
        code: 'site_not_found',
        message: 'Không tìm thấy dữ liệu.',
      },
    ];

    for (const c of cases) {
      it(`${c.name}: localized message, fallback shown, civic-error, nothing uncaught`, async () => {
        if (c.timeoutMs) configure({ timeoutMs: c.timeoutMs });
        mock.queue(...c.responses);
        const started = performance.now();
        const el =
          await fixture<CivicVisitCounter>(html`<civic-visit-counter lang=${c.lang} site="demo" api=${API}
          ><p>Số lượt truy cập: 414428</p></civic-visit-counter
        >`);
        await waitUntil(() => errors.length > 0, 'no civic-error', { timeout: 4000 });
        expect(errors).to.deep.equal([{ code: c.code, message: c.message }]);
        expect(errorMessage(el)).to.equal(c.message);
        expect(isShown(part(el, 'error-message'))).to.be.true;
        expect(isShown(el.querySelector('p')), 'fallback visible').to.be.true;
        expect(isShown(part(el, 'base')), 'rows hidden').to.be.false;
        expect(mock.calls).to.have.length(c.responses.length);
        if (c.timeoutMs) expect(performance.now() - started).to.be.below(c.timeoutMs + 1500);
        await sleep(100);
        expect(uncaught.errors).to.deep.equal([]);
        await expect(el).to.be.accessible();
      });
    }
  });

  for (const scheme of ['light', 'dark'] as const) {
    describe(`accessibility (${scheme})`, () => {
      beforeEach(async function () {
        // Each Firefox launcher covers one scheme; Chromium covers both.
        if (!(await useColorScheme(scheme))) this.skip();
      });

      it('is accessible while loading', async () => {
        const el = await fixture<CivicVisitCounter>(
          html`<civic-visit-counter lang="vi" site="demo" api=${API} show-month></civic-visit-counter>`,
        );
        await el.updateComplete;
        expect(part(el, 'total')!.textContent).to.contain('Đang tải');
        await expect(el).to.be.accessible();
      });

      it('is accessible when loaded, with the scheme colours', async () => {
        mock.queue({ json: STATS });
        const el = await fixture<CivicVisitCounter>(
          html`<civic-visit-counter lang="en" site="demo" api=${API} show-month></civic-visit-counter>`,
        );
        await loaded(el);
        const bg = getComputedStyle(part(el, 'base')!).backgroundColor;
        expect(bg).to.equal(scheme === 'dark' ? 'rgb(28, 31, 36)' : 'rgb(255, 255, 255)');
        await expect(el).to.be.accessible();
      });

      it('is accessible in the error state', async () => {
        mock.queue({ html: '<p>Not JSON</p>' });
        const el = await fixture<CivicVisitCounter>(
          html`<civic-visit-counter lang="vi" site="demo" api=${API}
            ><p>Số lượt truy cập: 414428 · <a href="/thong-ke">Thống kê</a></p></civic-visit-counter
          >`,
        );
        await waitUntil(() => errorMessage(el));
        await expect(el).to.be.accessible();
      });
    });
  }

  it('defining the tag again does not throw and warns once', () => {
    const warn = console.warn;
    let warnings = 0;
    console.warn = () => void warnings++;
    try {
      expect(() => CivicVisitCounter.define('civic-visit-counter')).not.to.throw();
      expect(() => CivicVisitCounter.define('civic-visit-counter')).not.to.throw();
    } finally {
      console.warn = warn;
    }
    expect(warnings).to.equal(1);
    expect(customElements.get('civic-visit-counter')).to.equal(CivicVisitCounter);
  });
});
