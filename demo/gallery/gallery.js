/**
 * The gallery's own script. A file, not inline: the page is served under the demo's strict CSP
 * with Trusted Types, so it builds nothing from HTML strings either.
 *
 * - `?lang=vi|en`: `<html lang>`, which every widget reads (it runs before the loader);
 *   `?scheme=light|dark`: the page's `color-scheme` (a class on `<html>`).
 * - The "voted" and "pending comment" states come from the real server: it votes in the poll
 *   marked `data-gallery-vote` and sends a comment from the form marked `data-gallery-comment`
 *   (its site checks by proof of work alone, which the captcha passes by itself).
 * - The table `#tokens` lists every `--civic-*` variable the widgets' stylesheets read, each with
 *   a field that sets it on `:root` (through the CSSOM, which the CSP allows).
 */
const root = document.documentElement;
const query = new URLSearchParams(location.search);
const lang = query.get('lang');
const scheme = query.get('scheme');
if (lang === 'vi' || lang === 'en') root.lang = lang;
if (scheme === 'light' || scheme === 'dark') root.classList.add(`scheme-${scheme}`);

/**
 * Resolves with the first truthy value of `check`, polled every 100 ms; undefined after `ms`.
 * @template T
 * @param {() => T} check
 * @param {number} [ms]
 * @returns {Promise<T | undefined>}
 */
function until(check, ms = 120_000) {
  const end = Date.now() + ms;
  return new Promise((resolve) => {
    const poll = () => {
      const value = check();
      if (value || Date.now() > end) resolve(value || undefined);
      else setTimeout(poll, 100);
    };
    poll();
  });
}

/** @param {Element} el @param {string} sel @returns {HTMLElement | null | undefined} */
const inShadow = (el, sel) => el.shadowRoot?.querySelector(sel);

/** Votes for the first option, unless this browser has voted already (the poll shows no form). */
async function vote(/** @type {Element} */ poll) {
  const shown = await until(() => inShadow(poll, 'form, [part~="notice"]'));
  if (shown?.localName !== 'form') return;
  /** @type {HTMLInputElement} */ (shown.querySelector('input')).click();
  /** @type {HTMLButtonElement} */ (shown.querySelector('[part~="submit-button"]')).click();
}

/** Fills the comment form, waits for the captcha's proof of work, sends. */
async function comment(/** @type {Element} */ el) {
  const form = await until(() => inShadow(el, 'form'));
  if (!form) return;
  const vi = root.lang !== 'en';
  const fields = {
    name: vi ? 'Lê Thị Hồng' : 'Jane Reader',
    email: 'gallery@example.invalid',
    title: vi ? 'Góp ý từ bộ sưu tập widget' : 'A comment from the widget gallery',
    content: vi
      ? 'Ý kiến này do trang bộ sưu tập gửi, để hiện trạng thái chờ duyệt.'
      : 'The gallery page sent this comment to show the pending state.',
  };
  for (const [name, value] of Object.entries(fields)) {
    const field = /** @type {HTMLInputElement} */ (form.querySelector(`[name="${name}"]`));
    field.value = value;
    field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    field.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }
  const captcha = /** @type {HTMLElement & { value?: string }} */ (
    form.querySelector('civic-captcha')
  );
  if (!(await until(() => captcha.value))) return;
  /** @type {HTMLButtonElement} */ (form.querySelector('[part~="submit-button"]')).click();
}

/** Every element of `node`'s tree and of the shadow trees inside it. @returns {Element[]} */
function deep(/** @type {Document | ShadowRoot} */ node) {
  return [...node.querySelectorAll('*')].flatMap((el) =>
    el.shadowRoot ? [el, ...deep(el.shadowRoot)] : [el],
  );
}

/** The `--civic-*` variables each widget's stylesheets read: name → tags. */
function variables() {
  /** @type {Map<string, Set<string>>} */
  const found = new Map();
  for (const el of deep(document)) {
    const sheets = el.shadowRoot?.adoptedStyleSheets ?? [];
    for (const sheet of sheets)
      for (const rule of sheet.cssRules)
        for (const [name] of rule.cssText.matchAll(/--civic-[a-z0-9-]+/g))
          found.set(name, (found.get(name) ?? new Set()).add(el.localName));
  }
  return new Map([...found].sort(([a], [b]) => a.localeCompare(b)));
}

/** @param {string} tag @param {...(Node | string)} children */
function make(tag, ...children) {
  const el = document.createElement(tag);
  el.append(...children);
  return el;
}

function listVariables() {
  const body = document.querySelector('#tokens tbody');
  if (!body) return;
  const style = getComputedStyle(root);
  for (const [name, tags] of variables()) {
    const input = make('input');
    input.value = style.getPropertyValue(name).trim();
    input.setAttribute('aria-label', name);
    input.placeholder = 'default';
    input.addEventListener('change', () => {
      if (input.value.trim()) root.style.setProperty(name, input.value.trim());
      else root.style.removeProperty(name);
    });
    body.append(
      make(
        'tr',
        make('th', make('code', name)),
        make('td', [...tags].map((t) => `<${t}>`).join(' ')),
        make('td', input),
      ),
    );
  }
}

for (const a of document.querySelectorAll('.choices a'))
  if (/** @type {HTMLAnchorElement} */ (a).search === location.search)
    a.setAttribute('aria-current', 'page');

const TAGS = ['poll', 'comments', 'captcha', 'marquee', 'link-list', 'visit-counter'];
void Promise.all(TAGS.map((t) => customElements.whenDefined(`civic-${t}`))).then(() =>
  requestAnimationFrame(listVariables),
);
for (const poll of document.querySelectorAll('[data-gallery-vote]'))
  void customElements.whenDefined('civic-poll').then(() => vote(poll));
for (const el of document.querySelectorAll('[data-gallery-comment]'))
  void customElements.whenDefined('civic-comments').then(() => comment(el));
