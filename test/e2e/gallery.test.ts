/**
 * The gallery (`/gallery/`) against the real server, in Chromium and Firefox ESR: every state of
 * every widget is there and says what it must, in Vietnamese and English, light and dark; no
 * CSP violation, no page error, no console error (but the browser's own line for each request
 * the failing panes make fail on purpose); axe passes on the whole page in both schemes.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { axeViolations } from '../helpers/axe.js';
import { sqliteEngine, type TestEngine } from '../helpers/engines.js';
import { startServer, type RunningServer } from '../helpers/server-process.js';
import { chromiumTabs, firefoxTabs, type TabBrowser } from '../helpers/tab.js';

/**
 * Every `--civic-*` variable: each widget's documented ones (`@cssprop`) and the global tokens
 * the shared styles read.
 */
const VARIABLES = [
  ...readdirSync('src/components', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [
      ...readFileSync(`src/components/${f}`, 'utf8').matchAll(/@cssprop (--civic-[a-z0-9-]+)/g),
    ]),
  ...readFileSync('src/client/styles/base.styles.ts', 'utf8').matchAll(
    /var\((--civic-[a-z0-9-]+)/g,
  ),
].map((m) => m[1]!);

/** What the browser logs by itself for the requests of the error panes (not the page's errors). */
const EXPECTED_FAILURES =
  /^console error: Failed to load resource: (net::ERR_EMPTY_RESPONSE|the server responded with a status of 404 \(Not Found\))$/;

/**
 * What each state shows, read in the page: `[data-state=X]`'s widget → its visible text by part,
 * and for an error its message and the text of the fallback it shows. Runs in the browser.
 */
function read() {
  const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
  const widget = (state: string) =>
    document.querySelector(`[data-state="${state}"] > :not(figcaption)`) as HTMLElement & {
      value?: string;
    };
  const shadow = (state: string, inner?: string) => {
    const root = widget(state)?.shadowRoot;
    return inner ? root?.querySelector(inner)?.shadowRoot : root;
  };
  const part = (state: string, name: string, inner?: string) =>
    norm(shadow(state, inner)?.querySelector(`[part~="${name}"]`)?.textContent);
  const count = (state: string, sel: string, inner?: string) =>
    shadow(state, inner)?.querySelectorAll(sel).length ?? 0;
  /** "message | fallback" when the error box shows, else "". */
  const error = (state: string) => {
    const box = shadow(state)?.querySelector<HTMLElement>('[part="error"]');
    if (!box || box.hidden) return '';
    const slot = box.querySelector('slot');
    const fallback = (slot?.assignedElements() ?? []) as HTMLElement[];
    return `${part(state, 'error-message')} | ${norm(fallback.map((e) => e.innerText).join(' '))}`;
  };
  const busy = (state: string) =>
    shadow(state)?.querySelector('[part~="base"]')?.getAttribute('aria-busy') === 'true';
  /** Pixels of the widget's box below its shown content (its error box or its content). */
  const blank = (state: string) => {
    const host = widget(state);
    // The boxes of `display: contents` wrappers are their children's.
    const boxes = (e: Element): Element[] =>
      getComputedStyle(e).display === 'contents' ? [...e.children].flatMap(boxes) : [e];
    const shown = [...(host?.shadowRoot?.children ?? [])]
      .filter(
        (e) => e instanceof HTMLElement && !e.hidden && !e.classList.contains('visually-hidden'),
      )
      .flatMap(boxes);
    const bottom = Math.max(...shown.map((e) => e.getBoundingClientRect().bottom));
    return Math.round(host!.getBoundingClientRect().bottom - bottom);
  };
  const marquee = widget('marquee-running');
  return {
    blanks: Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>('[data-state]')].map((e) => [
        e.dataset.state!,
        blank(e.dataset.state!),
      ]),
    ),
    lang: document.documentElement.lang,
    pollLoading: busy('poll-loading') && part('poll-loading', 'status'),
    counterLoading: busy('counter-loading') && norm(shadow('counter-loading')?.textContent),
    commentsLoading: part('comments-loading', 'heading'),
    captchaLoading: busy('captcha-loading') && part('captcha-loading', 'image'),
    loadingErrors: ['poll', 'counter', 'comments', 'captcha']
      .map((w) => error(`${w}-loading`))
      .join(''),
    loaded: `${count('poll-loading', 'input')} ${count('captcha-loading', 'img')} ${count('comments-loading', '[part~="item"]')} ${/\d/.test(part('counter-loading', 'total'))}`,
    pollOpen: `${count('poll-open', 'input[type="radio"]')} ${part('poll-open', 'submit-button')}`,
    pollMulti: `${count('poll-multi', 'input[type="checkbox"]')} ${part('poll-multi', 'hint')}`,
    pollVoted: `${part('poll-voted', 'notice')} ${part('poll-voted', 'total')}`,
    pollVotedMine: count('poll-voted', '[part~="result-mine"]'),
    pollClosed: `${part('poll-closed', 'status')} ${part('poll-closed', 'total')}`,
    pollClosedForm: count('poll-closed', 'form'),
    pollUnreachable: error('poll-unreachable'),
    pollUnknownSite: error('poll-unknown-site'),
    commentsList: `${part('comments-list', 'heading')} ${count('comments-list', '[part~="item"]')} ${count('comments-list', '[part~="reply"]')}`,
    commentsForm: `${count('comments-list', 'form')} ${count('comments-list', 'img[part~="image"]', 'civic-captcha')}`,
    commentsEmpty: part('comments-empty', 'empty'),
    commentsPending: part('comments-pending', 'notice'),
    commentsUnreachable: error('comments-unreachable'),
    commentsUnknownSite: error('comments-unknown-site'),
    captchaCode: `${count('captcha-code', 'img[part~="image"]')} ${part('captcha-code', 'pow-button')}`,
    captchaPow: `${count('captcha-pow', 'img')} ${part('captcha-pow', 'status')}`,
    captchaUnreachable: error('captcha-unreachable'),
    captchaUnknownSite: error('captcha-unknown-site'),
    marqueeRunning: `${marquee?.hasAttribute('paused')} ${part('marquee-running', 'toggle-button')} ${norm(shadow('marquee-running')?.querySelector('[part~="track"]')?.textContent).includes('Kỷ niệm 74 năm')}`,
    marqueePaused: `${widget('marquee-paused')?.hasAttribute('paused')} ${part('marquee-paused', 'toggle-button')} ${count('marquee-paused', '[part~="slogan"]')}`,
    marqueeUnreachable: `${part('marquee-unreachable', 'item')} ${error('marquee-unreachable')}`,
    marqueeUnknownSite: error('marquee-unknown-site'),
    linksList: `${shadow('links-list')?.querySelector('nav')?.getAttribute('aria-label')} ${count('links-list', 'a[part~="link"]')}`,
    linksInline: count('links-inline', 'ul.inline a[part~="link"]'),
    linksSelect: `${count('links-select', 'select option')} ${part('links-select', 'go-button')}`,
    linksBanners: count('links-banners', 'img[part~="image"][alt]:not([alt=""])'),
    linksUnreachable: `${count('links-unreachable', 'a[part~="link"]')} ${error('links-unreachable')}`,
    linksUnknownSite: error('links-unknown-site'),
    counter: part('counter', 'total'),
    counterMonth: `${part('counter-month', 'total')} ${count('counter-month', '[part~="month"]')}`,
    counterUnreachable: error('counter-unreachable'),
    counterUnknownSite: error('counter-unknown-site'),
    tokens: [...document.querySelectorAll('#tokens tbody th')].map((th) => th.textContent),
  };
}

