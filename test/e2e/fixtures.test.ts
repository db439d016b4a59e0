import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sqliteEngine, type TestEngine } from '../helpers/engines.js';
import { startFixtureSite, type FixtureName, type FixtureSite } from '../helpers/fixture-site.js';
import { freePort, startServer, type RunningServer } from '../helpers/server-process.js';
import {
  assertClean,
  chromiumTabs,
  firefoxTabs,
  type Tab,
  type TabBrowser,
} from '../helpers/tab.js';
import {
  commentFormReady,
  counterTotal,
  jumpMenuOptions,
  marqueeText,
  postComment,
  shadowText,
  vote,
} from '../helpers/tab-widgets.js';

const TOKEN = 'e2e-admin-token-0123456789abcdef';
const POLL = 'danh-gia-cong-thong-tin';
/** A host name that resolves to 127.0.0.1 but is not localhost: plain HTTP there is not secure. */
const INSECURE_HOST = 'cong-thong-tin.test';

/**
 * Runs in every document before the page's scripts: adds up layout shifts (Chromium; Firefox has
 * no layout-shift entries, `__cls` stays null there) and, at the first frame after the document
 * is parsed, notes where each line of the page that follows a widget (`.after`) is (`__marks`).
 */
function watchLayout(): void {
  const w = window as unknown as {
    __cls: number | null;
    __marks: number[] | null;
    __sizes: string[];
  };
  w.__cls = null;
  w.__marks = null;
  if (PerformanceObserver.supportedEntryTypes.includes('layout-shift')) {
    w.__cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as Array<
        PerformanceEntry & { value: number; hadRecentInput: boolean }
      >)
        if (!e.hadRecentInput) w.__cls! += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  }
  document.addEventListener('DOMContentLoaded', () =>
    requestAnimationFrame(() => {
      const lines = [...document.querySelectorAll('.after')];
      w.__marks = lines.length
        ? lines.map((e) => Math.round(e.getBoundingClientRect().top + scrollY))
        : null;
      w.__sizes = [...document.querySelectorAll('main > *, header > *')].map(
        (e) => `${e.localName} ${e.getBoundingClientRect().height.toFixed(1)}`,
      );
    }),
  );
}

/** Where the `.after` lines are now. */
const marksNow = (tab: Tab) =>
  tab.evaluate(() =>
    [...document.querySelectorAll('.after')].map((e) =>
      Math.round(e.getBoundingClientRect().top + scrollY),
    ),
  );

interface Env {
  server: RunningServer;
  site: FixtureSite;
  browser: TabBrowser;
}

