/**
 * Themes that stay readable: every widget, in its visible states, with each theming example of
 * the README applied (read from README.md itself), passes axe (colour contrast included) in the
 * light and the dark scheme; a colour set for light pages only never reaches dark mode; a page can
 * force a scheme with --civic-color-scheme. Chromium takes both schemes, each Firefox launcher one.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import '../../src/components/captcha/civic-captcha.js';
import '../../src/components/comments/civic-comments.js';
import '../../src/components/link-list/civic-link-list.js';
import '../../src/components/marquee/civic-marquee.js';
import '../../src/components/poll/civic-poll.js';
import '../../src/components/visit-counter/civic-visit-counter.js';
import type { PollView } from '../../src/shared/poll-types.js';
import { afterEach, before, describe, it } from '../helpers/mocha.js';
import { poll, TOKEN, voted } from '../helpers/polls.js';
import { installMockApi, type ApiAnswer, type MockApi } from '../helpers/mock-api.js';
import {
  API,
  describeColorSchemes,
  part,
  SURFACE,
  text,
  useColorScheme,
} from '../helpers/widget.js';

const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const POLL = poll();
const COMMENTS = {
  items: [
    {
      id: 'AAAAAAAAAAAAAAA2',
      name: 'Trần Thị B',
      title: 'Về đường sá',
      content: 'Đường ở xã tôi đã xuống cấp. Xem: https://anh.example.vn/duong.jpg',
      createdAt: '2026-11-20T03:04:00.000Z',
      reply: { content: 'Sở Giao thông đã tiếp nhận.', createdAt: '2026-11-21T08:00:00.000Z' },
    },
  ],
  total: 1,
  next: null,
};
const CHALLENGE = {
  mode: 'code',
  id: 'Q2hhbGxlbmdlSWQxMjM0NQ1',
  image: PNG,
  length: 6,
  expiresAt: new Date(Date.now() + 6e5).toISOString(),
};
const STATS = { total: 414431, today: 3, month: 20, online: 2, counted: true };

/** The theming examples: every ```css block of the README's "Theming" section, and the example theme of docs/theming.md. */
async function readmeThemes(): Promise<string[]> {
  const readme = await (await fetch('/README.md')).text();
  const section = readme.split(/^## Theming$/m)[1]!.split(/^## /m)[0]!;
  const docs = await (await fetch('/docs/theming.md')).text();
  const blocks = [...`${section}${docs}`.matchAll(/```css\n([\s\S]*?)```/g)].map((m) => m[1]!);
  // A page-level class in an example (e.g. `.slogan-band`) is applied to the whole fixture page.
  return blocks.map((css) => css.replace(/^\.[\w-]+ \{/gm, ':root {'));
}

/** The API answered by route; `poll` is what GET /polls answers (the voting form by default). */
function api(view: PollView = POLL, broken = false): MockApi {
  return installMockApi((call): ApiAnswer | undefined => {
    if (broken) return { html: '<p>Bad gateway</p>', status: 502 };
    if (call.path.endsWith('/captcha')) return { json: CHALLENGE };
    if (call.path.includes('/visits')) return { json: STATS };
    if (call.path.endsWith('/voters')) return { json: { voterToken: TOKEN }, status: 201 };
    if (call.path.includes('/votes')) return { json: voted(['tot']) };
    if (call.path.includes('/polls/')) return { json: view };
    if (call.method === 'GET' && call.path.includes('/comments')) return { json: COMMENTS };
    if (call.path.includes('/comments')) return { json: { status: 'pending' }, status: 202 };
    return undefined;
  });
}

const has = (el: Element, selector: string) => () => !!el.shadowRoot?.querySelector(selector);
const shown = (el: Element) => waitUntil(has(el, '[part~="base"]'), `${el.localName} never loaded`);

interface State {
  name: string;
  poll?: PollView;
  broken?: boolean;
  template: TemplateResult;
  /** Brings the widget into the state once it is in the page. */
  reach(el: HTMLElement): Promise<unknown>;
}

const FALLBACK = html`<p>Xem <a href="/lien-he">trang liên hệ</a>.</p>`;
const STATES: State[] = [
  {
    name: 'counter, loaded',
    template: html`<civic-visit-counter lang="vi" site="demo" api=${API} show-month></civic-visit-counter>`,
    reach: (el) => waitUntil(() => /\d/.test(text(part(el, 'total')))),
  },
  {
    name: 'counter, error',
    broken: true,
    template: html`<civic-visit-counter lang="en" site="demo" api=${API}>${FALLBACK}</civic-visit-counter>`,
    reach: (el) => waitUntil(() => text(part(el, 'error-message'))),
  },
  {
    name: 'poll, voting',
    template: html`<civic-poll lang="vi" site="demo" api=${API} poll-id="danh-gia"></civic-poll>`,
    reach: (el) => waitUntil(has(el, '[part~="submit-button"]')),
  },
  {
    name: 'poll, voted (results)',
    template: html`<civic-poll lang="en" site="demo" api=${API} poll-id="danh-gia"></civic-poll>`,
    async reach(el) {
      await waitUntil(has(el, '[part~="submit-button"]'));
      el.shadowRoot!.querySelector<HTMLInputElement>('input')!.click();
      part(el, 'submit-button')!.click();
      await waitUntil(has(el, '[part~="bar-fill"]'));
    },
  },
  {
    name: 'poll, closed',
    poll: { ...POLL, status: 'closed' },
    template: html`<civic-poll lang="vi" site="demo" api=${API} poll-id="danh-gia"></civic-poll>`,
    reach: (el) => waitUntil(has(el, '[part~="bar-fill"]')),
  },
  {
    name: 'poll, error',
    broken: true,
    template: html`<civic-poll lang="vi" site="demo" api=${API} poll-id="danh-gia">${FALLBACK}</civic-poll>`,
    reach: (el) => waitUntil(() => text(part(el, 'error-message'))),
  },
  {
    name: 'comments, form and list',
    template: html`<civic-comments lang="vi" site="demo" api=${API}></civic-comments>`,
    reach: (el) => waitUntil(has(el, '[part~="item"]')),
  },
  {
    name: 'comments, field errors',
    template: html`<civic-comments lang="en" site="demo" api=${API} no-list></civic-comments>`,
    async reach(el) {
      await waitUntil(has(el, '[part~="submit-button"]'));
      part(el, 'submit-button')!.click();
      await waitUntil(has(el, '[part~="field-error"]'));
    },
  },
  {
    name: 'captcha, loaded',
    template: html`<civic-captcha lang="vi" site="demo" api=${API}></civic-captcha>`,
    reach: (el) => waitUntil(has(el, 'img[part~="image"]')),
  },
  {
    name: 'marquee, running',
    template: html`<civic-marquee lang="vi"><ul><li>HỌC TẬP THEO GƯƠNG BÁC HỒ</li><li><a href="/di-chuc">DI CHÚC</a></li></ul></civic-marquee>`,
    reach: shown,
  },
  {
    name: 'marquee, paused',
    template: html`<civic-marquee lang="en"><ul><li>HỌC TẬP THEO GƯƠNG BÁC HỒ</li><li><a href="/di-chuc">DI CHÚC</a></li></ul></civic-marquee>`,
    async reach(el) {
      await waitUntil(has(el, '[part~="toggle-button"]'));
      part(el, 'toggle-button')!.click();
      await waitUntil(has(el, '[part~="slogan"]'));
    },
  },
  ...(['list', 'select', 'banners'] as const).map((variant): State => ({
    name: `link list, ${variant}`,
    template: html`<civic-link-list lang="vi" variant=${variant} label="Liên kết web"
        ><ul>
          <li><a href="https://chinhphu.vn"><img src=${PNG} alt="Cổng Chính phủ" /></a></li>
          <li><a href="/so-tu-phap">Sở Tư pháp</a></li>
        </ul></civic-link-list
      >`,
    reach: shown,
  })),
];

describe('themes', () => {
  let themes: string[] = [];
  let sheet: HTMLStyleElement | undefined;
  let mock: MockApi | undefined;
  before(async () => {
    themes = await readmeThemes();
  });
  afterEach(() => {
    sheet?.remove();
    sheet = undefined;
    mock?.restore();
  });
  const theme = (css: string) => {
    sheet = document.createElement('style');
    sheet.textContent = css;
    document.head.append(sheet);
  };

  it('the README and docs/theming.md have theming examples to test', () => {
    expect(themes.length).to.be.at.least(4);
  });

  describeColorSchemes((scheme) => {
    for (const state of STATES) {
      it(`${state.name}: passes axe with every README theme`, async () => {
        for (const [i, css] of themes.entries()) {
          theme(css);
          mock = api(state.poll, state.broken);
          const el = await fixture<HTMLElement>(state.template);
          await state.reach(el);
          try {
            await expect(el, `README theme ${i + 1}`).to.be.accessible();
          } catch (e) {
            throw new Error(`README theme ${i + 1} (${scheme}): ${(e as Error).message}`, {
              cause: e,
            });
          }
          el.remove();
          mock.restore();
          sheet!.remove();
        }
      });
    }

    it('a colour set for light pages only stays out of the dark scheme', async () => {
      theme(':root { --civic-color-primary: #7a1f1f; --civic-visit-counter-value-color: #7a1f1f }');
      mock = api();
      const el = await fixture<HTMLElement>(STATES[0]!.template);
      await STATES[0]!.reach(el);
      const value = getComputedStyle(part(el, 'total')!).color;
      expect(value).to.equal(scheme === 'light' ? 'rgb(122, 31, 31)' : 'rgb(236, 239, 241)');
      sheet!.textContent += ':root { --civic-visit-counter-value-color-dark: #ffc9c9 }';
      const paired = getComputedStyle(part(el, 'total')!).color;
      expect(paired).to.equal(scheme === 'light' ? 'rgb(122, 31, 31)' : 'rgb(255, 201, 201)');
    });

    it('text on a primary button is black or white, whichever contrasts', async () => {
      for (const [primary, expected] of [
        ['#7a1f1f', ['rgb(255, 255, 255)', 'oklch(1 0 0)']],
        ['#ffd54a', ['rgb(0, 0, 0)', 'oklch(0 0 0)']],
      ] as const) {
        theme(
          `:root { --civic-color-primary: ${primary}; --civic-color-primary-dark: ${primary} }`,
        );
        mock = api();
        const el = await fixture<HTMLElement>(STATES[2]!.template);
        await STATES[2]!.reach(el);
        // Serialised as rgb() or as the oklch() it was derived as.
        const color = getComputedStyle(part(el, 'submit-button')!).color;
        expect(color).to.be.oneOf(expected);
        el.remove();
        mock.restore();
        sheet!.remove();
      }
    });
  });

  describe('a page that forces a scheme', () => {
    afterEach(() => useColorScheme('light'));
    for (const forced of ['light', 'dark'] as const) {
      it(`--civic-color-scheme: ${forced} wins over the visitor's preference; the fallback keeps the page's`, async function () {
        const other = forced === 'dark' ? 'light' : 'dark';
        if (!(await useColorScheme(other))) this.skip();
        theme(`.forced { --civic-color-scheme: ${forced} }`);
        mock = api(POLL, true);
        const wrap = await fixture<HTMLElement>(
          html`<div class="forced">
            <civic-visit-counter site="demo" api=${API}>${FALLBACK}</civic-visit-counter>
          </div>`,
        );
        const el = wrap.querySelector('civic-visit-counter')!;
        await waitUntil(() => text(part(el, 'error-message')));
        expect(getComputedStyle(part(el, 'error-message')!).backgroundColor).to.equal(
          SURFACE[forced],
        );
        // The light-DOM fallback stays in the page's scheme (here: the page declares none).
        expect(getComputedStyle(el.querySelector('a')!).colorScheme).to.equal('normal');
        mock.restore();
        mock = api();
        const counter = await fixture<HTMLElement>(
          html`<div class="forced"><civic-visit-counter site="demo" api=${API}></civic-visit-counter></div>`,
        );
        const c = counter.querySelector('civic-visit-counter')!;
        await STATES[0]!.reach(c);
        expect(getComputedStyle(part(c, 'base')!).backgroundColor).to.equal(SURFACE[forced]);
        await expect(c).to.be.accessible();
      });
    }
  });
});
