/**
 * axe on every screen of the console, in light and dark: the sign-in form, and each screen of
 * the menu (the console's SCREENS table) once its content has loaded — not a loading line or an
 * error. A screen that is built but has no entry in LOADED fails here: a new screen must say
 * what it looks like when loaded, and so be checked.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { SCREENS, type CivicConsole } from '../../src/console/civic-console.js';
import '../../src/console/civic-console.js';
import { beforeEach, describe, it } from '../helpers/mocha.js';
import { ADMIN, EDITOR } from './fake-admin-api.js';
import { FakeListsSitesApi } from './fake-lists-sites.js';
import {
  clearHash,
  deep,
  deepAll,
  openConsole,
  text,
  useColorScheme,
  useConsoleShell,
} from './utils.js';

type Route = (typeof SCREENS)[number]['route'];

/** Each built screen, loaded: true once it shows its content (from the fake admin API's data). */
const LOADED: Partial<Record<Route, (screen: Element) => boolean>> = {
  overview: (s) => !!deep(s, 'civic-console-chart') && !!deep(s, '.figures'),
  comments: (s) => deepAll(s, 'article').length > 0,
  polls: (s) => deepAll(s, 'article').length > 0,
  lists: (s) => deepAll(s, 'ol.items > li').length > 0,
  sites: (s) => !!deep(s, '#settings-heading') && !!deep(s, '#embed-heading'),
  users: (s) => deepAll(s, 'tbody tr').length > 0,
  audit: (s) => deepAll(s, 'article').length > 0,
};

/** Every element of `root`'s shadow tree and of the shadow trees inside it. */
function* shadowTree(root: Element): Generator<Element> {
  for (const el of root.shadowRoot?.querySelectorAll('*') ?? []) {
    yield el;
    if (el.shadowRoot) yield* shadowTree(el);
  }
}

const busy = (root: Element) =>
  [...shadowTree(root)].some((el) => el.getAttribute('aria-busy') === 'true');

/** The screen's element in the console's main region. */
const screenOf = (el: CivicConsole) =>
  [...(deep(el, 'main')?.children ?? [])].find((c) => c.localName.startsWith('civic-console-'));

/** Opens the console on `route` and waits until the screen shows its content. */
async function openScreen(route: Route): Promise<CivicConsole> {
  location.hash = `#/${route}`;
  const el = await openConsole();
  const screen = SCREENS.find((s) => s.route === route)!;
  await waitUntil(
    () => deep(el, 'nav a[aria-current="page"]')?.getAttribute('href') === `#/${route}`,
  );
  if (!screen.built) {
    expect(text(deep(el, 'main p'))).to.not.equal('');
    return el;
  }
  const loaded = LOADED[route];
  expect(loaded, `the axe test has no LOADED entry for the built screen "${route}"`).to.be.a(
    'function',
  );
  await waitUntil(
    () => {
      const s = screenOf(el);
      return !!s && loaded!(s) && !busy(s);
    },
    `the ${route} screen never showed its content`,
    { timeout: 5000 },
  );
  const alerts = [...shadowTree(screenOf(el)!)].filter((n) => n.getAttribute('role') === 'alert');
  expect(alerts.map((a) => text(a)).filter(Boolean), `${route}: an error is shown`).to.deep.equal(
    [],
  );
  return el;
}

describe('every console screen is axe-clean', () => {
  // The fake API with every screen's routes.
  let server: FakeListsSitesApi;
  useConsoleShell(() => (server = new FakeListsSitesApi()));

  it('knows what every built screen looks like once loaded', () => {
    const built = SCREENS.filter((s) => s.built).map((s) => s.route);
    expect(built.filter((r) => !LOADED[r])).to.deep.equal([]);
  });

  for (const scheme of ['light', 'dark'] as const) {
    describe(scheme, () => {
      beforeEach(async function () {
        if (!(await useColorScheme(scheme))) this.skip();
      });

      it('sign-in', async () => {
        const el = await openConsole();
        expect(deep(el, 'civic-console-login')).to.not.equal(null);
        await expect(el).to.be.accessible();
      });

      for (const { route } of SCREENS) {
        it(`${route} (administrator)`, async () => {
          server.me = ADMIN;
          const el = await openScreen(route);
          await expect(el).to.be.accessible();
        });
      }

      it('overview and audit log (editor, one site)', async () => {
        server.me = EDITOR;
        for (const route of ['overview', 'audit'] as const) {
          const el = await openScreen(route);
          await expect(el).to.be.accessible();
          el.remove();
          clearHash();
        }
      });

      it('users: the add form with its errors, then a password shown once', async () => {
        server.me = ADMIN;
        const el = await openScreen('users');
        const users = screenOf(el)!;
        deep<HTMLButtonElement>(users, '#add-user')!.click();
        await waitUntil(() => deep(users, '#panel'));
        deep<HTMLButtonElement>(users, '#pw-enter')!.click();
        await waitUntil(() => deep(users, '#password'));
        deep<HTMLButtonElement>(users, '#panel button[type="submit"]')!.click();
        await waitUntil(() => text(deep(users, '#email-error')));
        await expect(el).to.be.accessible();

        deep<HTMLInputElement>(users, '#email')!.value = 'moi@example.gov.vn';
        deep<HTMLButtonElement>(users, '#pw-generate')!.click();
        deep<HTMLInputElement>(users, '#site-0')!.click();
        await waitUntil(() => !deep(users, '#password'));
        deep<HTMLButtonElement>(users, '#panel button[type="submit"]')!.click();
        await waitUntil(() => deep(users, '#secret-value'));
        await expect(el).to.be.accessible();
      });

      it('audit log: every site, filtered, with before → after', async () => {
        server.me = ADMIN;
        const el = await openScreen('audit');
        const audit = screenOf(el)!;
        deep<HTMLInputElement>(audit, '#scope-all')!.click();
        deep<HTMLButtonElement>(audit, 'form.filters button[type="submit"]')!.click();
        await waitUntil(() => deepAll(audit, 'article').length === 4);
        expect(deepAll(audit, 'table.changes').length).to.equal(2);
        await expect(el).to.be.accessible();
      });
    });
  }
});
