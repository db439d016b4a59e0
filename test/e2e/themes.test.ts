import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { newWatchedPage } from '../helpers/browser.js';
import { useRealServer } from '../helpers/e2e.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe's violations (colour contrast included) inside the elements `selector` matches. */
async function violations(page: Page, selector: string): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async (sel) => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
    const result = await axe.run({ include: [...document.querySelectorAll(sel)] });
    return result.violations.flatMap((v) =>
      v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} ${n.failureSummary ?? ''}`),
    );
  }, selector);
}

describe('demo themes against the real server', () => {
  const e2e = useRealServer();

  for (const scheme of ['light', 'dark'] as const) {
    it(`the themed counter, the red slogan strip and the poll (built CSS) pass axe (contrast included) in ${scheme} mode`, async () => {
      const problems: string[] = [];
      // axe is injected by the test: the demo's CSP (Trusted Types) is bypassed for it.
      const page = await newWatchedPage(e2e.browser, problems, {
        context: { colorScheme: scheme, bypassCSP: true },
        ignoreConsole: /status of 404/,
      });
      await page.goto(`${e2e.server.url}/`);
      const counter = '.themed civic-visit-counter';
      await page.waitForFunction(
        (sel) => /\d/.test(document.querySelector(sel)?.shadowRoot?.textContent ?? ''),
        counter,
        { timeout: 20_000 },
      );
      await page.waitForFunction(
        () => document.querySelector('.slogan-band civic-marquee')?.shadowRoot?.querySelector('p'),
        undefined,
        { timeout: 20_000 },
      );
      const value = await page.evaluate(
        (sel) =>
          getComputedStyle(
            document.querySelector(sel)!.shadowRoot!.querySelector('[part~="total"]')!,
          ).color,
        counter,
      );
      // The designer's dark red in light mode, its dark counterpart in dark mode.
      assert.equal(value, scheme === 'light' ? 'rgb(122, 31, 31)' : 'rgb(255, 201, 201)');
      // The poll's vote button: text on the primary colour, derived for contrast.
      await page.waitForFunction(
        () =>
          document
            .querySelector('#poll-main')
            ?.shadowRoot?.querySelector('[part~="submit-button"]'),
        undefined,
        { timeout: 20_000 },
      );
      assert.deepEqual(
        await violations(page, `${counter}, .slogan-band civic-marquee, #poll-main`),
        [],
      );
      assert.deepEqual(problems, []);
      await page.context().close();
    });
  }
});
