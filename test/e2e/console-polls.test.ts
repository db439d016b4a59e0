import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { cspViolations, newWatchedPage } from '../helpers/browser.js';
import { addUser, signIn, useRealServer } from '../helpers/e2e.js';

const EMAIL = 'bientap.thamdo@example.gov.vn';
const PASSWORD = 'mật-khẩu-đủ-dài-2026';
const QUESTION = 'Bạn có hài lòng với thủ tục cấp phép xây dựng?';
const POLL = 'ban-co-hai-long-voi-thu-tuc-cap-phep-xay-dung';

/**
 * The Polls screen against the real server process: an editor of the demo site (made with the
 * CLI) signs in at /admin/, creates a poll, watches its live results; a reader votes on the demo
 * page with a `<civic-poll>` of that poll; the console's results then count the vote by
 * themselves. A malformed poll is refused before it is sent, and nothing is stored.
 */
describe('the console Polls screen, end to end', () => {
  const e2e = useRealServer();
  const problems: string[] = [];

  before(() => addUser(e2e, EMAIL, PASSWORD, ['--role', 'editor', '--site', 'demo']));

  async function open(path: string): Promise<Page> {
    const page = await newWatchedPage(e2e.browser, problems, {
      context: { viewport: { width: 1280, height: 900 } },
      // The session check before signing in is a 401 by design; the demo portal shows a widget
      // of an unknown site on purpose (a 404).
      ignoreConsole: /status of (401|404)/,
    });
    await page.goto(`${e2e.server.url}${path}`);
    return page;
  }

  /** The votes column of the console's results table, as shown. */
  const shownVotes = (page: Page) =>
    page.evaluate(() => {
      const results = document
        .querySelector('civic-console')
        ?.shadowRoot?.querySelector('civic-console-polls')
        ?.shadowRoot?.querySelector('civic-console-poll-results')?.shadowRoot;
      return [...(results?.querySelectorAll('tbody tr') ?? [])].map((tr) =>
        [...tr.children].slice(0, 2).map((c) => c.textContent!.trim()),
      );
    });

  it('creates a poll in the console, a reader votes on the page, the console counts it live', async () => {
    const consolePage = await open('/admin/');
    await signIn(consolePage, EMAIL, PASSWORD);
    await consolePage.getByRole('heading', { level: 1, name: /^Tổng quan/ }).waitFor();
    await consolePage.getByRole('link', { name: 'Thăm dò', exact: true }).click();
    await consolePage.getByRole('heading', { level: 1, name: /^Thăm dò/ }).waitFor();
    // The seeded demo poll is listed.
    await consolePage
      .getByRole('heading', { level: 2, name: 'Bạn đánh giá như thế nào về cổng thông tin này?' })
      .waitFor();

    await consolePage.getByRole('button', { name: 'Tạo thăm dò mới' }).click();
    // A malformed poll: refused here, nothing sent.
    await consolePage.getByLabel('Lựa chọn 1', { exact: true }).fill('Có');
    await consolePage.getByLabel('Lựa chọn 2', { exact: true }).fill('có');
    await consolePage.getByRole('button', { name: 'Tạo thăm dò', exact: true }).click();
    await consolePage.getByText('Chưa lưu: vui lòng sửa 3 lỗi bên dưới.').waitFor();
    await consolePage.getByText('Lựa chọn này trùng với một lựa chọn ở trên.').waitFor();

    await consolePage.getByLabel('Câu hỏi', { exact: true }).fill(QUESTION);
    assert.equal(await consolePage.getByLabel('Mã thăm dò', { exact: true }).inputValue(), POLL);
    await consolePage.getByLabel('Lựa chọn 2', { exact: true }).fill('Không');
    await consolePage.getByRole('button', { name: 'Thêm lựa chọn' }).click();
    await consolePage.getByLabel('Lựa chọn 3', { exact: true }).fill('Chưa có ý kiến');
    await consolePage.getByRole('button', { name: 'Tạo thăm dò', exact: true }).click();
    const card = consolePage.locator(`#poll-${POLL}`);
    await card.waitFor();
    assert.match(await card.innerText(), /Đang mở/);
    assert.match(await card.innerText(), /0 người đã bình chọn/);

    // Stored on the server as the console showed it.
    const stored = await (await fetch(`${e2e.server.url}/api/v1/sites/demo/polls/${POLL}`)).json();
    assert.equal(stored.question, QUESTION);
    assert.deepEqual(
      stored.options.map((o: { label: string }) => o.label),
      ['Có', 'Không', 'Chưa có ý kiến'],
    );

    await card.getByRole('button', { name: 'Xem kết quả' }).click();
    await consolePage.getByRole('table', { name: QUESTION }).waitFor();
    assert.deepEqual(await shownVotes(consolePage), [
      ['Có', '0'],
      ['Không', '0'],
      ['Chưa có ý kiến', '0'],
    ]);

    // A reader votes "Không" on the demo page, in a <civic-poll> for the new poll.
    const demo = await open('/');
    await demo.evaluate((id) => {
      const el = document.createElement('civic-poll');
      el.id = 'poll-new';
      el.setAttribute('poll-id', id);
      document.querySelector('main')!.prepend(el);
    }, POLL);
    const widget = demo.locator('#poll-new');
    await widget.getByRole('group', { name: QUESTION }).waitFor({ timeout: 15_000 });
    await widget.getByRole('radio', { name: 'Không', exact: true }).check();
    await widget.getByRole('button', { name: 'Gửi bình chọn' }).click();
    await widget.getByRole('list').waitFor();
    assert.deepEqual(await cspViolations(demo), []);

    // The console, left as it was, counts it at its next refresh (every 5 s).
    await consolePage.waitForFunction(
      () => {
        const results = document
          .querySelector('civic-console')
          ?.shadowRoot?.querySelector('civic-console-polls')
          ?.shadowRoot?.querySelector('civic-console-poll-results')?.shadowRoot;
        return results?.querySelector('.figures')?.textContent?.trim() === '1 người đã bình chọn';
      },
      undefined,
      { timeout: 15_000 },
    );
    assert.deepEqual(await shownVotes(consolePage), [
      ['Có', '0'],
      ['Không', '1'],
      ['Chưa có ý kiến', '0'],
    ]);

    // The CSV download link gives the vote too, with the session cookie.
    const href = await consolePage
      .getByRole('link', { name: 'Tải CSV theo ngày' })
      .getAttribute('href');
    const csv = await consolePage.request.get(`${e2e.server.url}${href}`);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-disposition']!, /attachment; filename="demo-/);
    assert.match(await csv.text(), /\r\ntotal,1,0,1,0\r\n$/);
    assert.deepEqual(await cspViolations(consolePage), []);
    assert.deepEqual(problems, []);
  });
});