type Shown = ReturnType<typeof read>;

/** Every state has settled: the loading panes have loaded, the page has voted and commented. */
const settled = (s: Shown) =>
  !s.pollLoading &&
  !s.counterLoading &&
  s.loaded === '4 1 2 true' &&
  !/…|\.\.\./.test(s.commentsLoading) &&
  s.pollVotedMine > 0 &&
  !!s.commentsPending &&
  /\d/.test(s.captchaPow) &&
  !!s.counter &&
  s.tokens.length > 0;

const TEXT = {
  vi: {
    loading: 'Đang tải…',
    counterLoading: 'Số lượt truy cập –Đang tải… Hôm nay –Đang tải… Đang online –Đang tải…',
    vote: 'Gửi bình chọn',
    hint: 'Chọn tối đa 2 phương án.',
    thanks: /^Cảm ơn bạn đã bình chọn\. Tổng cộng \d+ người đã bình chọn\.$/,
    closed: /^Cuộc thăm dò đã kết thúc \(.*2025\)\. Tổng cộng 24 người đã bình chọn\.$/,
    network: 'Không thể kết nối tới máy chủ. Vui lòng kiểm tra mạng.',
    notFound: 'Không tìm thấy dữ liệu.',
    pollFallback: 'Thăm dò ý kiến (trang không cần JavaScript)',
    commentFallback: 'Gửi ý kiến (trang không cần JavaScript)',
    fallback: 'Nội dung dự phòng của trang.',
    captchaFallback: 'Không tải được bước xác minh.',
    comments: 'Ý kiến độc giả (2) 2 1',
    empty: 'Chưa có ý kiến nào.',
    pending: 'Ý kiến của bạn đang chờ kiểm duyệt.',
    pow: 'Không đọc được mã?',
    done: /^0 Đã xác minh \(mất [\d,]+ giây\)\.$/,
    pause: 'Tạm dừng',
    play: 'Tiếp tục',
    go: 'Đi',
    total: /^414\.4\d\d$/,
  },
  en: {
    loading: 'Loading…',
    counterLoading: 'Visits –Loading… Today –Loading… Online now –Loading…',
    vote: 'Vote',
    hint: 'Choose up to 2 options.',
    thanks: /^Thank you for voting\. \d+ people have voted\.$/,
    closed: /^This poll closed on .*2025.*\. 24 people have voted\.$/,
    network: 'Cannot reach the server. Please check your connection.',
    notFound: 'Nothing was found.',
    pollFallback: 'Poll (page without JavaScript)',
    commentFallback: 'Comment (page without JavaScript)',
    fallback: "The page's fallback content.",
    captchaFallback: 'The check could not load.',
    comments: "Readers' comments (2) 2 1",
    empty: 'No comments yet.',
    pending: 'Your comment awaits moderation.',
    pow: "Can't read the code?",
    done: /^0 Verified \(took [\d.]+ s\)\.$/,
    pause: 'Pause',
    play: 'Play',
    go: 'Go',
    total: /^414,4\d\d$/,
  },
};

