/** Small helpers of the console's browser tests. */
import { fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { CivicConsole } from '../../src/console/civic-console.js';
import { afterEach, beforeEach } from '../helpers/mocha.js';

/**
 * Switches prefers-color-scheme where the browser allows it. emulateMedia is Chromium-only (BiDi
 * has no such command), so Firefox keeps its launch preference: the "Firefox (dark)" launcher
 * prefers dark. Returns whether the page now has `scheme`.
 */
export async function useColorScheme(scheme: 'light' | 'dark'): Promise<boolean> {
  if (!/Firefox\//.test(navigator.userAgent)) await emulateMedia({ colorScheme: scheme });
  return matchMedia(`(prefers-color-scheme: ${scheme})`).matches;
}

/** The first match of `selectors`, each one looked up in the shadow root of the previous match. */
export function deep<T extends Element = HTMLElement>(
  root: Element,
  ...selectors: string[]
): T | null {
  let node: Element | null = root;
  for (const selector of selectors) {
    node = node?.shadowRoot?.querySelector(selector) ?? null;
  }
  return node as T | null;
}

/** Every match of the last selector, inside the shadow roots of the others. */
export function deepAll<T extends Element = HTMLElement>(
  root: Element,
  ...selectors: string[]
): T[] {
  const last = selectors.pop()!;
  const host = selectors.length ? deep(root, ...selectors) : root;
  return [...(host?.shadowRoot?.querySelectorAll<T>(last) ?? [])];
}

/** Text content with runs of white space collapsed. */
export const text = (el: Node | null | undefined): string =>
  (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Waits until `selectors` match an element, and returns it. */
export async function found<T extends Element = HTMLElement>(
  root: Element,
  ...selectors: string[]
): Promise<T> {
  await waitUntil(() => deep(root, ...selectors), `${selectors.join(' » ')} never appeared`);
  return deep<T>(root, ...selectors)!;
}

/** The element that has the focus, through shadow roots. */
export function focused(): Element | null {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

/** Forgets the hash route without a `hashchange`. */
export function clearHash(): void {
  history.replaceState(null, '', location.pathname + location.search);
}

/**
 * For a describe block of `<civic-console>` tests: before each test a new fake API (`start`), no
 * hash, empty local storage and `<html lang="vi">`; after each, the consoles removed, the API
 * restored, the page's lang and the light colour scheme back.
 */
export function useConsoleShell(start: () => { restore(): void }): void {
  let api: { restore(): void } | undefined;
  const lang = document.documentElement.lang;
  beforeEach(() => {
    api = start();
    localStorage.clear();
    clearHash();
    document.documentElement.lang = 'vi';
  });
  afterEach(async () => {
    document.querySelectorAll('civic-console').forEach((el) => el.remove());
    api?.restore();
    clearHash();
    document.documentElement.lang = lang;
    await useColorScheme('light');
  });
}

/** A new `<civic-console>`, once it shows its main region with nothing loading in it. */
export async function openConsole(): Promise<CivicConsole> {
  const el = await fixture<CivicConsole>(html`<civic-console></civic-console>`);
  await waitUntil(() => deep(el, 'main') && !deep(el, 'main [aria-busy="true"]'), 'still loading');
  return el;
}