async function api(env: Env, path: string) {
  const res = await fetch(`${env.server.url}/api/v1${path}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked field by field
  return (await res.json()) as any;
}

const votes = async (env: Env): Promise<number> =>
  (await api(env, `/sites/demo/polls/${POLL}`)).results.options.reduce(
    (sum: number, o: { votes: number }) => sum + o.votes,
    0,
  );

/** Every widget of test/fixtures/widgets.html has loaded its data from the server. */
async function loaded(tab: Tab): Promise<void> {
  const total = await counterTotal(tab, '#counter');
  assert.match(total, /^414\.4\d\d$/, 'the counter shows the count in Vietnamese digits');
  await marqueeText(tab);
  // The server's four links replace the page's one fallback link.
  assert.match(
    (await jumpMenuOptions(tab, '#links', 4)).at(-1)!,
    /^Bộ Thông tin và Truyền thông/,
    "the jump menu lists the server's links",
  );
  assert.equal(await shadowText(tab, { host: '#links', sel: '[part~="go-button"]' }), 'Đi');
  await tab.waitFor(
    () => !!document.querySelector('#poll')?.shadowRoot?.querySelector('input[type="radio"]'),
  );
  await commentFormReady(tab, '#comments');
}

/** No line of the page moved while the widgets loaded (and, in Chromium, no layout shift at all). */
async function noShift(tab: Tab): Promise<void> {
  // Let the last frames settle.
  await new Promise((r) => setTimeout(r, 500));
  const { cls, marks } = await tab.evaluate(() => {
    const w = window as unknown as { __cls: number | null; __marks: number[] | null };
    return { cls: w.__cls, marks: w.__marks };
  });
  assert.ok(marks, 'the lines were noted at the first frame');
  const sizes = await tab.evaluate(() => ({
    first: (window as unknown as { __sizes?: string[] }).__sizes,
    now: [...document.querySelectorAll('main > *, header > *')].map(
      (e) => `${e.localName} ${e.getBoundingClientRect().height.toFixed(1)}`,
    ),
  }));
  assert.deepEqual(
    await marksNow(tab),
    marks,
    `no line after a widget moved (heights at first: ${sizes.first}; now: ${sizes.now})`,
  );
  if (cls !== null) assert.equal(cls, 0, 'cumulative layout shift');
}

/** A vote is counted and the results shown; a comment with its proof of work is accepted. */
async function works(tab: Tab, env: Env, title: string): Promise<void> {
  const before = await votes(env);
  assert.match(await vote(tab, '#poll', 1), /^Tổng cộng \d+ người đã bình chọn\.$/);
  assert.equal(await votes(env), before + 1, 'the vote is counted');

  const notice = await postComment(tab, '#comments', {
    name: 'Trần Thị Hoa',
    email: 'hoa@example.vn',
    title,
    content: 'Ý kiến gửi từ một trang nhúng widget.',
  });
  assert.equal(notice, 'Ý kiến của bạn đang chờ kiểm duyệt.');
  const pending = await api(env, '/admin/sites/demo/comments?status=pending');
  assert.ok(
    pending.items.some((c: { title: string }) => c.title === title),
    'the comment is stored as pending',
  );
}

/**
 * Each hostile host page of test/fixtures/ on another origin than the widget server, in Chromium
 * and Firefox ESR: every widget renders and works, with no CSP violation, no error and no layout
 * shift. The comment route takes 5 posts a minute from one address: one server per group of pages.
 */
const GROUPS: FixtureName[][] = [
  ['strict-csp', 'legacy', 'global-css', 'twice'],
  ['no-subtle', 'dynamic', 'rtl', 'sri'],
];

for (const [label, launch] of [
  ['Chromium', chromiumTabs],
  ['Firefox ESR', firefoxTabs],
] as const) {
  for (const group of GROUPS) {
    describe(`hostile host pages in ${label}: ${group.join(', ')}`, () => {
      let engine: TestEngine;
      const env = {} as Env;

      before(async () => {
        engine = await sqliteEngine();
        const port = await freePort();
        env.server = await startServer(
          {
            ...engine.env,
            ADMIN_TOKEN: TOKEN,
            DEMO_ORIGINS: `http://127.0.0.1:${port},http://${INSECURE_HOST}:${port}`,
          },
          { readyTimeoutMs: 60_000 },
        );
        env.site = await startFixtureSite(env.server.url, port);
        env.browser = await launch([INSECURE_HOST]);
      });
      after(async () => {
        await env.browser?.close();
        await env.site?.close();
        await env.server?.stop();
        await engine?.drop();
      });

      /** Opens the fixture page in a new tab, runs `check`, closes the tab. */
      const onPage = async (
        name: FixtureName,
        check: (tab: Tab) => Promise<void>,
        origin?: string,
      ) => {
        const tab = await env.browser.newTab(watchLayout);
        try {
          await tab.goto(`${origin ?? env.site.origin}/${name}.html`);
          await check(tab);
        } finally {
          await tab.close();
        }
      };

      if (group.includes('strict-csp'))
        it('(1) strict CSP with Trusted Types: every widget works', () =>
          onPage('strict-csp', async (tab) => {
            await loaded(tab);
            await noShift(tab);
            await works(tab, env, `strict-csp ${label}`);
            await assertClean(tab);
          }));

      if (group.includes('legacy'))
        it('(2) legacy page: the IIFE build beside RequireJS and jQuery 1, no CSS of ours', () =>
          onPage('legacy', async (tab) => {
            await loaded(tab);
            await noShift(tab);
            const host = await tab.evaluate(() => ({
              amd: typeof (window as unknown as { define?: { amd?: unknown } }).define?.amd,
              module: (window as unknown as { __amd?: string }).__amd,
              jquery: document.body.dataset.jquery,
            }));
            assert.deepEqual(
              host,
              { amd: 'object', module: 'host-module', jquery: '1.12.4' },
              "the page's RequireJS and jQuery still work",
            );
            await works(tab, env, `legacy ${label}`);
            await assertClean(tab);
          }));

      if (group.includes('global-css'))
        it("(3) aggressive global CSS and Bootstrap 3: the page's rules do not break the widgets", () =>
          onPage('global-css', async (tab) => {
            await loaded(tab);
            await noShift(tab);
            const look = await tab.evaluate(() => {
              const poll = document.querySelector('#poll')!.shadowRoot!;
              return {
                body: getComputedStyle(document.body).fontSize,
                question: getComputedStyle(poll.querySelector('[part~="question"]')!).fontSize,
                button: getComputedStyle(poll.querySelector('[part~="submit-button"]')!)
                  .backgroundColor,
                buttonWidth: poll.querySelector('[part~="submit-button"]')!.getBoundingClientRect()
                  .width,
                pollWidth: document.querySelector('#poll')!.getBoundingClientRect().width,
              };
            });
            // html { font-size: 62.5% } (Bootstrap: 10px): the widgets keep the page's text size.
            assert.equal(look.body, '16px');
            assert.equal(look.question, look.body, "the poll's text is the page's size");
            assert.notEqual(look.button, 'rgb(255, 255, 0)', "the page's button rule stays out");
            assert.ok(look.buttonWidth < look.pollWidth / 2, 'buttons keep their own width');
            await works(tab, env, `global-css ${label}`);
            await assertClean(tab);
          }));

      if (group.includes('twice'))
        it('(4) loaded twice (ESM under two URLs and the IIFE) beside another Lit', () =>
          onPage('twice', async (tab) => {
            await loaded(tab);
            await noShift(tab);
            assert.equal(
              await shadowText(tab, { host: 'host-card', sel: '[part~="heading"]' }),
              'Thẻ của trang',
              "the page's own Lit component renders",
            );
            assert.equal(
              await tab.evaluate(() => document.querySelectorAll('civic-poll').length),
              1,
            );
            await works(tab, env, `twice ${label}`);
            await assertClean(tab);
          }));

      if (group.includes('no-subtle'))
        it('(5) plain HTTP on a host name (no crypto.subtle): the proof of work still works', async () => {
          const url = new URL(env.site.origin);
          await onPage(
            'no-subtle',
            async (tab) => {
              assert.deepEqual(
                await tab.evaluate(() => ({
                  secure: isSecureContext,
                  subtle: typeof globalThis.crypto?.subtle,
                })),
                { secure: false, subtle: 'undefined' },
              );
              await loaded(tab);
              await noShift(tab);
              await works(tab, env, `no-subtle ${label}`);
              await assertClean(tab);
            },
            `http://${INSECURE_HOST}:${url.port}`,
          );
        });

      if (group.includes('dynamic'))
        it('(6) tags inserted after load, removed and inserted again', () =>
          onPage('dynamic', async (tab) => {
            await tab.waitFor(() => document.readyState === 'complete');
            await new Promise((r) => setTimeout(r, 300));
            assert.equal(
              await tab.evaluate(() => document.querySelectorAll('civic-poll').length),
              0,
            );
            const insert = () =>
              tab.evaluate(() => {
                const slot = document.querySelector('#slot')!;
                slot.replaceChildren(
                  (document.querySelector('#later') as HTMLTemplateElement).content.cloneNode(true),
                );
                (window as unknown as { __marks: number[] }).__marks = [
                  ...document.querySelectorAll('.after'),
                ].map((e) => Math.round(e.getBoundingClientRect().top + scrollY));
              });
            await insert();
            await loaded(tab);
            await noShift(tab);
            await works(tab, env, `dynamic ${label}`);
            // Removed, then inserted again: the new elements load again.
            await tab.evaluate(() => document.querySelector('#slot')!.replaceChildren());
            await new Promise((r) => setTimeout(r, 200));
            await insert();
            assert.match(await counterTotal(tab, '#counter'), /^414\.4\d\d$/);
            await marqueeText(tab);
            // The poll remembers this visitor's vote: its results, not the form.
            await tab.waitFor(
              () => !!document.querySelector('#poll')?.shadowRoot?.querySelector('[part~="total"]'),
            );
            await assertClean(tab);
          }));

      if (group.includes('rtl'))
        it('(7) right-to-left page: the widgets lay out right to left and stay usable', () =>
          onPage('rtl', async (tab) => {
            await loaded(tab);
            await noShift(tab);
            const layout = await tab.evaluate(() => {
              const poll = document.querySelector('#poll')!.shadowRoot!;
              const option = poll.querySelector('[part~="option"]')!;
              const radio = option.querySelector('input')!.getBoundingClientRect();
              const text = option.lastElementChild!.getBoundingClientRect();
              return {
                direction: getComputedStyle(option).direction,
                radioRightOfText: radio.left >= text.right - 1,
                scroll: document.documentElement.scrollWidth <= innerWidth,
              };
            });
            assert.deepEqual(layout, { direction: 'rtl', radioRightOfText: true, scroll: true });
            // The marquee's band is never empty: at any point of its loop some slogan is in view.
            const empty = await tab.evaluate(() => {
              const root = document.querySelector('civic-marquee')!.shadowRoot!;
              const view = root.querySelector('.viewport')!.getBoundingClientRect();
              const animation = root.querySelector('.track')!.getAnimations()[0]!;
              const duration = Number(animation.effect!.getComputedTiming().duration);
              const holes: number[] = [];
              for (let i = 0; i < 8; i++) {
                animation.currentTime = (duration * i) / 8;
                const seen = [...root.querySelectorAll('[part~="item"]')].some((s) => {
                  const r = s.getBoundingClientRect();
                  return r.right > view.left && r.left < view.right;
                });
                if (!seen) holes.push(i);
              }
              return holes;
            });
            assert.deepEqual(empty, [], 'a slogan is in view at every eighth of the loop');
            await works(tab, env, `rtl ${label}`);
            await assertClean(tab);
          }));

      if (group.includes('sri'))
        it('(8) civic.js under its integrity: the chunks are preloaded under theirs, every widget works', () =>
          onPage('sri', async (tab) => {
            await loaded(tab);
            await noShift(tab);
            const preloads = await tab.evaluate(() =>
              [...document.querySelectorAll<HTMLLinkElement>('link[rel="modulepreload"]')].map(
                (l) => ({
                  chunk: new URL(l.href).pathname.replace(/-[\w-]{8}\.js$/, ''),
                  integrity: /^sha256-[\w+/]{43}=$/.test(l.integrity),
                  crossOrigin: l.crossOrigin,
                }),
              ),
            );
            assert.deepEqual(
              preloads,
              ['/chunks/civic-core', '/chunks/civic-comments'].map((chunk) => ({
                chunk,
                integrity: true,
                crossOrigin: 'anonymous',
              })),
              'each chunk is preloaded once, with its integrity',
            );
            await works(tab, env, `sri ${label}`);
            await assertClean(tab);
          }));
    });
  }
}
