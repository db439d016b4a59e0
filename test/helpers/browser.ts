/**
 * Debian's Chromium for end-to-end tests (no browser download), and pages in it that browse as a
 * person and record what went wrong: page errors, console errors and CSP violations.
 */
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { browserPath, CHROMIUM_ARGS, PERSON_UA } from './browsers.mjs';

export { PERSON_UA };

/** `args`: more command-line switches, e.g. `--host-resolver-rules=…`. */
export function launchChromium(args: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: browserPath('chromium'),
    args: [...CHROMIUM_ARGS, '--no-first-run', ...args],
  });
}

/** Records CSP violations in `window.__csp` from the first script on (an init script). */
export function watchCsp(): void {
  const w = window as unknown as { __csp: string[] };
  w.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
  );
}

export interface WatchedPageOptions {
  /** For the new browser context; the user agent is a person's unless given. */
  context?: BrowserContextOptions;
  /** Console message types that count as problems (default: errors only). */
  consoleTypes?: string[];
  /** Console messages that are not problems, e.g. the demo's deliberately failing widget. */
  ignoreConsole?: RegExp;
}

/**
 * A page in a new browser context, not yet navigated, that pushes its page errors and console
 * errors onto `problems` and records CSP violations (`watchCsp`). Close it with its context.
 */
export async function newWatchedPage(
  browser: Browser,
  problems: string[],
  options: WatchedPageOptions = {},
): Promise<Page> {
  const context = await browser.newContext({ userAgent: PERSON_UA, ...options.context });
  return watchPage(await context.newPage(), problems, options);
}

/** `newWatchedPage`'s watchers on a page of an existing context (e.g. a second tab). */
export async function watchPage(
  page: Page,
  problems: string[],
  options: Pick<WatchedPageOptions, 'consoleTypes' | 'ignoreConsole'> = {},
): Promise<Page> {
  const consoleTypes = options.consoleTypes ?? ['error'];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (consoleTypes.includes(msg.type()) && !options.ignoreConsole?.test(msg.text()))
      problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  await page.addInitScript(watchCsp);
  return page;
}

/** The CSP violations the page has recorded so far. */
export const cspViolations = (page: Page): Promise<string[]> =>
  page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
