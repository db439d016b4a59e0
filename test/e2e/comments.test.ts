import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { seedDemo } from '../../src/server/app.js';
import { listenInProcess, type InProcessServer } from '../helpers/app-server.js';
import { cspViolations, launchChromium, newWatchedPage } from '../helpers/browser.js';
import { sqliteEngine, type TestEngine } from '../helpers/engines.js';

const TOKEN = 'e2e-admin-token-0123456789abcdef';

/**
 * A comment posted on the demo page against the real server (in this process, so the test can
 * read each captcha answer through `captchaHooks`), approved through the admin API, then listed.
 */
describe('comments on the demo portal, end to end', () => {
  let engine: TestEngine;
  let server: InProcessServer;
  let browser: Browser;
  const answers: Array<{ id: string; answer: string }> = [];
  const problems: string[] = [];

  before(async () => {
    engine = await sqliteEngine();
    const storage = await engine.open();
    await seedDemo(storage, { port: 0, demoOrigins: [] });
    server = await listenInProcess({
      storage,
      config: { adminToken: TOKEN },
      captchaHooks: { onIssue: (id, answer) => answers.push({ id, answer }) },
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await engine?.drop();
  });

  const admin = async (method: string, path: string) => {
    const res = await fetch(`${server.url}/api/v1/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked field by field
    return { status: res.status, body: (await res.json()) as any };
  };

  async function open(): Promise<Page> {
    const page = await newWatchedPage(browser, problems, { ignoreConsole: /status of 404/ });
    await page.addInitScript(() => {
      const w = window as unknown as { __heights: number[] };
      w.__heights = [];
      // Every height the comments widget takes, from its first layout (fallback) on.
      const watch = new MutationObserver(() => {
        const el = document.getElementById('comments-main');
        if (!el) return;
        watch.disconnect();
        new ResizeObserver((entries) =>
          entries.forEach((e) => w.__heights.push(Math.round(e.borderBoxSize[0]!.blockSize))),
        ).observe(el);
      });
      watch.observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${server.url}/`);
    return page;
  }

  const heading = (page: Page) => page.locator('#comments-main [part~="heading"]');
  const names = (page: Page) => page.locator('#comments-main [part~="author"]').allTextContents();

  it('shows the seeded comment with the agency reply, posts a new one by the code from the image, lists it once approved', async () => {
    const page = await open();
    await page.waitForFunction(() =>
      /\(1\)/.test(
        document.querySelector('#comments-main')?.shadowRoot?.querySelector('[part~="heading"]')
          ?.textContent ?? '',
      ),
    );
    assert.equal((await heading(page).textContent())?.trim(), 'Ý kiến độc giả (1)');
    assert.deepEqual(await names(page), ['Nguyễn Thị Lan']);
    assert.match(
      (await page.locator('#comments-main [part~="reply-label"]').textContent()) ?? '',
      /^Trả lời của cơ quan/,
    );
    assert.equal(
      await page.locator('#comments-main [part~="link"]').getAttribute('href'),
      'https://treem.gov.vn',
    );

    // The captcha's image is loaded: the seam handed over its answer.
    const captchaInput = page.locator('#comments-main civic-captcha input[part~="input"]');
    await captchaInput.waitFor();
    await page.waitForFunction(
      () =>
        !document
          .querySelector('#comments-main')
          ?.shadowRoot?.querySelector('civic-captcha')
          ?.shadowRoot?.querySelector('input')?.disabled,
    );
    assert.equal(answers.length, 1);
    await page.waitForTimeout(300);
    const heights = await page.evaluate(
      () => (window as unknown as { __heights: number[] }).__heights,
    );
    assert.equal(
      new Set(heights).size,
      1,
      `the comments keep the height reserved for them, so nothing below moves: ${heights.join(' → ')}`,
    );

    await page.locator('#comments-main input[name="name"]').fill('Phạm Văn Bình');
    await page.locator('#comments-main input[name="email"]').fill('binh@example.vn');
    await page.locator('#comments-main input[name="title"]').fill('Góp ý về sân chơi');
    await page
      .locator('#comments-main textarea[name="content"]')
      .fill('Xã tôi cũng cần sân chơi.\n<script>alert(1)</script>');
    await captchaInput.click();
    await page.keyboard.type(answers[0]!.answer.toLowerCase());
    await page.locator('#comments-main [part~="submit-button"]').click();
    await page.locator('#comments-main [part~="notice"]').waitFor();
    assert.equal(
      (await page.locator('#comments-main [part~="notice"]').textContent())?.trim(),
      'Ý kiến của bạn đang chờ kiểm duyệt.',
    );
    assert.deepEqual(await names(page), ['Nguyễn Thị Lan'], 'not listed before approval');

    const pending = await admin('GET', '/sites/demo/comments?status=pending');
    assert.equal(pending.status, 200);
    assert.equal(pending.body.items.length, 1);
    const [comment] = pending.body.items;
    assert.equal(comment.thread, '/');
    assert.equal(comment.email, 'binh@example.vn');
    assert.equal((await admin('POST', `/sites/demo/comments/${comment.id}/approve`)).status, 200);

    await page.reload();
    await page.waitForFunction(() =>
      /\(2\)/.test(
        document.querySelector('#comments-main')?.shadowRoot?.querySelector('[part~="heading"]')
          ?.textContent ?? '',
      ),
    );
    assert.deepEqual(await names(page), ['Phạm Văn Bình', 'Nguyễn Thị Lan'], 'newest first');
    const content = page
      .locator('#comments-main [part~="item"]')
      .first()
      .locator('[part~="content"]');
    assert.equal(
      await content.textContent(),
      'Xã tôi cũng cần sân chơi.\n<script>alert(1)</script>',
      'plain text',
    );
    const publicBody = await (
      await fetch(`${server.url}/api/v1/sites/demo/threads/%2F/comments`)
    ).text();
    assert.ok(!publicBody.includes('binh@example.vn'), 'the e-mail is never public');

    assert.deepEqual(
      await cspViolations(page),
      [],
      'no CSP violation under the strict policy with Trusted Types',
    );
    assert.deepEqual(problems, []);
    await page.context().close();
  });
});
