/**
 * The pages without JavaScript (`/s/{site}/polls/…`, `/s/{site}/comments?thread=…`) where their
 * users are: a browser with JavaScript OFF, in Chromium and Firefox ESR. A host page on another
 * origin holds the README's snippets; their fallback links lead to the pages, where a visitor
 * votes and comments with plain forms. Then, in both browsers, axe, the width of 320 px, light
 * and dark, and the strict CSP on every state of those pages, in Vietnamese and English.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { seedDemo } from '../../src/server/app.js';
import { listenInProcess, type InProcessServer } from '../helpers/app-server.js';
import { axeViolations } from '../helpers/axe.js';
import { sqliteEngine, type TestEngine } from '../helpers/engines.js';
import { startHostSite, type HostSite } from '../helpers/host-site.js';
import { freePort } from '../helpers/server-process.js';
import {
  assertClean,
  chromiumTabs,
  firefoxTabs,
  type Tab,
  type TabBrowser,
} from '../helpers/tab.js';

const TOKEN = 'e2e-admin-token-0123456789abcdef';
const SITE = 'demo';
const POLL = 'danh-gia-cong-thong-tin';
/** A poll that closes while a visitor has its form open. */
const CLOSING = 'nojs-sap-dong';
/** The thread of the README's `<civic-comments>` snippet. */
const THREAD = '/tin-tuc/123';
const EMPTY_THREAD = '/tin-tuc/chua-co-y-kien';
const README_ORIGIN = 'https://widgets.example.gov.vn';
/** Not a code the captcha ever draws (its alphabet has no B, D or Q). */
const WRONG_CODE = 'BDQBDQ';

const pollUrl = (poll: string) => `/s/${SITE}/polls/${poll}`;
const commentsUrl = (thread: string) => `/s/${SITE}/comments?thread=${encodeURIComponent(thread)}`;

/** The first ```html block of the README after the line `heading`. */
function readmeSnippet(heading: string): string {
  const readme = readFileSync('README.md', 'utf8');
  const at = readme.indexOf(`\n${heading}\n`);
  assert.ok(at >= 0, `README has "${heading}"`);
  const start = readme.indexOf('```html\n', at) + '```html\n'.length;
  return readme.slice(start, readme.indexOf('\n```', start));
}

/** A page of the host site holding the README's embedding and comments snippets as they are. */
function snippetPage(widgets: string): string {
  const snippets = [readmeSnippet('## Embedding'), readmeSnippet('### `<civic-comments>`')]
    .join('\n')
    .replaceAll(README_ORIGIN, widgets);
  return `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><title>Tin tức của sở</title></head>
<body><main><h1>Tin tức của sở</h1>
${snippets}
</main></body>
</html>`;
}

interface Env {
  engine: TestEngine;
  server: InProcessServer;
  host: HostSite;
  /** Each captcha code's answer, by challenge id (the server's test-only `captchaHooks`). */
  answers: Map<string, string>;
}