/** The states that show less than their widget's default content (errors, no comment form). */
const TIGHT =
  /-unknown-site$|^(poll|comments|captcha|counter)-unreachable$|^comments-(empty|loading)$/;

/** Every state, checked against what it must say in `lang`. */
function checkStates(s: Shown, lang: 'vi' | 'en'): void {
  const t = TEXT[lang];
  // Every mismatch, not only the first.
  const failures: string[] = [];
  const soft =
    <A extends unknown[]>(check: (...args: A) => void) =>
    (...args: A) => {
      try {
        check(...args);
      } catch (e) {
        failures.push((e as Error).message);
      }
    };
  const expect = {
    equal: soft(assert.equal),
    match: soft(assert.match),
    ok: soft(assert.ok),
  };
  expect.equal(s.lang, lang);
  expect.equal(s.loaded, '4 1 2 true', 'the loading panes have loaded');
  expect.equal(s.loadingErrors, '', 'the loading panes have loaded');
  expect.equal(s.pollOpen, `4 ${t.vote}`, 'open poll: four radios and the vote button');
  expect.equal(s.pollMulti, `3 ${t.hint}`, 'multiple choice: checkboxes and the hint');
  expect.match(s.pollVoted, t.thanks, 'voted: thanks and the results');
  expect.equal(s.pollVotedMine, 1, "voted: the visitor's choice is marked");
  expect.match(s.pollClosed, t.closed, 'closed poll: says closed, shows the results');
  expect.equal(s.pollClosedForm, 0, 'closed poll: no form');
  expect.equal(s.pollUnreachable, `${t.network} | ${t.pollFallback}`);
  expect.equal(s.pollUnknownSite, `${t.notFound} | ${t.fallback}`);
  expect.match(s.commentsList, new RegExp(`^${t.comments.replace(/[()]/g, '\\$&')}$`));
  expect.equal(s.commentsForm, '1 1', 'the form with the code captcha');
  expect.equal(s.commentsEmpty, t.empty);
  expect.equal(s.commentsPending, t.pending, 'the comment the page sent awaits moderation');
  expect.equal(s.commentsUnreachable, `${t.network} | ${t.commentFallback}`);
  expect.equal(s.commentsUnknownSite, `${t.notFound} | ${t.fallback}`);
  expect.equal(s.captchaCode, `1 ${t.pow}`, 'the code image and the proof-of-work button');
  expect.match(s.captchaPow, t.done, 'proof of work only: no image, verified by itself');
  expect.equal(s.captchaUnreachable, `${t.network} | ${t.captchaFallback}`);
  expect.equal(s.captchaUnknownSite, `${t.notFound} | ${t.fallback}`);
  expect.equal(s.marqueeRunning, `false ${t.pause} true`, "running with the server's slogans");
  expect.equal(s.marqueePaused, `true ${t.play} 1`, 'paused: one slogan, still');
  expect.equal(
    s.marqueeUnreachable,
    'SỐNG, CHIẾN ĐẤU, LAO ĐỘNG VÀ HỌC TẬP THEO GƯƠNG BÁC HỒ VĨ ĐẠI ',
    "unreachable: the page's own slogan stays, no error box",
  );
  expect.equal(s.marqueeUnknownSite, `${t.notFound} | `);
  expect.equal(s.linksList, 'Liên kết web 4');
  expect.equal(s.linksInline, 4);
  expect.equal(s.linksSelect, `4 ${t.go}`);
  expect.equal(s.linksBanners, 3, 'three banners, each with its alt text');
  expect.equal(s.linksUnreachable, '1 ', "unreachable: the page's own link stays");
  expect.equal(s.linksUnknownSite, `${t.notFound} | `);
  expect.match(s.counter, t.total);
  expect.match(s.counterMonth, new RegExp(`^${t.total.source.slice(1, -1)} 1$`));
  expect.equal(s.counterUnreachable, `${t.network} | 414.428`);
  expect.equal(s.counterUnknownSite, `${t.notFound} | 414.428`);
  // The loader's reserved room is gone where the widget shows less than its default content:
  // each error state, and the comments without their form.
  for (const [state, px] of Object.entries(s.blanks))
    if (TIGHT.test(state)) expect.equal(px, 0, `${state}: no blank room below what it shows`);
  expect.ok(VARIABLES.length > 40, `${VARIABLES.length} variables found in the sources`);
  for (const name of VARIABLES)
    expect.ok(s.tokens.includes(name), `the variables table lists ${name}`);
  assert.deepEqual(failures, []);
}

