import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { cspViolations, newWatchedPage } from '../helpers/browser.js';
import { useRealServer } from '../helpers/e2e.js';

/** Text of a counter's figure part, read through its shadow root. */
async function figure(page: Page, selector: string, part: string): Promise<string> {
  const handle = await page.waitForFunction(
    ([sel, p]) => {
      const el = document.querySelector(sel);
      const text = el?.shadowRoot?.querySelector(`[part~="${p}"]`)?.textContent?.trim() ?? '';
      return /\d/.test(text) ? text : false;
    },
    [selector, part] as const,
    { timeout: 15_000 },
  );
  return (await handle.jsonValue()) as string;
}

describe('demo portal against the real server', () => {
  const e2e = useRealServer();
  const problems: string[] = [];

  async function open(): Promise<Page> {
    // Headless Chromium announces itself as a bot (and is not counted): it browses as a person.
    const page = await newWatchedPage(e2e.browser, problems, { ignoreConsole: /status of 404/ });
    await page.addInitScript(() => {
      const w = window as unknown as { __shifts: number };
      w.__shifts = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as Array<PerformanceEntry & { value: number }>)
          w.__shifts += entry.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(`${e2e.server.url}/`);
    return page;
  }

  it('counts the visit from 414428 on, once per session, in Vietnamese and English formats', async () => {
    const page = await open();
    assert.equal(await figure(page, '#counter-main', 'total'), '414.429');
    assert.match(await figure(page, 'civic-visit-counter[lang="en"]', 'total'), /^414,429$/);
    // A reload in the same tab session does not count again.
    await page.reload();
    assert.equal(await figure(page, '#counter-main', 'total'), '414.429');
    // A new browser session does.
    const other = await open();
    assert.equal(await figure(other, '#counter-main', 'total'), '414.430');
    const online = await figure(other, '#counter-main', 'online');
    assert.equal(online, '2');
    await page.context().close();
    await other.context().close();
  });

  it('runs under the strict CSP with Trusted Types, without layout shift or page errors', async () => {
    const page = await open();
    const csp = (await page.request.get(`${e2e.server.url}/`)).headers()['content-security-policy'];
    assert.match(csp, /require-trusted-types-for 'script'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    await figure(page, '#counter-main', 'total');
    // The failing variant shows its localized message and keeps its fallback.
    await page.waitForFunction(() => {
      const el = document.querySelector('#counter-failing');
      return !!el?.shadowRoot?.querySelector('[part~="error-message"]')?.textContent?.trim();
    });
    await page.waitForTimeout(300);
    const shifts = await page.evaluate(() => (window as unknown as { __shifts: number }).__shifts);
    assert.deepEqual(await cspViolations(page), [], 'no CSP violation');
    assert.equal(shifts, 0, 'no layout shift caused by the widgets');
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  it('fits a 320 px phone in light and dark: no horizontal scroll once every widget has loaded', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await e2e.browser.newContext({
        viewport: { width: 320, height: 700 },
        colorScheme,
      });
      const page = await context.newPage();
      await page.goto(`${e2e.server.url}/`);
      await figure(page, '#counter-main', 'total');
      await page.waitForFunction(
        () => !!document.querySelector('#poll-main')?.shadowRoot?.querySelector('fieldset'),
      );
      const { scrollWidth, clientWidth, wide } = await page.evaluate(() => {
        // What sticks out, through shadow roots, for the message (boxes that scroll or clip their
        // content, like a code sample or the marquee's track, are left out).
        const wide: string[] = [];
        // (A stack, not a named function: the test's compiler would wrap one in a helper the page lacks.)
        const roots: Array<Document | ShadowRoot> = [document];
        for (let root = roots.pop(); root; root = roots.pop()) {
          for (const e of root.querySelectorAll('*')) {
            const parent = e.parentElement;
            const clipped = parent && getComputedStyle(parent).overflowX !== 'visible';
            if (!clipped && e.getBoundingClientRect().right > innerWidth + 0.5)
              wide.push(`${e.tagName.toLowerCase()}#${e.id}[part=${e.getAttribute('part')}]`);
            if (e.shadowRoot) roots.push(e.shadowRoot);
          }
        }
        return {
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
          wide: wide.slice(0, 8),
        };
      });
      assert.ok(
        scrollWidth <= clientWidth,
        `${colorScheme}: the page is ${scrollWidth} px wide in a ${clientWidth} px viewport: ${wide.join(', ')}`,
      );
      await context.close();
    }
  });

  it('loads only the chunks of widgets on the page, and serves them immutable', async () => {
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('response', (res) => {
      if (res.url().endsWith('.js')) scripts.push(res.url());
    });
    await page.goto(`${e2e.server.url}/health/live`);
    await page.setContent('<!doctype html><html lang="vi"><body><p>no widgets</p></body></html>');
    await page.addScriptTag({ url: `${e2e.server.url}/civic.js`, type: 'module' });
    await page.waitForTimeout(300);
    assert.deepEqual(
      scripts.map((u) => new URL(u).pathname),
      ['/civic.js'],
      'no widget chunk without a widget tag',
    );
    // A tag inserted later (as a CMS would) loads its chunk and upgrades.
    await page.evaluate(() => document.body.append(document.createElement('civic-visit-counter')));
    await page.waitForFunction(() => customElements.get('civic-visit-counter') !== undefined);
    const chunk = scripts.find((u) => u.includes('/chunks/'));
    assert.ok(chunk, 'a chunk was loaded');
    const res = await page.request.get(chunk);
    assert.match(res.headers()['cache-control'] ?? '', /immutable/);
    await context.close();
  });
});