/** For a `describe` block: the server in this process (for `captchaHooks`) and the host site. */
function useServers(): Env {
  const env = { answers: new Map() } as Env;
  before(async () => {
    env.engine = await sqliteEngine();
    const storage = await env.engine.open();
    const hostPort = await freePort();
    await seedDemo(storage, { port: 0, demoOrigins: [`http://127.0.0.1:${hostPort}`] });
    env.server = await listenInProcess({
      storage,
      config: { adminToken: TOKEN },
      captchaHooks: { onIssue: (id, answer) => env.answers.set(id, answer) },
    });
    env.host = await startHostSite(env.server.url, hostPort, {
      '/snippet.html': snippetPage(env.server.url),
    });
    const created = await api(env, 'POST', `/admin/sites/${SITE}/polls`, {
      id: CLOSING,
      question: 'Bạn có đọc bản tin điện tử hằng tuần không?',
      options: [
        { id: 'co', label: 'Có' },
        { id: 'khong', label: 'Không' },
      ],
      resultsVisibility: 'always',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  });
  after(async () => {
    await env.host?.close();
    await env.server?.close();
    await env.engine?.drop();
  });
  return env;
}

/** A JSON request to the API (`/api/v1` + path), as the admin. */
async function api(env: Env, method: string, path: string, body?: unknown) {
  const res = await fetch(`${env.server.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked field by field
  return { status: res.status, body: (await res.json()) as any };
}

/** The poll's votes per option id, from the public JSON API. */
async function tally(env: Env, poll = POLL): Promise<Record<string, number>> {
  const { body } = await api(env, 'GET', `/sites/${SITE}/polls/${poll}`);
  return Object.fromEntries(
    (body.results.options as Array<{ id: string; votes: number }>).map((o) => [o.id, o.votes]),
  );
}

/** The votes of each option in the page's results table, by the option's label. */
const tableCounts = (tab: Tab) =>
  tab.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('tbody tr')].map((row) => [
        row.querySelector('th')!.textContent!.trim(),
        Number(row.querySelector('td')!.textContent!.replace(/\D/g, '')),
      ]),
    ),
  );

/** The text of the first element matching `selector` ('' when there is none), spaces collapsed. */
const textOf = (tab: Tab, selector: string) =>
  tab.evaluate(
    (sel) => (document.querySelector(sel)?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    selector,
  );

/** The class of the element that has the focus once the page has loaded (`autofocus`). */
const focused = (tab: Tab) =>
  settled(() => tab.evaluate(() => document.activeElement?.className || ''));

/**
 * `read()`'s value once it is truthy (tried every 50 ms for 5 s). Not `tab.waitFor`: it polls
 * inside the page, and the page's event loop does not run in Firefox with JavaScript off.
 */
async function settled<T>(read: () => Promise<T>): Promise<T> {
  const end = Date.now() + 5000;
  for (;;) {
    const value = await read();
    if (value || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The status of the last response to a `method` request for a URL starting with `url`. */
const lastStatus = (tab: Tab, method: string, url: string) =>
  tab.responses.filter((r) => r.method === method && r.url.startsWith(url)).at(-1)?.status;

async function pendingTitles(env: Env): Promise<string[]> {
  const { body } = await api(env, 'GET', `/admin/sites/${SITE}/comments?status=pending`);
  return (body.items as Array<{ title: string }>).map((c) => c.title);
}

/** Types the comment form's fields (not the code). */
async function fillComment(tab: Tab, title: string): Promise<void> {
  await tab.type('#name', 'Lê Văn Tâm');
  await tab.type('#email', 'tam@example.vn');
  await tab.type('#title', title);
  await tab.type('#content', 'Đề nghị đăng thêm lịch tiếp dân.');
}

for (const [label, launch] of [
  ['Chromium', chromiumTabs],
  ['Firefox ESR', firefoxTabs],
] as const) {
  describe(`pages without JavaScript, in ${label} with JavaScript off`, () => {
    const env = useServers();
    let browser: TabBrowser;
    const title = `Lịch tiếp dân (${label})`;

    before(async () => {
      browser = await launch([], { javaScript: false, locale: 'vi-VN' });
    });
    after(() => browser?.close());

    /** A new tab (a new browser context: no cookies) for `check`, closed afterwards. */
    const inTab = async (check: (tab: Tab) => Promise<void>) => {
      const tab = await browser.newTab();
      try {
        await check(tab);
      } finally {
        await tab.close();
      }
    };

    it("the host page on another origin shows the snippets' fallback links, which lead to the pages", () =>
      inTab(async (tab) => {
        assert.equal(await tab.goto(`${env.host.origin}/snippet.html`), 200);
        assert.equal(
          await tab.evaluate(() => customElements.get('civic-poll')),
          undefined,
          'no script ran',
        );
        const shown = await tab.evaluate(() =>
          ['civic-poll a', 'civic-comments a'].map((sel) => {
            const a = document.querySelector(sel)!;
            const box = a.getBoundingClientRect();
            return box.width > 0 && box.height > 0 && getComputedStyle(a).visibility === 'visible';
          }),
        );
        assert.deepEqual(shown, [true, true], 'both fallback links are visible');
        await tab.navigation(() => tab.click('civic-poll a'));
        assert.equal(tab.url(), `${env.server.url}${pollUrl(POLL)}`);
        assert.equal(
          await textOf(tab, 'legend h1'),
          'Bạn đánh giá như thế nào về cổng thông tin này?',
        );

        await tab.goto(`${env.host.origin}/snippet.html`);
        await tab.navigation(() => tab.click('civic-comments a'));
        assert.equal(tab.url(), `${env.server.url}${commentsUrl(THREAD)}`);
        assert.equal(await textOf(tab, 'h1'), 'Ý kiến bạn đọc');
      }));

    it('a vote by keyboard: 303 back, the notice, the tally one more; a second vote is "already voted" and changes nothing', () =>
      inTab(async (tab) => {
        const url = `${env.server.url}${pollUrl(POLL)}`;
        assert.equal(await tab.goto(url), 200);
        // A second tab of the same browser, with the form open before the first one votes.
        const other = await tab.sibling();
        assert.equal(await other.goto(url), 200);
        const before = await tally(env);
        const tableBefore = await tableCounts(tab);

        // Click the first option, the arrow key moves the choice to the second, Tab reaches the
        // button, Enter sends the form.
        await tab.click('#choice-rat-tot');
        await tab.press('ArrowDown');
        assert.equal(
          await tab.evaluate(() => document.querySelector<HTMLInputElement>(':checked')?.id),
          'choice-tot',
        );
        await tab.press('Tab');
        assert.equal(await tab.evaluate(() => document.activeElement?.localName), 'button');
        await tab.navigation(() => tab.press('Enter'));
        assert.equal(lastStatus(tab, 'POST', url), 303);
        assert.equal(tab.url(), `${url}?voted=1&lang=vi`);
        assert.equal(await textOf(tab, '.notice'), 'Cảm ơn bạn đã biểu quyết.');
        assert.equal(await focused(tab), 'notice', 'the notice has the focus');
        assert.equal(await textOf(tab, 'main > p:not(.lang)'), 'Lựa chọn của bạn: Tốt');

        const after = await tally(env);
        assert.deepEqual(after, { ...before, tot: before.tot! + 1 }, 'the JSON API counts it once');
        assert.deepEqual(
          await tableCounts(tab),
          { ...tableBefore, Tốt: tableBefore['Tốt']! + 1 },
          'the results table shows it',
        );

        // The other tab still shows the form: the same voter votes again.
        await other.click('#choice-binh-thuong');
        await other.navigation(() => other.click('button[type="submit"]'));
        assert.equal(lastStatus(other, 'POST', url), 303);
        assert.equal(other.url(), `${url}?voted=again&lang=vi`);
        assert.equal(
          await textOf(other, '.notice'),
          'Bạn đã biểu quyết trong cuộc thăm dò này; phiếu của bạn được giữ nguyên.',
        );
        assert.deepEqual(await tally(env), after, 'the count did not change');
        assert.deepEqual(await tableCounts(other), await tableCounts(tab));
      }));

    it('a poll closed while its form was open, and an unknown poll, say so', () =>
      inTab(async (tab) => {
        const url = `${env.server.url}${pollUrl(CLOSING)}`;
        await tab.goto(url);
        const closed = await api(env, 'POST', `/admin/sites/${SITE}/polls/${CLOSING}/close`);
        assert.equal(closed.status, 200);
        await tab.click('#choice-co');
        await tab.navigation(() => tab.click('button[type="submit"]'));
        assert.equal(lastStatus(tab, 'POST', url), 303);
        assert.equal(tab.url(), `${url}?error=poll_closed&lang=vi`);
        assert.equal(await textOf(tab, '.error-summary h2'), 'Có lỗi');
        assert.equal(await textOf(tab, '.error-summary p'), 'Cuộc thăm dò đã kết thúc.');
        assert.equal(await focused(tab), 'error-summary', 'the message has the focus');
        assert.equal(await tab.evaluate(() => document.forms.length), 0, 'no form any more');
        assert.deepEqual(await tally(env, CLOSING), { co: 0, khong: 0 }, 'nothing counted');

        assert.equal(await tab.goto(`${env.server.url}${pollUrl('khong-co-cuoc-nay')}`), 404);
        assert.equal(await textOf(tab, 'h1'), 'Không thực hiện được yêu cầu');
        assert.equal(await textOf(tab, 'h1 + p'), 'Không tìm thấy trang.');
      }));

    it('a comment: a wrong code shows the error summary, keeps what was typed, stores nothing; the right code is a 303 to ?sent=pending', () =>
      inTab(async (tab) => {
        const url = `${env.server.url}${commentsUrl(THREAD)}`;
        assert.equal(await tab.goto(url), 200);
        await fillComment(tab, title);
        await tab.type('#code', WRONG_CODE);
        await tab.navigation(() => tab.click('button[type="submit"]'));
        assert.equal(lastStatus(tab, 'POST', url), 400);
        assert.equal(await textOf(tab, '.error-summary h2'), 'Có lỗi');
        assert.equal(await focused(tab), 'error-summary', 'the summary has the focus');
        assert.deepEqual(
          await tab.evaluate(() =>
            [...document.querySelectorAll('.error-summary a')].map((a) => [
              a.getAttribute('href'),
              a.textContent,
            ]),
          ),
          [['#code', 'Mã xác nhận không đúng. Hãy nhập mã trong hình mới.']],
          'the summary links to the code field',
        );
        assert.deepEqual(
          await tab.evaluate(() =>
            ['name', 'email', 'title', 'content', 'code'].map(
              (id) => document.querySelector<HTMLInputElement>(`#${id}`)!.value,
            ),
          ),
          ['Lê Văn Tâm', 'tam@example.vn', title, 'Đề nghị đăng thêm lịch tiếp dân.', ''],
          'what was typed is kept (the code is for a new image)',
        );
        assert.equal(
          await tab.evaluate(() => document.querySelector('#code')!.getAttribute('aria-invalid')),
          'true',
        );
        assert.deepEqual(await pendingTitles(env), [], 'nothing stored');
        await tab.click('.error-summary a');
        assert.equal(
          await settled(() => tab.evaluate(() => document.querySelector(':target')?.id)),
          'code',
          "the summary's link leads to the field",
        );

        const id = await tab.evaluate(
          () => document.querySelector<HTMLInputElement>('[name="captcha_id"]')!.value,
        );
        const answer = env.answers.get(id);
        assert.ok(answer, 'the new image has an answer');
        await tab.type('#code', answer.toLowerCase());
        await tab.navigation(() => tab.click('button[type="submit"]'));
        assert.equal(lastStatus(tab, 'POST', url), 303);
        assert.equal(tab.url(), `${url}&sent=pending&lang=vi`);
        assert.equal(
          await textOf(tab, '.notice'),
          'Cảm ơn bạn. Ý kiến đã được gửi và sẽ hiển thị sau khi được duyệt.',
        );
        assert.equal(await focused(tab), 'notice');
        assert.deepEqual(await pendingTitles(env), [title], 'stored once, pending');
      }));

    it('an approved comment appears on the page', () =>
      inTab(async (tab) => {
        const { body } = await api(env, 'GET', `/admin/sites/${SITE}/comments?status=pending`);
        const approved = await api(
          env,
          'POST',
          `/admin/sites/${SITE}/comments/${body.items[0].id}/approve`,
        );
        assert.equal(approved.status, 200);
        assert.equal(await tab.goto(`${env.server.url}${commentsUrl(THREAD)}`), 200);
        assert.equal(await textOf(tab, 'h2:nth-of-type(2)'), '1 ý kiến');
        assert.equal(await textOf(tab, '.comments h3'), title);
        assert.match(await textOf(tab, '.comments .meta'), /^Lê Văn Tâm · /);
        assert.equal(await textOf(tab, '.comments .content'), 'Đề nghị đăng thêm lịch tiếp dân.');
      }));
  });
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const NARROW = { width: 320, height: 640 };
/** The 404 and 400 pages are meant (their statuses are checked), and there is no /favicon.ico. */
const MEANT = /the server responded with a status of 40[04]/;