/**
 * One server per browser: each opening of the gallery asks for about seven captchas, and a
 * network may ask for 30 a minute.
 */
for (const [label, launch] of [
  ['Chromium', chromiumTabs],
  ['Firefox ESR', firefoxTabs],
] as const)
  describe(`the gallery in ${label}`, () => {
    let engine: TestEngine;
    let server: RunningServer;
    before(async () => {
      engine = await sqliteEngine();
      // The proof of work at its lowest cost: the pending comment does not wait for it.
      server = await startServer(
        { ...engine.env, CAPTCHA_POW_BASE: '1000', CAPTCHA_POW_CEILING: '1000' },
        { readyTimeoutMs: 60_000 },
      );
    });
    after(async () => {
      await server?.stop();
      await engine?.drop();
    });

    for (const [lang, scheme] of [
      ['vi', 'light'],
      ['en', 'dark'],
    ] as const)
      describe(`${lang}, ${scheme}`, () => {
        let browser: TabBrowser;
        before(async () => {
          browser = await launch([], { colorScheme: scheme });
        });
        after(() => browser?.close());

        it('every widget in every state; no CSP violation, no error; axe passes', async () => {
          const tab = await browser.newTab();
          try {
            await tab.goto(`${server.url}/gallery/?lang=${lang}&scheme=${scheme}`);
            const t = TEXT[lang];
            // `read` in the page, through the debugging protocol (the CSP allows no eval).
            // (`__name`: what the TypeScript loader wraps named functions in.)
            await tab.inject(
              `window.__name = (f) => f; window.__read = ${read.toString()}; window.__settled = ${settled.toString()}`,
            );
            // The loading panes, while their server holds the answer (5 s).
            const first = await tab.waitFor(() => {
              const s = (window as unknown as { __read: typeof read }).__read();
              return !!s.pollLoading && !!s.counterLoading && !!s.captchaLoading && s;
            });
            assert.equal(first.pollLoading, t.loading);
            assert.equal(first.counterLoading, t.counterLoading);
            assert.equal(first.captchaLoading, t.loading);
            assert.equal(first.commentsLoading, t.loading);
            // Then every pane settles: the loading ones load, the page votes and comments.
            const shown = await tab
              .waitFor(
                () => {
                  const w = window as unknown as { __read: typeof read; __settled: typeof settled };
                  const s = w.__read();
                  return w.__settled(s) && s;
                },
                undefined,
                120_000,
              )
              .catch(async (e: Error) => {
                const now = await tab.evaluate(() =>
                  (window as unknown as { __read: typeof read }).__read(),
                );
                throw new Error(`${e.message}; the page shows ${JSON.stringify(now, null, 1)}`);
              });
            checkStates(shown, lang);
            assert.equal(
              await tab.evaluate(() => getComputedStyle(document.documentElement).colorScheme),
              scheme,
            );
            assert.equal(
              await tab.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches),
              scheme === 'dark',
              'the browser prefers the scheme',
            );
            // The widgets paint in the scheme: the open poll's box is dark in dark, light in light.
            const surface = await tab.evaluate(() => {
              const poll = document.querySelector('[data-state="poll-open"] civic-poll');
              const base = poll!.shadowRoot!.querySelector('[part~="base"]')!;
              const [r, g, b] = getComputedStyle(base).backgroundColor.match(/\d+/g)!.map(Number);
              return r! + g! + b!;
            });
            assert.ok(scheme === 'dark' ? surface < 200 : surface > 600, `poll surface ${surface}`);
            // The gallery shows each widget several times, so their landmarks repeat (two comment
            // forms, two lists of one thread): a page shows each once.
            assert.deepEqual(
              await axeViolations(tab, { rules: { 'landmark-unique': { enabled: false } } }),
              [],
              'axe',
            );
            assert.deepEqual(
              await tab.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
              [],
              'no CSP violation',
            );
            assert.deepEqual(
              tab.problems.filter((p) => !EXPECTED_FAILURES.test(p)),
              [],
              'no page error, no console error',
            );
          } finally {
            await tab.close();
          }
        });
      });
  });
