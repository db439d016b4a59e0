/**
 * What a person does with the widgets of a page in a `Tab` (tab.ts), the same in Chromium and
 * Firefox ESR: read a counter, the marquee and the jump menu, vote in a poll, post a comment with
 * its proof of work. Each widget is named by a selector of its element in the page.
 *
 * The functions given to `tab.evaluate`/`tab.waitFor` run in the page: they name no function
 * inside (the test's compiler would wrap it in a helper the page lacks) and take what they need
 * from their argument.
 */
import type { Tab } from './tab.js';

/** Where to look: the shadow root of `host` (and of `inner` inside it), elements matching `sel`. */
export interface ShadowQuery {
  host: string;
  inner?: string;
  sel: string;
}

/** Text of each element matching the query, white space folded and trimmed. */
export const shadowTexts = (tab: Tab, query: ShadowQuery): Promise<string[]> =>
  tab.evaluate((q) => {
    let root = document.querySelector(q.host)?.shadowRoot;
    if (q.inner) root = root?.querySelector(q.inner)?.shadowRoot;
    return [...(root?.querySelectorAll(q.sel) ?? [])].map((e) =>
      (e.textContent ?? '').replace(/\s+/g, ' ').trim(),
    );
  }, query);

/** Text of the first element matching the query ('' for none). */
export const shadowText = async (tab: Tab, query: ShadowQuery): Promise<string> =>
  (await shadowTexts(tab, query))[0] ?? '';

/** The visit counter's total once it shows a number (as the page writes it, e.g. "414.429"). */
export const counterTotal = (tab: Tab, counter: string): Promise<string> =>
  tab.waitFor((sel) => {
    const text =
      document
        .querySelector(sel)
        ?.shadowRoot?.querySelector('[part~="total"]')
        ?.textContent?.trim() ?? '';
    return /\d/.test(text) && text;
  }, counter);

/** The marquee's text once it shows the server's slogans (the fallbacks lack this one). */
export const marqueeText = (tab: Tab): Promise<string> =>
  tab.waitFor(() => {
    const text = document.querySelector('civic-marquee')?.shadowRoot?.textContent ?? '';
    return text.includes('Kỷ niệm 74 năm') && text;
  });

/**
 * The jump menu's option labels, once it has `count` of them (the server's list; until it answers,
 * the menu holds the page's fallback links). Times out, failing the test, if it never does.
 */
export const jumpMenuOptions = (tab: Tab, list: string, count: number): Promise<string[]> =>
  tab.waitFor(
    (q) => {
      const select = document.querySelector(q.list)?.shadowRoot?.querySelector('select');
      return select && select.options.length === q.count
        ? [...select.options].map((o) => (o.textContent ?? '').trim())
        : false;
    },
    { list, count },
  );

/** Waits for the poll's form, picks option `index` and sends it; resolves with the results' total line. */
export async function vote(tab: Tab, poll: string, index = 1): Promise<string> {
  await tab.waitFor(
    (sel) => !!document.querySelector(sel)?.shadowRoot?.querySelector('input[type="radio"]'),
    poll,
  );
  await tab.evaluate(
    (q) => {
      const root = document.querySelector(q.poll)!.shadowRoot!;
      (root.querySelectorAll('input[type="radio"]')[q.index] as HTMLInputElement).click();
      (root.querySelector('[part~="submit-button"]') as HTMLButtonElement).click();
    },
    { poll, index },
  );
  return tab.waitFor(
    (sel) =>
      document
        .querySelector(sel)
        ?.shadowRoot?.querySelector('[part~="total"]')
        ?.textContent?.replace(/\s+/g, ' ')
        .trim(),
    poll,
  );
}

/** The comment form is ready: its proof-of-work button can be pressed. */
export const commentFormReady = (tab: Tab, comments: string): Promise<true> =>
  tab.waitFor((sel) => {
    const button = document
      .querySelector(sel)
      ?.shadowRoot?.querySelector('civic-captcha')
      ?.shadowRoot?.querySelector<HTMLButtonElement>('[part~="pow-button"]');
    return !!button && !button.disabled;
  }, comments);

/**
 * Fills the comment form with `fields` (by field name), works out the proof (within
 * `powTimeoutMs`), sends it; resolves with the notice the widget shows then.
 */
export async function postComment(
  tab: Tab,
  comments: string,
  fields: Record<string, string>,
  powTimeoutMs = 90_000,
): Promise<string> {
  await commentFormReady(tab, comments);
  await tab.evaluate(
    (q) => {
      const root = document.querySelector(q.comments)!.shadowRoot!;
      for (const [name, value] of Object.entries(q.fields)) {
        const field = root.querySelector(`[name="${name}"]`) as
          HTMLInputElement | HTMLTextAreaElement;
        field.value = value;
        field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
        field.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
      }
      root
        .querySelector('civic-captcha')!
        .shadowRoot!.querySelector<HTMLButtonElement>('[part~="pow-button"]')!
        .click();
    },
    { comments, fields },
  );
  await tab.waitFor(
    (sel) =>
      (
        document.querySelector(sel)?.shadowRoot?.querySelector('civic-captcha') as
          (HTMLElement & { value?: string }) | null
      )?.value?.startsWith('p1.'),
    comments,
    powTimeoutMs,
  );
  await tab.evaluate(
    (sel) =>
      document
        .querySelector(sel)!
        .shadowRoot!.querySelector<HTMLButtonElement>('[part~="submit-button"]')!
        .click(),
    comments,
  );
  return tab.waitFor(
    (sel) =>
      document
        .querySelector(sel)
        ?.shadowRoot?.querySelector('[part~="notice"]')
        ?.textContent?.trim(),
    comments,
  );
}