/** axe finds nothing, the page does not scroll sideways at 320 px, no CSP violation, no error. */
async function accessible(tab: Tab, state: string): Promise<void> {
  assert.deepEqual(
    await axeViolations(tab, { runOnly: { type: 'tag', values: AXE_TAGS } }),
    [],
    `axe on ${state}`,
  );
  const width = await tab.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= NARROW.width, `${state} is ${width} px wide`);
  await assertClean(tab, MEANT);
}

/**
 * axe, 320 px wide, light and dark, and the CSP, on every state of the pages in vi and en. axe is
 * a script: it runs in a browser WITH JavaScript. The pages have no script of their own, so their
 * markup and style are the same as with JavaScript off. axe goes in through the driver, which the
 * pages' strict CSP does not govern, so the policy stays on and a violation would show. A server
 * of its own (the comment form takes 5 posts a minute): the demo's thread `/` has an approved
 * comment with the agency's reply.
 */
for (const [label, launch] of [
  ['Chromium', chromiumTabs],
  ['Firefox ESR', firefoxTabs],
] as const) {
  for (const colorScheme of ['light', 'dark'] as const) {
    describe(`axe on the pages without JavaScript, 320 px wide, ${colorScheme}, in ${label}`, () => {
      const env = useServers();
      let browser: TabBrowser;
      before(async () => {
        const closed = await api(env, 'POST', `/admin/sites/${SITE}/polls/${CLOSING}/close`);
        assert.equal(closed.status, 200);
        browser = await launch([], { colorScheme, viewport: NARROW });
      });
      after(() => browser?.close());

      for (const lang of ['vi', 'en'] as const) {
        it(`every state of the poll and comment pages in ${lang}`, async () => {
          const tab = await browser.newTab();
          const go = async (path: string, status = 200) => {
            const sep = path.includes('?') ? '&' : '?';
            assert.equal(
              await tab.goto(`${env.server.url}${path}${sep}lang=${lang}`),
              status,
              path,
            );
          };
          try {
            await go(pollUrl(POLL));
            assert.equal(
              await tab.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches),
              colorScheme === 'dark',
              `the page is in its ${colorScheme} colours`,
            );
            await accessible(tab, 'the open poll with its results');
            await tab.click('#choice-rat-tot');
            await tab.navigation(() => tab.click('button[type="submit"]'));
            assert.match(tab.url(), /\?voted=1&/);
            await accessible(tab, 'the poll after the vote');
            await go(pollUrl(CLOSING));
            await accessible(tab, 'the closed poll');
            await go(`${pollUrl(CLOSING)}?error=poll_closed`);
            await accessible(tab, 'the closed poll with the error');
            await go(pollUrl('khong-co-cuoc-nay'), 404);
            await accessible(tab, 'the error page');

            await go(commentsUrl(EMPTY_THREAD));
            await accessible(tab, 'the empty comment form');
            await tab.type('#name', 'Lê Văn Tâm');
            await tab.type('#email', 'khong-phai-email');
            await tab.type('#content', 'Nội dung.');
            await tab.type('#code', WRONG_CODE);
            await tab.navigation(() => tab.click('button[type="submit"]'));
            assert.equal(lastStatus(tab, 'POST', env.server.url), 400);
            await accessible(tab, 'the comment form with the error summary');
            await go(commentsUrl('/'));
            assert.ok(await textOf(tab, '.comments .reply'), 'a comment with the reply');
            await accessible(tab, 'the comments');
          } finally {
            await tab.close();
          }
        });
      }
    });
  }
}
