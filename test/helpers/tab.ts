/**
 * One browser tab, the same few calls in Chromium (playwright-core) and Firefox ESR
 * (puppeteer-core over WebDriver BiDi), so an end-to-end test runs unchanged in both. Every page
 * error and console error is collected in `problems`, every CSP violation in the page's `__csp`;
 * `assertClean` checks both.
 */
import assert from 'node:assert/strict';
import { launch as launchPuppeteer, type Browser as PuppeteerBrowser } from 'puppeteer-core';
import { launchChromium, newWatchedPage, PERSON_UA, watchCsp } from './browser.js';
import { browserPath } from './browsers.mjs';

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
  /** `init` runs in every document of the tab before the page's own scripts. */
  newTab(init?: () => void): Promise<Tab>;
  close(): Promise<void>;
}

const VIEWPORT = { width: 1200, height: 900 };

/** A tab from the calls both libraries spell alike; only `waitFor` differs. */
function tabOf(
  page: {
    goto(url: string): Promise<unknown>;
    evaluate(fn: never, arg: unknown): Promise<unknown>;
  },
  problems: string[],
  waitFor: (fn: unknown, arg: unknown, timeoutMs: number) => Promise<{ jsonValue(): unknown }>,
  close: () => Promise<void>,
): Tab {
  return {
    problems,
    goto: async (url) => void (await page.goto(url)),
    evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
    waitFor: async (fn, arg, timeoutMs = 20_000) =>
      (await waitFor(fn, arg, timeoutMs)).jsonValue() as never,
    close,
  };
}

/** Chromium; `hosts` are host names that resolve to 127.0.0.1 (not secure contexts over HTTP). */
export async function chromiumTabs(hosts: string[] = []): Promise<TabBrowser> {
  const browser = await launchChromium(
    hosts.length
      ? [`--host-resolver-rules=${hosts.map((h) => `MAP ${h} 127.0.0.1`).join(',')}`]
      : [],
  );
  return {
    name: 'Chromium',
    async newTab(init) {
      const problems: string[] = [];
      const page = await newWatchedPage(browser, problems, { context: { viewport: VIEWPORT } });
      if (init) await page.addInitScript(init);
      return tabOf(
        page,
        problems,
        (fn, arg, timeout) => page.waitForFunction(fn as never, arg, { timeout, polling: 50 }),
        () => page.context().close(),
      );
    },
    close: () => browser.close(),
  };
}

/** Firefox ESR; `hosts` are host names that resolve to 127.0.0.1 (not secure contexts over HTTP). */
export async function firefoxTabs(hosts: string[] = []): Promise<TabBrowser> {
  const browser: PuppeteerBrowser = await launchPuppeteer({
    browser: 'firefox',
    executablePath: browserPath('firefox'),
    headless: true,
    // Firefox itself (not the page) may try the network for updates and telemetry: keep it quiet.
    extraPrefsFirefox: {
      'network.captive-portal-service.enabled': false,
      'app.update.enabled': false,
      ...(hosts.length ? { 'network.dns.localDomains': hosts.join(',') } : {}),
    },
  });
  return {
    name: 'Firefox ESR',
    async newTab(init) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) =>
        problems.push(`pageerror: ${String((err as Error)?.message ?? err)}`),
      );
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
      });
      await page.setViewport(VIEWPORT);
      await page.setUserAgent(PERSON_UA.replace('Chrome/126.0 Safari/537.36', 'Firefox/128.0'));
      await page.evaluateOnNewDocument(watchCsp);
      if (init) await page.evaluateOnNewDocument(init);
      // Puppeteer takes the options before the argument.
      const waitForFunction = page.waitForFunction as (
        ...args: unknown[]
      ) => Promise<{ jsonValue(): unknown }>;
      return tabOf(
        page,
        problems,
        (fn, arg, timeout) => waitForFunction.call(page, fn, { timeout, polling: 50 }, arg),
        () => context.close(),
      );
    },
    close: () => browser.close(),
  };
}

/**
 * No CSP violation in the tab's current page, and no page error or console error in the tab
 * (but those matching `ignore`, e.g. Chromium's "Failed to load resource" of an expected 404).
 */
export async function assertClean(tab: Tab, ignore?: RegExp): Promise<void> {
  assert.deepEqual(
    await tab.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
    [],
    'no CSP violation',
  );
  assert.deepEqual(
    tab.problems.filter((p) => !ignore?.test(p)),
    [],
    'no page error and no console error',
  );
}
