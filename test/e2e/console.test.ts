import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { CommentStore } from '../../src/server/comments/store.js';
import { addUser, openWatched, signIn, useRealServer } from '../helpers/e2e.js';

const EMAIL = 'quantri@example.gov.vn';
const PASSWORD = 'mật-khẩu-đủ-dài-2026';

/**
 * The console against the real server process: an administrator made with the CLI signs in
 * through the form at /admin/ (under its strict CSP, Trusted Types enforced), approves a comment
 * waiting under the demo article, and the demo page then shows it.
 */
describe('the admin console, end to end', () => {
  const e2e = useRealServer();
  const problems: string[] = [];
  const content = `Đề nghị bổ sung lịch tiếp công dân (${Date.now()}).`;

  before(async () => {
    addUser(e2e, EMAIL, PASSWORD, ['--role', 'admin', '--name', 'Nguyễn Văn An']);
    // A comment waiting under the demo article (the page at `/`), as a reader's post leaves it.
    const storage = await e2e.engine.open();
    try {
      await new CommentStore(storage.db, Date.now).create({
        site: 'demo',
        thread: '/',
        name: 'Hoàng Minh Tuấn',
        email: 'tuan@example.com',
        title: 'Lịch tiếp công dân',
        content,
        status: 'pending',
        ipHash: 'e2e',
        saltDay: new Date().toISOString().slice(0, 10),
      });
    } finally {
      await storage.close();
    }
  });

  beforeEach(() => {
    problems.length = 0;
  });

  const open = (path: string) => openWatched(e2e, problems, path);

  it('signs in, approves the waiting comment, and the demo page shows it', async () => {
    const page = await open('/admin/');
    await signIn(page, EMAIL, PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Tổng quan/ }).waitFor();
    assert.match(await page.locator('header').innerText(), /Nguyễn Văn An/);

    await page.getByRole('link', { name: 'Bình luận', exact: true }).click();
    const item = page.locator('article', { hasText: content });
    await item.waitFor();
    assert.match(await item.locator('.badge').innerText(), /Chờ duyệt/);
    await item.getByRole('button', { name: 'Duyệt', exact: true }).click();
    await page.waitForFunction(
      (text) => {
        const root = document
          .querySelector('civic-console')
          ?.shadowRoot?.querySelector('civic-console-comments')?.shadowRoot;
        const article = [...(root?.querySelectorAll('article') ?? [])].find((a) =>
          a.textContent?.includes(text),
        );
        return (
          article?.getAttribute('aria-busy') === 'false' &&
          article.querySelector('.badge')?.textContent?.trim() === 'Đã duyệt'
        );
      },
      content,
      { timeout: 10_000 },
    );

    // The public API lists it now, and so does the demo article.
    const res = await fetch(`${e2e.server.url}/api/v1/sites/demo/threads/%2F/comments`);
    assert.ok(
      ((await res.json()) as { items: { content: string }[] }).items.some(
        (c) => c.content === content,
      ),
    );
    const demo = await open('/');
    await demo.locator('#comments-main').getByText(content).waitFor({ timeout: 15_000 });
    assert.deepEqual(problems, []);
  });

  it('refuses a wrong password with the localized message', async () => {
    const page = await open('/admin/');
    await signIn(page, EMAIL, 'không-phải-mật-khẩu');
    await page.getByText('E-mail hoặc mật khẩu không đúng.').waitFor();
    assert.equal(await page.locator('nav').count(), 0);
    assert.deepEqual(problems, [`401 ${e2e.server.url}/api/v1/auth/login`]);
  });
});
