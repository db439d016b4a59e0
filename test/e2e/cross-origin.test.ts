import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHostSite, type HostSite } from '../helpers/host-site.js';
import { sqliteEngine, type TestEngine } from '../helpers/engines.js';
import { freePort, startServer, type RunningServer } from '../helpers/server-process.js';
import { assertClean, chromiumTabs, firefoxTabs, type TabBrowser } from '../helpers/tab.js';
import {
  counterTotal,
  jumpMenuOptions,
  marqueeText,
  postComment,
  shadowTexts,
  vote,
} from '../helpers/tab-widgets.js';

const TOKEN = 'e2e-admin-token-0123456789abcdef';
const POLL = 'danh-gia-cong-thong-tin';

/**
 * The demo portal as a webmaster's site embeds it: the page is served by another server on
 * another port (another origin), with the README's snippet pointing at the widget server by its
 * full URL, under the README's strict host-page CSP with Trusted Types. Every widget must render
 * and work there, in Chromium and in Firefox ESR, with no console error and no CSP violation.
 */
for (const [label, launch] of [
  ['Chromium', chromiumTabs],
  ['Firefox ESR', firefoxTabs],
] as const) {
  describe(`the demo portal embedded from another origin (${label})`, () => {
    let engine: TestEngine;
    let server: RunningServer;
    let host: HostSite;
    let browser: TabBrowser;

    before(async () => {
      engine = await sqliteEngine();
      const hostPort = await freePort();
      // The site's allowed origins list the host page's origin, as a webmaster would set it.
      server = await startServer({
        ...engine.env,
        ADMIN_TOKEN: TOKEN,
        DEMO_ORIGINS: `http://127.0.0.1:${hostPort}`,
      });
      host = await startHostSite(server.url, hostPort);
      browser = await launch();
    });
    after(async () => {
      await browser?.close();
      await host?.close();
      await server?.stop();
      await engine?.drop();
    });

    const api = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${server.url}/api/v1${path}`, {
        ...init,
        headers: { authorization: `Bearer ${TOKEN}`, ...init.headers },
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked field by field
      return { status: res.status, body: (await res.json()) as any };
    };

    it('loads civic.js and its chunks cross-origin, and every widget renders and works', async () => {
      const tab = await browser.newTab();
      try {
        await tab.goto(`${host.origin}/`);
        assert.notEqual(host.origin, new URL(server.url).origin);
        assert.equal(await tab.evaluate(() => location.origin), host.origin);

        // The counter counts this visit, from the old portal's 414.428.
        assert.equal(await counterTotal(tab, '#counter-main'), '414.429');

        // The marquee shows the server's slogans (the fallback holds only the first).
        assert.match(await marqueeText(tab), /DI CHÚC CỦA CHỦ TỊCH HỒ CHÍ MINH/);

        // The jump menu ("Liên kết web") with its "Đi" button, and the banners loaded from the
        // widget server (an image on another origin, allowed by the README's img-src).
        const jump = 'civic-link-list[variant="select"]';
        assert.match(
          (await jumpMenuOptions(tab, jump, 4)).at(-1)!,
          /^Bộ Thông tin và Truyền thông/,
        );
        assert.deepEqual(await shadowTexts(tab, { host: jump, sel: '[part~="go-button"]' }), [
          'Đi',
        ]);
        // (Until the API answers, the widget shows the page's own fallback banners, from the host.)
        const banners = await tab.waitFor((widgets) => {
          const imgs = [
            ...(document
              .querySelector('civic-link-list[variant="banners"]')
              ?.shadowRoot?.querySelectorAll('img') ?? []),
          ];
          const fromServer =
            imgs.length === 3 && imgs.every((i) => i.src.startsWith(`${widgets}/`));
          return (
            fromServer &&
            imgs.every((i) => i.complete && i.naturalWidth > 0) &&
            imgs.map((i) => i.src)
          );
        }, server.url);
        for (const src of banners)
          assert.ok(
            src.startsWith(`${server.url}/banners/`),
            `banner from the widget server: ${src}`,
          );

        // A vote is counted.
        assert.equal(await vote(tab, '#poll-main', 1), 'Tổng cộng 1 người đã bình chọn.');
        const poll = await api(`/sites/demo/polls/${POLL}`);
        assert.deepEqual(
          poll.body.results.options.map((o: { votes: number }) => o.votes),
          [0, 1, 0, 0],
        );

        // A comment with the proof of work is accepted as pending.
        const notice = await postComment(tab, '#comments-main', {
          name: 'Trần Thị Hoa',
          email: 'hoa@example.vn',
          title: 'Góp ý từ trang của sở',
          content: 'Nhúng từ một trang khác vẫn gửi được ý kiến.',
        });
        assert.equal(notice, 'Ý kiến của bạn đang chờ kiểm duyệt.');
        const pending = await api('/admin/sites/demo/comments?status=pending');
        assert.equal(pending.body.items.length, 1);
        assert.equal(pending.body.items[0].name, 'Trần Thị Hoa');

        // The demo's deliberately failing counter (an unknown site) shows its message and fallback.
        const failing = await tab.waitFor(() =>
          document
            .querySelector('#counter-failing')
            ?.shadowRoot?.querySelector('[part~="error-message"]')
            ?.textContent?.trim(),
        );
        assert.ok(failing);

        // Chromium logs every 4xx answer as "Failed to load resource": here the unknown site's 404.
        await assertClean(
          tab,
          /Failed to load resource: the server responded with a status of 404/,
        );
      } finally {
        await tab.close();
      }
    });
  });
}
