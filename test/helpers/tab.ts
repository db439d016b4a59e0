/**
 * One browser tab, the same few calls in Chromium (playwright-core) and Firefox ESR
 * (puppeteer-core over WebDriver BiDi), so an end-to-end test runs unchanged in both. Every page
 * error, console error and CSP violation is collected in `problems`.
 */
import { launch as launchPuppeteer, type Browser as PuppeteerBrowser } from 'puppeteer-core';
import type { Browser as PlaywrightBrowser } from 'playwright-core';
import { firefoxPath, launchChromium } from './browser.js';

/** Headless browsers announce themselves as bots (not counted as visits): browse as a person. */
export const PERSON_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** What a polled condition resolves with: its first truthy value. */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

export interface Tab {
  goto(url: string): Promise<void>;
  evaluate<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** Resolves with the first truthy value `fn` returns (polling), or fails after `timeoutMs`. */
  waitFor<T, A = undefined>(fn: (arg: A) => T, arg?: A, timeoutMs?: number): Promise<Truthy<T>>;
  problems: string[];
  close(): Promise<void>;
}

export interface TabBrowser {
  name: string;
  newTab(): Promise<Tab>;
  close(): Promise<void>;
}

/** Records CSP violations in `window.__csp` from the first script on. */
function watchCsp(): void {
  const w = window as unknown as { __csp: string[] };
  w.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
  );
}

export async function chromiumTabs(): Promise<TabBrowser> {
  const browser: PlaywrightBrowser = await launchChromium();
  return {
    name: 'Chromium',
    async newTab() {
      const context = await browser.newContext({
        userAgent: PERSON_UA,
        viewport: { width: 1200, height: 900 },
      });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
      });
      await page.addInitScript(watchCsp);
      return {
        problems,
        goto: async (url) => void (await page.goto(url)),
        evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
        waitFor: async (fn, arg, timeoutMs = 20_000) =>
          (
            await page.waitForFunction(fn as never, arg, { timeout: timeoutMs, polling: 50 })
          ).jsonValue() as never,
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

export async function firefoxTabs(): Promise<TabBrowser> {
  const browser: PuppeteerBrowser = await launchPuppeteer({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    // Firefox itself (not the page) may try the network for updates and telemetry: keep it quiet.
    extraPrefsFirefox: {
      'network.captive-portal-service.enabled': false,
      'app.update.enabled': false,
    },
  });
  return {
    name: 'Firefox ESR',
    async newTab() {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) =>
        problems.push(`pageerror: ${String((err as Error)?.message ?? err)}`),
      );
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
      });
      await page.setViewport({ width: 1200, height: 900 });
      await page.setUserAgent(PERSON_UA.replace('Chrome/126.0 Safari/537.36', 'Firefox/128.0'));
      await page.evaluateOnNewDocument(watchCsp);
      return {
        problems,
        goto: async (url) => void (await page.goto(url)),
        evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
        waitFor: async (fn, arg, timeoutMs = 20_000) =>
          (
            await (
              page.waitForFunction as (
                ...args: unknown[]
              ) => Promise<{ jsonValue(): Promise<unknown> }>
            )(fn, { timeout: timeoutMs, polling: 50 }, arg)
          ).jsonValue() as never,
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}
