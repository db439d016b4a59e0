/**
 * One browser tab, the same few calls in Chromium (playwright-core) and Firefox ESR
 * (puppeteer-core over WebDriver BiDi), so an end-to-end test runs unchanged in both. Every page
 * error and console error is collected in `problems`, every CSP violation in the page's `__csp`
 * (`assertClean` checks both), every response in `responses`. A browser may be launched with
 * JavaScript off (`{ javaScript: false }`): the tab's own calls (`evaluate`, `click`, `type`…)
 * still work, the pages' scripts do not run.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  launch as launchPuppeteer,
  type Browser as PuppeteerBrowser,
  type BrowserContext,
} from 'puppeteer-core';
import { launchChromium, newWatchedPage, PERSON_UA, watchCsp, watchPage } from './browser.js';
import { browserPath } from './browsers.mjs';

/** What a polled condition resolves with: its first truthy value. */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/** A response the tab received (redirects included), e.g. `{ method: 'POST', status: 303, … }`. */
export interface TabResponse {
  method: string;
  url: string;
  status: number;
}

export interface Tab {
  /** Resolves with the status of the page's response. */
  goto(url: string): Promise<number | null>;
  evaluate<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** Resolves with the first truthy value `fn` returns (polling), or fails after `timeoutMs`. */
  waitFor<T, A = undefined>(fn: (arg: A) => T, arg?: A, timeoutMs?: number): Promise<Truthy<T>>;
  /** Clicks the element as a person does: the mouse, in the middle of its first line (scrolled into view). */
  click(selector: string): Promise<void>;
  /** Types `text` key by key into the element (focusing it first). */
  type(selector: string, text: string): Promise<void>;
  /** Presses a key, e.g. `Tab`, `ArrowDown`, `Enter`. */
  press(key: string): Promise<void>;
  /** Runs `action` and resolves once the navigation it starts has loaded. */
  navigation(action: () => Promise<unknown>): Promise<void>;
  url(): string;
  /** Runs a script's source in the page through the driver (so the page's CSP does not apply). */
  inject(source: string): Promise<void>;
  /** Another tab of the same browser context (the same cookies). */
  sibling(): Promise<Tab>;
  problems: string[];
  responses: TabResponse[];
  close(): Promise<void>;
}

export interface TabBrowser {
  name: string;
  /** `init` runs in every document of the tab before the page's own scripts (never with JavaScript off). */
  newTab(init?: () => void): Promise<Tab>;
  close(): Promise<void>;
}

export interface TabOptions {
  /** Run the pages' scripts (default true). */
  javaScript?: boolean;
  /** The browser's language (its `Accept-Language`), e.g. `vi-VN`; the browser's own by default. */
  locale?: string;
  /**
   * `prefers-color-scheme` (default: light). In Firefox a preference of the browser: WebDriver
   * BiDi cannot emulate it per tab.
   */
  colorScheme?: 'light' | 'dark';
  /** The size of the window (default 1200 × 900). */
  viewport?: { width: number; height: number };
}

const VIEWPORT = { width: 1200, height: 900 };

/** What both libraries' pages offer alike (their response objects, too). */
interface AnyPage {
  goto(url: string): Promise<{ status(): number } | null>;
  evaluate(fn: never, arg: unknown): Promise<unknown>;
  evaluate(source: string): Promise<unknown>;
  mouse: { click(x: number, y: number): Promise<unknown> };
  bringToFront(): Promise<void>;
  type(selector: string, text: string): Promise<unknown>;
  keyboard: { press(key: string): Promise<unknown> };
  waitForNavigation(): Promise<unknown>;
  url(): string;
  on(event: 'response', fn: (res: ResponseLike) => void): unknown;
}
interface ResponseLike {
  url(): string;
  status(): number;
  request(): { method(): string };
}

