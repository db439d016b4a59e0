/** axe-core in an end-to-end tab (Chromium or Firefox ESR). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Tab } from './tab.js';

/** axe-core's browser build (a dependency of @open-wc/testing, used by the browser tests). */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe on the tab's whole page (shadow roots included) with axe's `options` (`runOnly`, `rules`…):
 * the violations, one line each. axe goes in through the browser's debugging protocol, not a
 * script element, so the page's CSP stays as it is — and needs no change for axe.
 */
export async function axeViolations(tab: Tab, options: object = {}): Promise<string[]> {
  if (!(await tab.evaluate(() => 'axe' in window))) await tab.inject(AXE);
  return tab.evaluate(async (opts) => {
    const w = window as unknown as {
      axe: {
        run(
          ctx: Document,
          opts: object,
        ): Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }>;
      };
    };
    const { violations } = await w.axe.run(document, { resultTypes: ['violations'], ...opts });
    return violations.map(
      (v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
    );
  }, options);
}
