/**
 * Before/after pictures for docs/theming.md: `npm run build:widgets && npm run screenshots:themes`.
 *
 * Starts the real server (built widgets, a throw-away SQLite file with the seeded `demo` site),
 * opens a plain page of its own origin with every widget, in Debian's Chromium, and saves
 * `docs/theme-<widget>-<before|after>-<light|dark>.png`, each cropped to the widget: "before"
 * with the built-in colours, "after" with the example theme of docs/theming.md (its first
 * ```css block, read from the file). The marquee is shot under reduced motion (it holds still).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withServerAndBrowser } from './shots.js';

const OUT = process.argv[2] ?? 'docs';
const THEME = /```css\n([\s\S]*?)```/.exec(readFileSync('docs/theming.md', 'utf8'))![1]!;

/** id → the widget's markup (the seeded demo site's poll and lists). */
const WIDGETS: Record<string, string> = {
  'visit-counter': '<civic-visit-counter show-month></civic-visit-counter>',
  poll: '<civic-poll poll-id="danh-gia-cong-thong-tin"></civic-poll>',
  comments: '<civic-comments thread="/tin-tuc/giao-dien" no-list></civic-comments>',
  captcha: '<civic-captcha></civic-captcha>',
  marquee: '<civic-marquee source="khau-hieu"></civic-marquee>',
  'link-list': '<civic-link-list source="lien-ket-web" label="Liên kết web"></civic-link-list>',
  'link-list-select':
    '<civic-link-list source="lien-ket-web" variant="select" label="Liên kết web"></civic-link-list>',
};

function pageHtml(themed: boolean): string {
  const shots = Object.entries(WIDGETS)
    .map(([id, tag]) => `<div class="shot" id="${id}">${tag}</div>`)
    .join('');
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8">
<style>:root{color-scheme:light dark;font:16px/1.5 system-ui,sans-serif}body{margin:0;background:Canvas}
.shot{width:360px;padding:8px}${themed ? THEME : ''}</style>
<script type="module" src="/civic.js" data-site="demo"></script></head><body>${shots}</body></html>`;
}

async function main(): Promise<void> {
  await withServerAndBrowser({}, async (server, browser) => {
    mkdirSync(OUT, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      for (const themed of [false, true]) {
        const context = await browser.newContext({
          viewport: { width: 400, height: 900 },
          colorScheme: scheme,
          reducedMotion: 'reduce',
          bypassCSP: true,
          locale: 'vi-VN',
        });
        const page = await context.newPage();
        // The server's own origin (allowed for the demo site), then a page of our own.
        await page.goto(`${server.url}/`);
        await page.setContent(pageHtml(themed));
        for (const id of Object.keys(WIDGETS)) {
          await page.waitForFunction(
            `(() => { const el = document.querySelector('#${id} > *');
              const base = el && el.shadowRoot && el.shadowRoot.querySelector('[part~="base"]');
              return base && base.getAttribute('aria-busy') !== 'true'
                && !el.shadowRoot.querySelector('.placeholder'); })()`,
            undefined,
            { timeout: 20_000 },
          );
        }
        await page.evaluate(() => document.fonts.ready);
        await page.waitForTimeout(300);
        for (const id of Object.keys(WIDGETS)) {
          const path = join(OUT, `theme-${id}-${themed ? 'after' : 'before'}-${scheme}.png`);
          await page.locator(`#${id}`).screenshot({ path });
          console.log(path);
        }
        await context.close();
      }
    }
  });
}

await main();