/** A tab from the calls both libraries spell alike; only `waitFor` and `sibling` differ. */
function tabOf(
  page: AnyPage,
  problems: string[],
  waitFor: (fn: unknown, arg: unknown, timeoutMs: number) => Promise<{ jsonValue(): unknown }>,
  sibling: () => Promise<Tab>,
  close: () => Promise<void>,
): Tab {
  const responses: TabResponse[] = [];
  page.on('response', (res) =>
    responses.push({ method: res.request().method(), url: res.url(), status: res.status() }),
  );
  return {
    problems,
    responses,
    goto: async (url) => (await page.goto(url))?.status() ?? null,
    evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
    waitFor: async (fn, arg, timeoutMs = 20_000) =>
      (await waitFor(fn, arg, timeoutMs)).jsonValue() as never,
    // Not the libraries' own click: Puppeteer's waits on the page's event loop, which does not
    // run in Firefox with JavaScript off.
    click: async (selector) => {
      await page.bringToFront();
      const at = await page.evaluate(
        ((sel: string) => {
          const el = document.querySelector(sel);
          if (!el) return null;
          el.scrollIntoView({ block: 'center', inline: 'center' });
          // The first line's box: the middle of a link that wraps is between its lines.
          const box = el.getClientRects()[0] ?? el.getBoundingClientRect();
          return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
        }) as never,
        selector,
      );
      if (!at) throw new Error(`nothing matches ${selector}`);
      const { x, y } = at as { x: number; y: number };
      await page.mouse.click(x, y);
    },
    // Keys go to the tab in front (a sibling may have come to the front since).
    type: async (selector, text) => {
      await page.bringToFront();
      await page.type(selector, text);
    },
    press: async (key) => {
      await page.bringToFront();
      await page.keyboard.press(key);
    },
    navigation: async (action) => void (await Promise.all([page.waitForNavigation(), action()])),
    url: () => page.url(),
    inject: async (source) => void (await page.evaluate(source)),
    sibling,
    close,
  };
}

/** Chromium; `hosts` are host names that resolve to 127.0.0.1 (not secure contexts over HTTP). */
export async function chromiumTabs(
  hosts: string[] = [],
  { javaScript = true, locale, colorScheme, viewport = VIEWPORT }: TabOptions = {},
): Promise<TabBrowser> {
  const browser = await launchChromium(
    hosts.length
      ? [`--host-resolver-rules=${hosts.map((h) => `MAP ${h} 127.0.0.1`).join(',')}`]
      : [],
  );
  const tab = async (page: Page, problems: string[]): Promise<Tab> =>
    tabOf(
      page,
      problems,
      (fn, arg, timeout) => page.waitForFunction(fn as never, arg, { timeout, polling: 50 }),
      async () => {
        const more: string[] = [];
        return tab(await watchPage(await page.context().newPage(), more), more);
      },
      () => page.context().close(),
    );
  return {
    name: 'Chromium',
    async newTab(init) {
      const problems: string[] = [];
      const page = await newWatchedPage(browser, problems, {
        context: { viewport, javaScriptEnabled: javaScript, locale, colorScheme },
      });
      if (init) await page.addInitScript(init);
      return tab(page, problems);
    },
    close: () => browser.close(),
  };
}

/** Firefox ESR; `hosts` are host names that resolve to 127.0.0.1 (not secure contexts over HTTP). */
export async function firefoxTabs(
  hosts: string[] = [],
  { javaScript = true, locale, colorScheme, viewport = VIEWPORT }: TabOptions = {},
): Promise<TabBrowser> {
  const browser: PuppeteerBrowser = await launchPuppeteer({
    browser: 'firefox',
    executablePath: browserPath('firefox'),
    headless: true,
    // Firefox itself (not the page) may try the network for updates and telemetry: keep it quiet.
    // WebDriver BiDi cannot switch scripts off per page in Firefox ESR: the browser's own setting.
    extraPrefsFirefox: {
      'network.captive-portal-service.enabled': false,
      'app.update.enabled': false,
      ...(hosts.length ? { 'network.dns.localDomains': hosts.join(',') } : {}),
      ...(javaScript ? {} : { 'javascript.enabled': false }),
      ...(locale ? { 'intl.accept_languages': locale } : {}),
      // 0: dark, 1: light.
      ...(colorScheme && {
        'layout.css.prefers-color-scheme.content-override': colorScheme === 'dark' ? 0 : 1,
      }),
    },
  });
  const tab = async (
    context: BrowserContext,
    init: (() => void) | undefined,
    problems: string[] = [],
  ): Promise<Tab> => {
    const page = await context.newPage();
    page.on('pageerror', (err) =>
      problems.push(`pageerror: ${String((err as Error)?.message ?? err)}`),
    );
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    await page.setViewport(viewport);
    await page.setUserAgent(PERSON_UA.replace('Chrome/126.0 Safari/537.36', 'Firefox/128.0'));
    await page.evaluateOnNewDocument(watchCsp);
    if (init) await page.evaluateOnNewDocument(init);
    // Puppeteer takes the options before the argument.
    const waitForFunction = page.waitForFunction as (
      ...args: unknown[]
    ) => Promise<{ jsonValue(): unknown }>;
    return tabOf(
      page as unknown as AnyPage,
      problems,
      (fn, arg, timeout) => waitForFunction.call(page, fn, { timeout, polling: 50 }, arg),
      () => tab(context, init),
      () => context.close(),
    );
  };
  return {
    name: 'Firefox ESR',
    newTab: async (init) => tab(await browser.createBrowserContext(), init),
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
