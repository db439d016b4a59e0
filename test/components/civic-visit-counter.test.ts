import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { configure } from '../../src/client/config.js';
import {
  CivicVisitCounter,
  visitSession,
} from '../../src/components/visit-counter/civic-visit-counter.js';
import { describeLoadFailures, loadFailure } from '../helpers/failures.js';
import { afterEach, beforeEach, describe, it } from '../helpers/mocha.js';
import { catchUncaught, deferred, type MockResponse } from '../helpers/mock-fetch.js';
import {
  API,
  describeColorSchemes,
  isShown,
  itKeepsTheFirstDefinition,
  part,
  setVisibility,
  sleep,
  SURFACE,
  useMockFetch,
  withStorageBlocked,
} from '../helpers/widget.js';

const STATS = { total: 414431, today: 3, month: 20, online: 2, counted: true };
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** The time (ms) at the start of a v7 id. */
const timeOf = (id: string) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

const value = (el: CivicVisitCounter, name: string) => part(el, name)?.textContent?.trim() ?? null;
const labels = (el: CivicVisitCounter) =>
  [...el.shadowRoot!.querySelectorAll('[part~="label"]')].map((l) => l.textContent!.trim());
const loaded = (el: CivicVisitCounter) =>
  waitUntil(() => /\d/.test(value(el, 'total') ?? ''), 'figures never arrived');
const errorMessage = (el: CivicVisitCounter) => part(el, 'error-message')?.textContent ?? '';
const sessionOf = (mock: { calls: Array<{ body: unknown }> }, i: number) =>
  (mock.calls[i].body as { session: string }).session;

/** A counter of `site` on the mocked API, once its figures have arrived. */
async function loadedCounter(site = 'demo'): Promise<CivicVisitCounter> {
  const el = await fixture<CivicVisitCounter>(
    html`<civic-visit-counter site=${site} api=${API}></civic-visit-counter>`,
  );
  await loaded(el);
  return el;
}

describe('<civic-visit-counter>', () => {
  const mock = useMockFetch('civic-visit-counter');
  beforeEach(() => sessionStorage.clear());
  afterEach(() => {
    delete (document as { visibilityState?: unknown }).visibilityState;
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
      expect(sessionOf(mock, 0)).to.match(UUID_V7);
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
      (await loadedCounter()).remove();
      // A second element (or a reload: sessionStorage survives it) sends the same id.
      await loadedCounter();
      await loadedCounter('other');
      expect(mock.calls).to.have.length(3);
      expect(sessionOf(mock, 1)).to.equal(sessionOf(mock, 0));
      expect(sessionStorage.getItem('civic-visit-session:demo')).to.equal(sessionOf(mock, 0));
      expect(sessionOf(mock, 2)).to.match(UUID_V7).and.not.equal(sessionOf(mock, 0));
      expect(document.cookie).to.equal(cookies);
    });

    it('starts a session id with the time (v7: new sessions go at the end of the index), random after it', async () => {
      mock.queue({ json: STATS }, { json: STATS });
      const before = Date.now();
      await loadedCounter('first');
      await loadedCounter('second');
      const [a, b] = [sessionOf(mock, 0), sessionOf(mock, 1)];
      expect(a).to.match(UUID_V7);
      expect(timeOf(a)).to.be.within(before, Date.now());
      expect(timeOf(b)).to.be.at.least(timeOf(a));
      // Two sessions begun in the same millisecond still differ in their 74 random bits.
      expect(a.slice(14)).to.not.equal(b.slice(14));
    });

    it('makes a well-formed id on a device whose clock is set before 1970', () => {
      const realNow = Date.now;
      Date.now = () => -86_400_000;
      let id: string;
      try {
        id = visitSession('clock-before-1970');
      } finally {
        Date.now = realNow;
      }
      expect(id).to.match(UUID_V7);
      expect(timeOf(id)).to.equal(0);
    });

    it('keeps a v4 session id that an earlier script stored', async () => {
      const earlier = '0b1e5e7a-1111-4222-a333-444455556666';
      sessionStorage.setItem('civic-visit-session:demo', earlier);
      mock.queue({ json: STATS });
      await loadedCounter();
      expect(sessionOf(mock, 0)).to.equal(earlier);
    });

    it('keeps the session id in memory when sessionStorage throws', async () => {
      mock.queue({ json: STATS }, { json: STATS });
      await withStorageBlocked(async () => {
        await loadedCounter('blocked');
        await loadedCounter('blocked');
      });
      expect(sessionOf(mock, 0)).to.match(UUID_V7);
      expect(sessionOf(mock, 1)).to.equal(sessionOf(mock, 0));
    });

    it('retries the visit POST (idempotent per session) after a network error', async () => {
      mock.queue('network-error', { json: STATS });
      await loadedCounter();
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

  describeLoadFailures(
    mock,
    [
      loadFailure.serverError('vi'),
      loadFailure.html('en', '<!doctype html><title>Cổng thông tin</title><h1>Trang chủ</h1>'),
      {
        name: 'a hang past the configured timeout',
        responses: ['hang'],
        lang: 'vi',
        code: 'timeout',
        message: 'Máy chủ phản hồi quá lâu. Vui lòng thử lại sau.',
        timeoutMs: 200,
      },
      loadFailure.network('en'),
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
    ],
    (lang) =>
      fixture(html`<civic-visit-counter lang=${lang} site="demo" api=${API}
        ><p>Số lượt truy cập: 414428</p></civic-visit-counter
      >`),
  );

  describeColorSchemes((scheme) => {
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
      expect(bg).to.equal(SURFACE[scheme]);
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

  itKeepsTheFirstDefinition(CivicVisitCounter, 'civic-visit-counter');
});
