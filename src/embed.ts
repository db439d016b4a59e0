/**
 * civic.js — the one script a page includes:
 *   <script type="module" src="https://widgets.example.gov.vn/civic.js" data-site="demo"></script>
 * It reads `data-site` / `data-api` from its own tag (the API defaults to the script's origin) and
 * imports a widget's chunk only when that widget's tag is on the page, now or later.
 */
import { reserveSpace } from './reserve.js';
import { WIDGETS } from './widgets.js';

reserveSpace();

const own = [...document.querySelectorAll<HTMLScriptElement>('script[src]')].find(
  (s) => s.src === import.meta.url,
);
// The same object `src/client/config.ts` reads (CONFIG_KEY); set here without importing it, so
// the loader needs no second request. A value already set (the page's or a first copy's) stays.
const config: { site?: string; api?: string } = ((
  globalThis as Record<symbol, { site?: string; api?: string }>
)[Symbol.for('civic-widgets.config')] ??= {});
config.site ??= own?.dataset.site;
config.api ??= own?.dataset.api ?? new URL(import.meta.url).origin;

const pending = new Map(Object.entries(WIDGETS));

function load(root: ParentNode): void {
  for (const [tag, importer] of pending) {
    if (customElements.get(tag)) pending.delete(tag);
    else if (root.querySelector(tag)) {
      pending.delete(tag);
      // A failed chunk leaves the light-DOM fallback in place; the page never sees an error.
      importer().catch(() => pending.set(tag, importer));
    }
  }
  if (!pending.size) observer.disconnect();
}

const observer = new MutationObserver((records) => {
  for (const record of records)
    for (const node of record.addedNodes)
      if (node.nodeType === 1) load(node.parentNode ?? document);
});
observer.observe(document.documentElement, { childList: true, subtree: true });
load(document);
