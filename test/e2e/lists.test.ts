import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { DEMO_BANNERS, DEMO_LINKS, DEMO_SLOGANS } from '../../src/server/lists/seed.js';
import { cspViolations, newWatchedPage, PERSON_UA } from '../helpers/browser.js';
import { useRealServer } from '../helpers/e2e.js';

describe('demo marquee and link lists against the real server', () => {
  const e2e = useRealServer();

  async function open(
    options: BrowserContextOptions = {},
  ): Promise<{ page: Page; problems: string[] }> {
    const problems: string[] = [];
    const page = await newWatchedPage(e2e.browser, problems, {
      context: options,
      consoleTypes: ['error', 'warning'],
    });
    await page.addInitScript(() => {
      const w = window as unknown as { __shifted: string[]; __nav: unknown[] };
      w.__shifted = [];
      w.__nav = [];
      // The demo links are real government sites: record the navigation instead of leaving.
      document.addEventListener('civic-navigate', (e) => {
        w.__nav.push((e as CustomEvent).detail);
        e.preventDefault();
      });
      // Other widgets' shifts are theirs: keep the ones of ours (a host, or anything inside one).
      // (No named helper functions here: tsx would wrap them in a __name() the page lacks.)
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as Array<
          PerformanceEntry & { sources: Array<{ node: Node | null }> }
        >) {
          for (const source of entry.sources) {
            for (let n = source.node; n; n = n instanceof ShadowRoot ? n.host : n.parentNode) {
              if (n instanceof Element && /^CIVIC-(MARQUEE|LINK-LIST)$/.test(n.tagName))
                w.__shifted.push(String(source.node?.nodeName));
            }
          }
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(`${e2e.server.url}/`);
    return { page, problems };
  }

  it('serves the lists with an ETag, and 304 when unchanged', async () => {
    const url = `${e2e.server.url}/api/v1/sites/demo/slogans/khau-hieu`;
    const res = await fetch(url);
    assert.equal(res.status, 200);
    const etag = res.headers.get('etag')!;
    assert.ok(etag);
    assert.match(res.headers.get('cache-control')!, /max-age/);
    assert.deepEqual((await res.json()).items, DEMO_SLOGANS);
    const again = await fetch(url, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
  });

  it('moves the seeded slogans, shows the banners and the jump menu, under the strict CSP without shift', async () => {
    const { page, problems } = await open();
    const items = await page.waitForFunction(
      (n) => {
        const el = document.querySelector('civic-marquee');
        const texts = [
          ...(el?.shadowRoot?.querySelectorAll('.copy:first-child [part~="item"]') ?? []),
        ].map((i) => i.textContent);
        return texts.length === n &&
          el!.shadowRoot!.getAnimations().some((a) => a.playState === 'running')
          ? texts
          : false;
      },
      DEMO_SLOGANS.length,
      { timeout: 15_000 },
    );
    assert.deepEqual(
      await items.jsonValue(),
      DEMO_SLOGANS.map((s) => s.text),
    );

    // Banners: images served by this server, loaded, with their alt text.
    const banners = await page.waitForFunction(
      (n) => {
        const imgs = [
          ...(document
            .querySelector('civic-link-list[variant="banners"]')
            ?.shadowRoot?.querySelectorAll('img') ?? []),
        ];
        return imgs.length === n && imgs.every((i) => i.complete && i.naturalWidth > 0)
          ? imgs.map((i) => ({ src: new URL(i.src).pathname, alt: i.alt }))
          : false;
      },
      DEMO_BANNERS.length,
      { timeout: 15_000 },
    );
    assert.deepEqual(
      await banners.jsonValue(),
      DEMO_BANNERS.map((b) => ({ src: b.image, alt: b.alt })),
    );

    // The jump menu: choosing does nothing, "Đi" navigates.
    const select = page.locator('civic-link-list[variant="select"] select');
    await page.waitForFunction(
      () =>
        document
          .querySelector('civic-link-list[variant="select"]')
          ?.shadowRoot?.querySelectorAll('optgroup').length === 2,
    );
    assert.equal(await select.locator('option').count(), DEMO_LINKS.length);
    await select.selectOption({ index: 1 });
    await page.waitForTimeout(100);
    assert.deepEqual(
      await page.evaluate(() => (window as unknown as { __nav: unknown[] }).__nav),
      [],
    );
    await page.locator('civic-link-list[variant="select"] button').click();
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __nav: unknown[] }).__nav), [
      { href: 'https://dichvucong.gov.vn/', text: 'Cổng Dịch vụ công quốc gia', external: true },
    ]);

    // Pause by keyboard.
    await page.locator('civic-marquee button').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => document.querySelector('civic-marquee')!.shadowRoot!.getAnimations().length === 0,
    );
    assert.equal(
      (await page.locator('civic-marquee [part~="toggle-button"]').textContent())?.trim(),
      'Tiếp tục',
    );

    const shifted = await page.evaluate(
      () => (window as unknown as { __shifted: string[] }).__shifted,
    );
    assert.deepEqual(await cspViolations(page), [], 'no CSP violation');
    assert.deepEqual(shifted, [], 'nothing of the marquee or the link lists shifted');
    assert.deepEqual(
      problems.filter(
        (p) => /marquee|link-list|lists|banner/i.test(p) || p.startsWith('pageerror'),
      ),
      [],
    );
    await page.context().close();
  });

  it('keeps the same boxes as the light-DOM fallbacks shown without script (space reserved)', async () => {
    const boxes = async (javaScriptEnabled: boolean) => {
      const context = await e2e.browser.newContext({
        userAgent: PERSON_UA,
        javaScriptEnabled,
        viewport: { width: 1280, height: 2000 },
      });
      const page = await context.newPage();
      await page.goto(`${e2e.server.url}/`);
      if (javaScriptEnabled) {
        await page.waitForFunction(() =>
          [...document.querySelectorAll('civic-marquee, civic-link-list')].every((el) =>
            el.shadowRoot?.querySelector('[part~="base"]'),
          ),
        );
        await page.waitForTimeout(500);
      }
      const result = await page.evaluate(() =>
        [
          '#slot-marquee',
          '#slot-marquee civic-marquee',
          '#slot-banners civic-link-list',
          '#slot-links civic-link-list',
        ].map((sel) => {
          const r = document.querySelector(sel)!.getBoundingClientRect();
          return `${sel}: ${r.width.toFixed(1)}x${r.height.toFixed(1)}`;
        }),
      );
      await context.close();
      return result;
    };
    assert.deepEqual(await boxes(true), await boxes(false));
  });

  it('keeps the slogans still under prefers-reduced-motion', async () => {
    const { page } = await open({ reducedMotion: 'reduce' });
    await page.waitForFunction(() => {
      const root = document.querySelector('civic-marquee')?.shadowRoot;
      return (
        root?.querySelector('[part~="slogan"]')?.textContent ===
        'TÍCH CỰC CHUẨN BỊ VÀ TỔ CHỨC THÀNH CÔNG ĐẠI HỘI ĐẢNG BỘ CÁC CẤP TIẾN TỚI ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC LẦN THỨ XIII CỦA ĐẢNG'
      );
    });
    await page.waitForTimeout(500);
    const running = await page.evaluate(
      () => document.getAnimations().filter((a) => a.playState === 'running').length,
    );
    assert.equal(running, 0);
    await page.locator('civic-marquee [part~="next-button"]').click();
    assert.equal(
      await page.locator('civic-marquee [part~="slogan"]').textContent(),
      DEMO_SLOGANS[1]!.text,
    );
    await page.context().close();
  });
});
