import { css, html, nothing } from 'lit';
import type { PropertyDeclarations, PropertyValues, TemplateResult } from 'lit';
import { stored } from '../client/storage.js';
import { api, onUnauthorized, type Me, type SiteSummary } from './api.js';
import './civic-console-audit.js';
import './civic-console-comments.js';
import './civic-console-lists.js';
import './civic-console-sites.js';
import './civic-console-login.js';
import './civic-console-overview.js';
import './civic-console-polls.js';
import './civic-console-users.js';
import { ConsoleElement } from './console-element.js';
import type { ConsoleStrings } from './console.strings.js';

/** The console's screens, in menu order; `built: false` ones say "coming soon". */
export const SCREENS = [
  { route: 'overview', label: 'navOverview', built: true },
  { route: 'comments', label: 'navComments', built: true },
  { route: 'polls', label: 'navPolls', built: true },
  { route: 'lists', label: 'navLists', built: true },
  { route: 'sites', label: 'navSites', built: true },
  { route: 'users', label: 'navUsers', built: true, admin: true },
  { route: 'audit', label: 'navAudit', built: true },
] as const satisfies readonly {
  route: string;
  label: keyof ConsoleStrings;
  built: boolean;
  admin?: boolean;
}[];

type Screen = (typeof SCREENS)[number];
export type Route = Screen['route'];

const LANGUAGES = [
  { code: 'vi', name: 'Tiếng Việt' },
  { code: 'en', name: 'English' },
];
const LANG_KEY = 'civic-console-lang';
const SITE_KEY = 'civic-console-site';

/**
 * @summary The admin console at `/admin/`: sign-in, then a header (the user, the site picker,
 * the language, sign out), the menu of screens and the screen of the hash route
 * (`#/overview`, `#/comments`…).
 * @tag civic-console
 *
 * The language follows `<html lang>`; the switch changes it and remembers the choice. Colours
 * follow `prefers-color-scheme` through the widgets' `--civic-*` tokens. A 401 from any request
 * (the session expired or was ended elsewhere) returns to the sign-in form, and signing in again
 * returns to the same screen.
 *
 * @slot - Shown until the console's script has run (e.g. "Loading…", a noscript notice).
 */
