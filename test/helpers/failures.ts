/**
 * `watchFailures()` registers beforeEach/afterEach hooks that collect, for each test, the
 * `civic-error` events and the uncaught errors / unhandled rejections of the page. The arrays are
 * cleared in place before each test, so callers may destructure them once.
 *
 * `describeLoadFailures()` runs the test every widget passes alike when its data cannot load.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { CivicErrorDetail } from '../../src/client/civic-element.js';
import { configure, getConfig } from '../../src/client/config.js';
import { afterEach, beforeEach, describe, it } from './mocha.js';
import { catchUncaught, type MockFetch, type MockResponse } from './mock-fetch.js';
import { isShown, part, sleep } from './widget.js';

export function watchFailures(options: { expectNoUncaught?: boolean } = {}): {
  errors: CivicErrorDetail[];
  uncaught: { errors: unknown[] };
} {
  const errors: CivicErrorDetail[] = [];
  const uncaught = { errors: [] as unknown[] };
  let stop = () => {};
  const onError = (e: CustomEvent<CivicErrorDetail>) => errors.push(e.detail);
  beforeEach(() => {
    errors.length = 0;
    const caught = catchUncaught();
    uncaught.errors = caught.errors;
    stop = caught.stop;
    document.addEventListener('civic-error', onError);
  });
  afterEach(() => {
    stop();
    document.removeEventListener('civic-error', onError);
    if (options.expectNoUncaught) expect(uncaught.errors).to.deep.equal([]);
  });
  return { errors, uncaught };
}

type Lang = 'vi' | 'en';

export interface LoadFailure {
  name: string;
  /** The answers to the widget's requests: it must make exactly these. */
  responses: MockResponse[];
  lang: Lang;
  code: string;
  message: string;
  /** The client's timeout for this case (ms); the failure must come soon after it. */
  timeoutMs?: number;
}

/** The client's messages for the failures every widget meets alike. */
const MESSAGES = {
  internal: {
    vi: 'Máy chủ đang gặp sự cố. Vui lòng thử lại sau.',
    en: 'The server has a problem. Please try again later.',
  },
  bad_response: {
    vi: 'Máy chủ trả về dữ liệu không hợp lệ.',
    en: 'The server sent an invalid response.',
  },
  network: {
    vi: 'Không thể kết nối tới máy chủ. Vui lòng kiểm tra mạng.',
    en: 'Cannot reach the server. Please check your connection.',
  },
};

/** Failures of any widget's first request, in the visitor's language. */
export const loadFailure = {
  serverError: (lang: Lang): LoadFailure => ({
    name: '500 (after retrying)',
    responses: Array(3).fill({
      status: 500,
      json: { error: { code: 'internal', message: 'boom' } },
    }),
    lang,
    code: 'internal',
    message: MESSAGES.internal[lang],
  }),
  /** A page (the site's own 404 or home page) where the JSON should be. */
  html: (lang: Lang, html: string): LoadFailure => ({
    name: 'HTML instead of JSON',
    responses: [{ html }],
    lang,
    code: 'bad_response',
    message: MESSAGES.bad_response[lang],
  }),
  /** JSON of another shape than the widget expects. */
  wrongJson: (lang: Lang, name: string, json: unknown): LoadFailure => ({
    name,
    responses: [{ json }],
    lang,
    code: 'bad_response',
    message: MESSAGES.bad_response[lang],
  }),
  network: (lang: Lang): LoadFailure => ({
    name: 'network error / offline (after retrying)',
    responses: ['network-error', 'network-error', 'network-error'],
    lang,
    code: 'network',
    message: MESSAGES.network[lang],
  }),
};

/**
 * One test per case: the widget whose data cannot load fires one civic-error with the localized
 * message, shows that message, hides its base part and shows its light-DOM fallback (a <p>), has
 * made exactly the requests answered, throws nothing into the page and stays accessible.
 * `render` puts the widget in the page, in `lang`, with that fallback.
 */
export function describeLoadFailures(
  mock: MockFetch,
  cases: LoadFailure[],
  render: (lang: Lang) => Promise<HTMLElement>,
): void {
  describe('failures while loading', () => {
    const { errors, uncaught } = watchFailures();
    const initialTimeout = getConfig().timeoutMs;
    afterEach(() => configure({ timeoutMs: initialTimeout ?? 10_000 }));

    for (const c of cases) {
      it(`${c.name}: localized message, fallback shown, civic-error, nothing uncaught`, async () => {
        if (c.timeoutMs) configure({ timeoutMs: c.timeoutMs });
        mock.queue(...c.responses);
        const started = performance.now();
        const el = await render(c.lang);
        await waitUntil(() => errors.length > 0, 'no civic-error', { timeout: 5000 });
        expect(errors).to.deep.equal([{ code: c.code, message: c.message }]);
        expect(part(el, 'error-message')?.textContent).to.equal(c.message);
        expect(isShown(part(el, 'error-message'))).to.be.true;
        expect(isShown(el.querySelector('p')), 'fallback visible').to.be.true;
        expect(isShown(part(el, 'base')), 'the widget itself hidden').to.be.false;
        expect(mock.calls).to.have.length(c.responses.length);
        if (c.timeoutMs) expect(performance.now() - started).to.be.below(c.timeoutMs + 1500);
        await sleep(100);
        expect(uncaught.errors).to.deep.equal([]);
        await expect(el).to.be.accessible();
      });
    }
  });
}
