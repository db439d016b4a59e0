import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, beforeEach, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { addUser, openWatched, signIn, useRealServer } from '../helpers/e2e.js';

const EMAIL = 'bientap@example.gov.vn';
const PASSWORD = 'mật-khẩu-đủ-dài-2026';

/**
 * The slogans-and-links and sites screens against the real server process: an editor of the
 * demo site (made with the CLI) signs in through the console form, edits a slogan — the preview,
 * the server's own built widget, shows it before it is saved — saves, and the demo portal's
 * marquee then shows it; the sites screen gives the embed snippet at the server's address.
 * Strict CSP and Trusted Types on both pages; any violation, page error or unexpected failed
 * request fails the test.
 */
describe('slogans and sites in the admin console, end to end', () => {
  const e2e = useRealServer();
  const problems: string[] = [];
  const slogan = `CHÀO MỪNG NGÀY HỘI ĐẠI ĐOÀN KẾT TOÀN DÂN TỘC (${Date.now()})`;

  before(() => addUser(e2e, EMAIL, PASSWORD, ['--role', 'editor', '--site', 'demo']));

  beforeEach(() => {
    problems.length = 0;
  });

  const open = (path: string) => openWatched(e2e, problems, path);

  async function signInAsEditor(page: Page): Promise<void> {
    await signIn(page, EMAIL, PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Tổng quan/ }).waitFor();
  }

  it('edits a slogan with a live preview, saves it, and the demo marquee shows it', async () => {
    const page = await open('/admin/');
    await signInAsEditor(page);
    await page.getByRole('link', { name: 'Khẩu hiệu và liên kết', exact: true }).click();
    const first = page.getByLabel('Nội dung khẩu hiệu').first();
    await first.waitFor();
    assert.match(await first.inputValue(), /^TÍCH CỰC CHUẨN BỊ/);

    // The preview is the built widget the server serves (civic.iife.js), upgraded in place.
    const preview = page.locator('civic-console-lists civic-marquee');
    await page.waitForFunction(() => customElements.get('civic-marquee') !== undefined);
    await preview.locator('[part~="item"]').first().waitFor();
    await first.fill(slogan);
    await preview.locator('[part~="item"]', { hasText: slogan }).first().waitFor();

    const saved = page.waitForResponse(
      (res) =>
        res.request().method() === 'PUT' &&
        res.url().endsWith('/api/v1/admin/sites/demo/slogans/khau-hieu'),
    );
    await page.getByRole('button', { name: 'Lưu danh sách' }).click();
    assert.equal((await saved).status(), 200);
    await page.getByText('Lưu lần cuối:').waitFor();

    // A fresh browser (no cached list) on the demo portal.
    const demo = await open('/');
    await demo
      .locator('civic-marquee[source="khau-hieu"] [part~="item"]', { hasText: slogan })
      .first()
      .waitFor({ timeout: 15_000 });
    assert.deepEqual(problems, []);
  });

  it('gives the embed snippet of the site at the server address with its integrity; origins are read-only for an editor', async () => {
    const page = await open('/admin/');
    await signInAsEditor(page);
    await page.getByRole('link', { name: 'Trang web', exact: true }).click();
    const script = page.locator('civic-console-sites pre', { hasText: 'type="module"' });
    await script.waitFor();
    // With the integrity of the build the server sends.
    const integrity = JSON.parse(readFileSync('dist/widgets/integrity.json', 'utf8'))['civic.js'];
    assert.equal(
      (await script.innerText()).trim(),
      `<script type="module" src="${e2e.server.url}/civic.js" integrity="${integrity}" crossorigin="anonymous" data-site="demo"></script>`,
    );
    assert.equal(await page.locator('civic-console-sites #new-origin').count(), 0);
    assert.equal(await page.getByLabel('Số lượt truy cập cũ').getAttribute('readonly'), '');
    assert.deepEqual(problems, []);
  });
});
