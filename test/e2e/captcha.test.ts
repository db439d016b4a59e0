import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { POW_BASE } from '../../src/shared/captcha.js';
import { cspViolations, newWatchedPage } from '../helpers/browser.js';
import { useRealServer } from '../helpers/e2e.js';

const TOKEN = 'e2e-admin-token-0123456789abcdef';
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'";

/** A host site's own contact form (not ours): a plain <form> posting to its backend. */
const PAGE = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Liên hệ</title></head><body>
<main><h1>Liên hệ</h1>
<form action="/contact" method="post">
  <label>Tiêu đề <input name="title" value="Góp ý"></label>
  <civic-captcha name="captcha" action="contact" required><p>Không tải được mã xác nhận.</p></civic-captcha>
  <button>Gửi</button>
</form></main>
<script type="module" src="/civic.js" data-site="demo"></script>
</body></html>`;

/**
 * `<civic-captcha>` from the built `civic.js` on a strict-CSP page against the real server process
 * (`src/server/main.ts`: no test seam, so the code image cannot be read here — the proof of work
 * is the path a program can take, and it is timed in Chromium).
 */
describe('captcha end to end (real server process, Chromium)', () => {
  const e2e = useRealServer({ ADMIN_TOKEN: TOKEN });
  const problems: string[] = [];

  const api = async (method: string, path: string, body?: unknown, auth = true) => {
    const res = await fetch(`${e2e.server.url}/api/v1${path}`, {
      method,
      headers: {
        ...(auth ? { authorization: `Bearer ${TOKEN}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked field by field
    return { status: res.status, body: (await res.json()) as any };
  };

  /** Opens the contact page; resolves the host backend's received form body through `posted`. */
  async function open(): Promise<{ page: Page; posted: Promise<URLSearchParams> }> {
    const page = await newWatchedPage(e2e.browser, problems);
    await page.route(`${e2e.server.url}/lien-he.html`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        headers: { 'Content-Security-Policy': CSP },
        body: PAGE,
      }),
    );
    const posted = new Promise<URLSearchParams>((resolve) => {
      void page.route(`${e2e.server.url}/contact`, (route) => {
        resolve(new URLSearchParams(route.request().postData() ?? ''));
        void route.fulfill({ status: 200, contentType: 'text/html', body: '<p>Cảm ơn</p>' });
      });
    });
    await page.goto(`${e2e.server.url}/lien-he.html`);
    return { page, posted };
  }

  /** Waits until the captcha has a token; returns its status text. */
  const solved = (page: Page) =>
    page
      .waitForFunction(
        () => {
          const el = document.querySelector('civic-captcha') as
            (HTMLElement & { value: string }) | null;
          return (
            !!el?.value?.startsWith('p1.') &&
            el.shadowRoot!.querySelector('[part~="status"]')!.textContent!.trim()
          );
        },
        undefined,
        { timeout: 30_000, polling: 50 },
      )
      .then((h) => h.jsonValue() as Promise<string>);

  it('shows the server-drawn image; the proof of work fills a plain form that the host backend verifies once', async () => {
    const { page, posted } = await open();
    const size = await page
      .waitForFunction(() => {
        const img = document
          .querySelector('civic-captcha')
          ?.shadowRoot?.querySelector<HTMLImageElement>('img[part~="image"]');
        return (
          !!img?.complete && img.naturalWidth > 0 && `${img.naturalWidth}x${img.naturalHeight}`
        );
      })
      .then((h) => h.jsonValue());
    assert.equal(size, '240x90');
    assert.equal(
      await page.evaluate(() => document.querySelector('form')!.checkValidity()),
      false,
      'required and empty blocks the form',
    );

    // Keyboard: focus the "Can't read the code?" button and press Enter.
    await page.locator('civic-captcha button[part~="pow-button"]').focus();
    const start = Date.now();
    await page.keyboard.press('Enter');
    const status = await solved(page);
    const ms = Date.now() - start;
    assert.match(status, /^Đã xác minh \(mất [\d,]+ giây\)\.$/);
    console.log(
      `[pow timing e2e] Chromium, built civic.js, maxnumber ${POW_BASE}: ${(ms / 1000).toFixed(2)} s (${status})`,
    );

    await page.locator('form button').click();
    const form = await posted;
    const token = form.get('captcha')!;
    assert.match(token, /^p1\./);
    assert.equal(form.get('title'), 'Góp ý');

    // The host's backend: siteverify-style, with the site secret.
    const { secret } = (await api('GET', '/admin/sites/demo/secret')).body;
    assert.equal(
      (await api('POST', '/captcha/verify', { site: 'demo', secret: 'wrong', token }, false))
        .status,
      401,
    );
    assert.deepEqual(
      (
        await api(
          'POST',
          '/captcha/verify',
          { site: 'demo', secret, token, action: 'contact' },
          false,
        )
      ).body,
      { success: true, action: 'contact' },
    );
    const replay = await api(
      'POST',
      '/captcha/verify',
      { site: 'demo', secret, token, action: 'contact' },
      false,
    );
    assert.equal(replay.body.code, 'captcha_used');

    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  it('in pow mode solves on load, without an image; times several runs', async () => {
    assert.equal((await api('PUT', '/admin/sites/demo/captcha', { mode: 'pow' })).status, 200);
    const times: number[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const { page } = await open();
        const start = Date.now();
        const status = await solved(page);
        times.push(Date.now() - start);
        assert.match(status, /^Đã xác minh/);
        assert.equal(
          await page.evaluate(
            () =>
              !!document.querySelector('civic-captcha')!.shadowRoot!.querySelector('img, input'),
          ),
          false,
        );
        await page.context().close();
      }
    } finally {
      await api('PUT', '/admin/sites/demo/captcha', { mode: 'code+pow' });
    }
    const avg = times.reduce((a, b) => a + b, 0) / times.length;
    console.log(
      `[pow timing e2e] Chromium, pow mode, page load → token, ${times.length} runs: ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s; average ${(avg / 1000).toFixed(2)} s`,
    );
    assert.deepEqual(problems, []);
  });
});
