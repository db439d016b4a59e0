/**
 * Shared by the widget tests (in the browser): the mocked API's origin, small readers of a
 * widget's shadow root, a fetch mock per test, the page's colour scheme and visibility, and the
 * checks every widget passes alike.
 */
import { expect } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { afterEach, beforeEach, describe, it } from './mocha.js';
import { installMockFetch, type MockFetch, type MockResponse } from './mock-fetch.js';

/** Where the widgets under test send their requests (answered by the fetch mock). */
export const API = 'https://api.example.test';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The first element of the widget's shadow root with that part name. */
export const part = (el: Element, name: string) =>
  el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

/** Text content, white space folded and trimmed ('' for no node). */
export const text = (node: Element | null | undefined) =>
  node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** Whether the node is rendered (takes up boxes on the page). */
export const isShown = (node: Element | null | undefined) =>
  !!node && node.getClientRects().length > 0;

/**
 * A new `installMockFetch()` for each test, behind one handle the test file keeps; restored after
 * each test, when the `tag` elements left in the page are removed too.
 */
export function useMockFetch(tag: string): MockFetch {
  let current: MockFetch | undefined;
  beforeEach(() => {
    current = installMockFetch();
  });
  afterEach(() => {
    document.querySelectorAll(tag).forEach((el) => el.remove());
    current?.restore();
  });
  return new Proxy({} as MockFetch, {
    get: (_, key) => Reflect.get(current!, key),
    set: (_, key, value) => Reflect.set(current!, key, value),
  });
}

/** The server's answer for a slogan or link list (the items as given, junk included). */
export const listAnswer = (id: string, title: string, items: unknown[] = []): MockResponse => ({
  json: { id, title, items },
});

/** Runs `work` while localStorage and sessionStorage throw on use, as when a browser blocks them. */
export async function withStorageBlocked(work: () => Promise<void>): Promise<void> {
  const { getItem, setItem } = Storage.prototype;
  const deny = () => {
    throw new DOMException('denied', 'SecurityError');
  };
  Object.assign(Storage.prototype, { getItem: deny, setItem: deny });
  try {
    await work();
  } finally {
    Object.assign(Storage.prototype, { getItem, setItem });
  }
}

/** Pretends the tab became visible or hidden. */
export function setVisibility(state: DocumentVisibilityState): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

/**
 * Switches prefers-color-scheme where the browser allows it. emulateMedia is Chromium-only (BiDi
 * has no such command), so Firefox keeps its launch preference: the "Firefox (dark)" launcher
 * prefers dark. Returns whether the page now has `scheme`.
 */
export async function useColorScheme(scheme: 'light' | 'dark'): Promise<boolean> {
  if (!/Firefox\//.test(navigator.userAgent)) await emulateMedia({ colorScheme: scheme });
  return matchMedia(`(prefers-color-scheme: ${scheme})`).matches;
}

/** A widget's surface colour (the base tokens) in each scheme. */
export const SURFACE = { light: 'rgb(255, 255, 255)', dark: 'rgb(28, 31, 36)' } as const;

/**
 * An `accessibility (light)` and an `accessibility (dark)` suite of the same tests, each run in
 * the browsers that can take its scheme (each Firefox launcher covers one, Chromium both).
 */
export function describeColorSchemes(tests: (scheme: 'light' | 'dark') => void): void {
  for (const scheme of ['light', 'dark'] as const) {
    describe(`accessibility (${scheme})`, () => {
      beforeEach(async function () {
        if (!(await useColorScheme(scheme))) this.skip();
      });
      afterEach(() => useColorScheme('light'));
      tests(scheme);
    });
  }
}

/** Loading the script twice defines the tag again: no throw, one warning, the first class kept. */
export function itKeepsTheFirstDefinition(
  widget: CustomElementConstructor & { define(tag: string): void },
  tag: string,
): void {
  it('defining the tag again does not throw and warns once', () => {
    const warn = console.warn;
    let warnings = 0;
    console.warn = () => void warnings++;
    try {
      expect(() => widget.define(tag)).not.to.throw();
      expect(() => widget.define(tag)).not.to.throw();
    } finally {
      console.warn = warn;
    }
    expect(warnings).to.equal(1);
    expect(customElements.get(tag)).to.equal(widget);
  });
}