export class CivicConsole extends ConsoleElement {
  static override styles = [
    ConsoleElement.styles,
    css`
      :host {
        min-height: 100vh;
        display: flex;
        flex-direction: column;
      }
      .skip {
        position: absolute;
        inset-inline-start: var(--_space-m);
        top: -10rem;
        padding: var(--_space-m);
        background: var(--_surface);
        z-index: 2;
      }
      .skip:focus-visible {
        top: var(--_space-m);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        gap: var(--_space-m) var(--_space-l);
        align-items: center;
        justify-content: space-between;
        padding: var(--_space-m) var(--_space-l);
        border-bottom: 1px solid var(--_border);
      }
      .brand {
        font-weight: 700;
        font-size: 1.125rem;
      }
      .layout {
        flex: 1;
        display: grid;
        grid-template-columns: 13rem minmax(0, 1fr);
      }
      nav {
        border-inline-end: 1px solid var(--_border);
        padding: var(--_space-l) var(--_space-m);
      }
      nav ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--_space-s);
      }
      nav a {
        display: block;
        padding: var(--_space-s) var(--_space-m);
        border-radius: var(--_radius);
        text-decoration: none;
      }
      nav a:hover {
        text-decoration: underline;
      }
      nav a[aria-current='page'] {
        color: var(--_surface);
        background: var(--_primary);
        font-weight: 700;
      }
      .soon {
        display: block;
        font-size: 0.8125rem;
      }
      main {
        padding: var(--_space-l);
        min-width: 0;
        display: grid;
        gap: var(--_space-l);
        align-content: start;
      }
      main:focus {
        outline: none;
      }
      h1:focus {
        outline: none;
      }
      h1:focus-visible {
        outline: 2px solid var(--_primary);
      }
      @media (max-width: 48rem) {
        .layout {
          grid-template-columns: 1fr;
        }
        nav {
          border-inline-end: 0;
          border-bottom: 1px solid var(--_border);
        }
        nav ul {
          display: flex;
          flex-wrap: wrap;
        }
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    user: { state: true },
    sites: { state: true },
    route: { state: true },
    notice: { state: true },
    bootError: { state: true },
  };

  /** Undefined while the session is being checked; null when signed out. */
  private user?: Me | null;
  private sites: SiteSummary[] = [];
  private route: Route = 'overview';
  private notice = '';
  private bootError = '';
  /** Move the focus to the screen's heading after the next render (a navigation). */
  private focusHeading = false;

  override connectedCallback(): void {
    super.connectedCallback();
    const lang = stored('localStorage', LANG_KEY);
    if (lang && LANGUAGES.some((l) => l.code === lang)) document.documentElement.lang = lang;
    this.route = this.routeFromHash();
    window.addEventListener('hashchange', this.handleHashChange);
    onUnauthorized(() => this.signedOut(this.t('sessionExpired')));
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.handleHashChange);
    onUnauthorized(undefined);
  }

  protected override updated(changed: PropertyValues): void {
    const screen = this.screen;
    const title = this.t('appTitle');
    document.title = this.user ? `${this.t(screen.label)} — ${title}` : title;
    if (this.focusHeading && this.user) {
      this.focusHeading = false;
      this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
    } else if (changed.has('user') && this.user === null && changed.get('user') !== undefined) {
      this.renderRoot.querySelector('civic-console-login')?.focus();
    }
  }

  /** Checks the session, then loads the user's sites. */
  async start(): Promise<void> {
    this.bootError = '';
    this.user = undefined;
    try {
      const me = await api.me(this.signal);
      await this.loadSites(me);
      this.user = me;
    } catch (e) {
      if ((e as { status?: number }).status === 401) this.user = null;
      else {
        this.bootError = this.messageFor(e);
        this.user = null;
      }
    }
  }

  private get screen(): Screen {
    return SCREENS.find((s) => s.route === this.route) ?? SCREENS[0];
  }

  private get screens(): Screen[] {
    return SCREENS.filter((s) => !('admin' in s) || this.user?.role === 'admin');
  }

  private routeFromHash(): Route {
    const name = /^#\/([a-z]+)/.exec(location.hash)?.[1];
    return SCREENS.find((s) => s.route === name)?.route ?? 'overview';
  }

  /** The sites the user manages: every site for an administrator, the listed ones for an editor. */
  private async loadSites(me: Me): Promise<void> {
    let sites: SiteSummary[] | undefined;
    if (me.role === 'admin') sites = await api.sites(this.signal).catch(() => undefined);
    sites ??= await Promise.all(
      me.sites.map((id) => api.site(id, this.signal).catch(() => ({ id, name: id }))),
    );
    this.sites = sites.map(({ id, name }) => ({ id, name }));
    const saved = stored('localStorage', SITE_KEY);
    this.site = this.sites.find((s) => s.id === saved)?.id ?? this.sites[0]?.id;
  }

  private signedOut(notice = ''): void {
    this.user = null;
    this.sites = [];
    this.notice = notice;
  }

  private readonly handleHashChange = (): void => {
    const route = this.routeFromHash();
    if (route === this.route) return;
    this.route = route;
    this.focusHeading = true;
  };

  private async handleLogin(e: CustomEvent<Me>): Promise<void> {
    const me = e.detail;
    this.notice = '';
    this.bootError = '';
    await this.loadSites(me);
    this.user = me;
    this.focusHeading = true;
  }

  private async handleSignOut(): Promise<void> {
    try {
      await api.logout();
      this.signedOut();
    } catch (e) {
      this.announce(this.messageFor(e));
    }
  }

  private handleSite(e: Event): void {
    this.site = (e.target as HTMLSelectElement).value;
    stored('localStorage', SITE_KEY, this.site);
  }

  /** The sites screen saved a new name: the header and the picker show it. */
  private handleRenamed(e: CustomEvent<SiteSummary>): void {
    this.sites = this.sites.map((s) => (s.id === e.detail.id ? { ...s, name: e.detail.name } : s));
  }

  private handleLanguage(e: Event): void {
    const lang = (e.target as HTMLSelectElement).value;
    stored('localStorage', LANG_KEY, lang);
    document.documentElement.lang = lang;
  }

  /** A button, not a link to `#main`: the hash is the route, and the target is in a shadow root. */
  private handleSkip(): void {
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }

  render(): TemplateResult {
    return html`<button class="skip" type="button" @click=${this.handleSkip}>
        ${this.t('skipToContent')}
      </button>
      ${this.renderHeader()} ${this.user ? this.renderApp(this.user) : this.renderSignIn()}`;
  }

  private renderHeader(): TemplateResult {
    const me = this.user;
    const lang = this.localize.translation.$code;
    return html`<header>
      <p class="brand">${this.t('appTitle')}</p>
      <div class="row">
        ${
          me
            ? html`<p>
                ${this.t('signedInAs')} <strong>${me.name || me.email}</strong>
                <span class="muted"
                  >(${this.t(me.role === 'admin' ? 'roleAdmin' : 'roleEditor')})</span
                >
              </p>`
            : nothing
        }
        ${
          me && this.sites.length > 1
            ? html`<label for="site">${this.t('site')}</label>
                <select id="site" @change=${this.handleSite}>
                  ${this.sites.map(
                    (s) =>
                      html`<option value=${s.id} ?selected=${s.id === this.site}>
                        ${s.name}
                      </option>`,
                  )}
                </select>`
            : nothing
        }
        <label for="lang">${this.t('language')}</label>
        <select id="lang" @change=${this.handleLanguage}>
          ${LANGUAGES.map(
            (l) =>
              html`<option value=${l.code} lang=${l.code} ?selected=${l.code === lang}>
                ${l.name}
              </option>`,
          )}
        </select>
        ${
          me
            ? html`<button type="button" @click=${this.handleSignOut}>${this.t('signOut')}</button>`
            : nothing
        }
      </div>
    </header>`;
  }

  private renderSignIn(): TemplateResult {
    if (this.user === undefined) {
      return html`<main id="main" tabindex="-1">
        ${this.renderLoading()}
      </main>`;
    }
    return html`<main id="main" tabindex="-1">
      ${
        this.bootError
          ? html`<div role="alert"><p class="error">${this.bootError}</p></div>
              <p><button type="button" @click=${this.start}>${this.t('retry')}</button></p>`
          : html`<civic-console-login
              .notice=${this.notice}
              @civic-login=${this.handleLogin}
            ></civic-console-login>`
      }
    </main>`;
  }

  private renderApp(me: Me): TemplateResult {
    const screen = this.screen;
    const site = this.sites.find((s) => s.id === this.site);
    return html`<div class="layout">
      <nav aria-label=${this.t('mainNav')}>
        <ul>
          ${this.screens.map(
            (s) =>
              html`<li>
                <a href="#/${s.route}" aria-current=${s.route === screen.route ? 'page' : 'false'}>
                  ${this.t(s.label)}
                  ${s.built ? nothing : html`<span class="soon">(${this.t('comingSoon')})</span>`}
                </a>
              </li>`,
          )}
        </ul>
      </nav>
      <main id="main" tabindex="-1">
        <h1 tabindex="-1">
          ${this.t(screen.label)}${
            // Accounts are not a site's: no site in the users screen's heading.
            site && screen.route !== 'users' ? html` — ${site.name}` : nothing
          }
        </h1>
        ${this.bootError ? html`<p class="error" role="alert">${this.bootError}</p>` : nothing}
        ${this.renderScreen(screen, me)}
      </main>
    </div>`;
  }

  private renderScreen(screen: Screen, me: Me): TemplateResult {
    if (!screen.built || ('admin' in screen && me.role !== 'admin')) {
      return html`<p>${this.t('comingSoonText')}</p>`;
    }
    if (screen.route === 'users')
      return html`<civic-console-users .sites=${this.sites} .me=${me}></civic-console-users>`;
    if (!this.site) return html`<p>${this.t('noSites')}</p>`;
    if (screen.route === 'lists')
      return html`<civic-console-lists site=${this.site}></civic-console-lists>`;
    if (screen.route === 'polls')
      return html`<civic-console-polls site=${this.site}></civic-console-polls>`;
    if (screen.route === 'sites')
      return html`<civic-console-sites
        site=${this.site}
        ?admin=${me.role === 'admin'}
        @civic-site-rename=${this.handleRenamed}
      ></civic-console-sites>`;
    if (screen.route === 'audit')
      return html`<civic-console-audit
        site=${this.site}
        user-role=${me.role}
        .sites=${this.sites}
      ></civic-console-audit>`;
    return screen.route === 'comments'
      ? html`<civic-console-comments site=${this.site}></civic-console-comments>`
      : html`<civic-console-overview
          site=${this.site}
          .sites=${this.sites}
        ></civic-console-overview>`;
  }
}

CivicConsole.define('civic-console');

declare global {
  interface HTMLElementTagNameMap {
    'civic-console': CivicConsole;
  }
}
