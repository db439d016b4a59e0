/**
 * The room each widget takes once loaded, reserved by the loader before the widget's code or data
 * arrive, so a page with no CSS of ours does not shift. One constructable stylesheet adopted into
 * the document (strict CSP allows it: no `<style>`, no `style=""`), once per page however many
 * copies of the script run.
 *
 * - Every rule for the tag itself is inside `:where()` (no specificity): any rule of the page for
 *   the tag wins. The fallback's margins are removed over the page's own `p`/`ul` rules.
 * - Heights are in lines of the element's own text (`lh`) plus the widgets' fixed spacing (`rem`),
 *   so they follow the page's font size, line height and root size; they fit the default content
 *   (a poll of four options, an empty comment list) in a column wider than ~25em. Browsers without
 *   `lh` keep no reservation.
 * - Before its definition a tag is a block formatting context (`flow-root`) and its light-DOM
 *   fallback has no outer margins: they would move it, or add to its height, until it upgrades.
 * - The list and banner variants of `<civic-link-list>` depend on the list: nothing reserved.
 * - `<civic-comments>` without its form reserves the empty list; without its list, the form (the
 *   `px` is the captcha image and the borders); without both, nothing.
 * - A widget in its error state (the host attribute `error`, set by `CivicElement`) keeps no
 *   reservation: its message and fallback take what they need. A loaded widget keeps it, as its
 *   `min-height`: the heights are a few pixels above the default content, so dropping them would
 *   move the page.
 */
const RESERVED = `:where(civic-visit-counter,civic-poll,civic-marquee,civic-link-list,civic-comments,civic-captcha){display:block}
:where(civic-visit-counter,civic-poll,civic-marquee,civic-link-list,civic-comments,civic-captcha):where(:not(:defined)){display:flow-root}
:is(civic-visit-counter,civic-poll,civic-marquee,civic-link-list,civic-comments,civic-captcha):not(:defined)>:first-child{margin-block-start:0}
:is(civic-visit-counter,civic-poll,civic-marquee,civic-link-list,civic-comments,civic-captcha):not(:defined)>:last-child{margin-block-end:0}
:where(civic-marquee){min-height:calc(1.05lh + 1rem)}
:where(civic-visit-counter){min-height:calc(3lh + 2rem)}
:where(civic-visit-counter[show-month]){min-height:calc(4lh + 2.25rem)}
:where(civic-poll){min-height:calc(5.75lh + 6.5rem)}
:where(civic-link-list[variant=select]){min-height:calc(2lh + 1.25rem)}
:where(civic-comments){min-height:calc(22.75lh + 21rem)}
:where(civic-comments[no-form]){min-height:calc(2lh + 2.5rem + 2px)}
:where(civic-comments[no-list]){min-height:calc(19lh + 11.75rem + 108px)}
:where(civic-comments[no-form][no-list]),:where(civic-visit-counter,civic-poll,civic-marquee,civic-link-list,civic-comments,civic-captcha):where([error]){min-height:auto}`;

const KEY = Symbol.for('civic-widgets.reserved');

/** Adopts the reservation stylesheet into the document, once. Never throws. */
export function reserveSpace(): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[KEY]) return;
  g[KEY] = true;
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(RESERVED);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  } catch {
    // No constructable stylesheets (old browser): the widgets load without reserved room.
  }
}
