import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { openStorage } from '../../src/server/db/open.js';
import { PollStore } from '../../src/server/polls/store.js';
import { newWatchedPage } from '../helpers/browser.js';
import { useRealServer } from '../helpers/e2e.js';

const POLL = 'danh-gia-cong-thong-tin';

/** Text of the demo poll's parts (read through its shadow root). */
function partsText(page: Page, name: string): Promise<string[]> {
  return page.evaluate(
    (n) =>
      [
        ...(document.querySelector('#poll-main')?.shadowRoot?.querySelectorAll(`[part~="${n}"]`) ??
          []),
      ].map((e) => e.textContent!.replace(/\s+/g, ' ').trim()),
    name,
  );
}

describe('the demo poll against the real server', () => {
  const e2e = useRealServer();
  const problems: string[] = [];

  async function open(): Promise<Page> {
    const page = await newWatchedPage(e2e.browser, problems, {
      context: { viewport: { width: 1200, height: 900 } },
      // The demo's deliberately failing counter (an unknown site) logs a 4xx load error: not ours.
      ignoreConsole: /status of 4\d\d/,
    });
    await page.goto(`${e2e.server.url}/`);
    return page;
  }
  /**
   * CSP violations so far, and whether the poll keeps to the height the page reserves for it (so
   * the boxes below it never move when it loads or shows results). Whole-page layout shift is
   * not measured here: other widgets in the header move the sidebar, not the poll.
   */
  const settled = async (page: Page) => {
    await page.waitForTimeout(300);
    return page.evaluate(() => {
      const el = document.querySelector('#poll-main')!;
      const reserved = parseFloat(getComputedStyle(el).minHeight);
      return {
        csp: (window as unknown as { __csp: string[] }).__csp,
        fits: reserved > 0 && el.getBoundingClientRect().height === reserved,
      };
    });
  };
  const poll = (page: Page) => page.locator('#poll-main');

  it('votes by keyboard on the demo page, sees the result, and still sees it after a reload', async () => {
    const page = await open();
    const rating = poll(page).getByRole('group', {
      name: 'Bạn đánh giá như thế nào về cổng thông tin này?',
    });
    await rating.waitFor();
    assert.deepEqual(await partsText(page, 'label'), ['Rất tốt', 'Tốt', 'Bình thường', 'Chưa tốt']);
    assert.deepEqual(
      await settled(page),
      { csp: [], fits: true },
      'no CSP violation; the voting view fits the reserved space',
    );
    // Keyboard only: into the radio group, down to "Tốt", Enter submits.
    await rating.getByRole('radio', { name: 'Rất tốt', exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await poll(page).getByRole('list').waitFor();
    assert.deepEqual(await partsText(page, 'result-value'), [
      '0 phiếu (0%)',
      '1 phiếu (100%)',
      '0 phiếu (0%)',
      '0 phiếu (0%)',
    ]);
    assert.deepEqual(await partsText(page, 'total'), ['Tổng cộng 1 người đã bình chọn.']);
    assert.deepEqual(await partsText(page, 'leader'), ['Dẫn đầu: Tốt (100%).']);
    assert.deepEqual(await partsText(page, 'notice'), ['Cảm ơn bạn đã bình chọn.']);

    // The server agrees, and has stored it.
    const api = await (
      await page.request.get(`${e2e.server.url}/api/v1/sites/demo/polls/${POLL}`)
    ).json();
    assert.deepEqual(
      api.results.options.map((o: { votes: number }) => o.votes),
      [0, 1, 0, 0],
    );
    const storage = await openStorage({ dbFile: e2e.engine.env.CIVIC_DB_FILE });
    try {
      const stored = await new PollStore(storage.db, storage.dialect).get('demo', POLL);
      assert.equal(stored?.voters, 1);
    } finally {
      await storage.close();
    }

    await page.reload();
    await poll(page).getByRole('list').waitFor();
    assert.deepEqual(
      await partsText(page, 'notice'),
      ['Bạn đã bình chọn.'],
      'the voted state survives a reload',
    );
    assert.deepEqual(await partsText(page, 'result-mine'), ['Tốt (bạn chọn) 1 phiếu (100%)']);
    assert.equal(await poll(page).getByRole('radio').count(), 0);
    assert.deepEqual(
      await settled(page),
      { csp: [], fits: true },
      'the results view fits the reserved space',
    );
    await page.context().close();
  });

  it('lets another visitor see the results first, go back, and vote; counts each visitor once', async () => {
    const page = await open();
    await poll(page).getByRole('button', { name: 'Xem kết quả' }).click();
    await poll(page).getByRole('list').waitFor();
    assert.deepEqual(await partsText(page, 'total'), ['Tổng cộng 1 người đã bình chọn.']);
    await poll(page).getByRole('button', { name: 'Quay lại bình chọn' }).click();
    await poll(page).getByRole('radio', { name: 'Rất tốt' }).check();
    await poll(page).getByRole('button', { name: 'Gửi bình chọn' }).click();
    await poll(page).getByRole('list').waitFor();
    assert.deepEqual(await partsText(page, 'total'), ['Tổng cộng 2 người đã bình chọn.']);
    assert.deepEqual(await partsText(page, 'leader'), ['Đồng dẫn đầu: Rất tốt và Tốt (50%).']);
    // The same browser voting again (a replayed POST with its token) changes nothing.
    const token = await page.evaluate(
      (key) => localStorage.getItem(key),
      `civic-poll:demo:${POLL}`,
    );
    const replay = await page.request.post(
      `${e2e.server.url}/api/v1/sites/demo/polls/${POLL}/votes`,
      { data: { choices: ['chua-tot'], voter: token } },
    );
    assert.equal(replay.status(), 200);
    assert.equal((await replay.json()).counted, false);
    const link = await page.request.get(
      `${e2e.server.url}/api/v1/sites/demo/polls/${POLL}/votes?choices=chua-tot&voter=${token}`,
    );
    assert.equal(link.status(), 405, 'no vote by GET link');
    const api = await (
      await page.request.get(`${e2e.server.url}/api/v1/sites/demo/polls/${POLL}`)
    ).json();
    assert.equal(api.results.voters, 2);
    assert.deepEqual(problems, []);
    await page.context().close();
  });
});
