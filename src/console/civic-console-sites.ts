import { css, html, nothing } from 'lit';
import type { PropertyDeclarations, TemplateResult } from 'lit';
import { normalizeOrigin } from '../shared/origins.js';
import { api } from './api.js';
import { ConsoleElement, withEntry } from './console-element.js';
import { screenStyles } from './console.styles.js';
import './civic-console-sites.strings.js';
import type { SitesStrings } from './civic-console-sites.strings.js';
import { listsApi, type CaptchaMode, type EmbedUrls, type SiteSettings } from './lists.api.js';

type Key = keyof SitesStrings;

const MODES: [CaptchaMode, Key, Key][] = [
  ['code+pow', 'modeBoth', 'modeBothHint'],
  ['code', 'modeCode', 'modeCodeHint'],
  ['pow', 'modePow', 'modePowHint'],
];
const MAX_OFFSET = 1_000_000_000_000;

/** Every IANA zone the browser knows, with `current` among them. */
function timeZones(current: string): string[] {
  let zones: string[] = [];
  try {
    zones =
      (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ??
      [];
  } catch {
    // An older browser: the current zone only.
  }
  return zones.includes(current) ? zones : [current, ...zones];
}

/** A script tag's integrity attributes, when the server knows the build's hash (`integrity.json`). */
const sri = (integrity?: string) =>
  integrity ? ` integrity="${integrity}" crossorigin="anonymous"` : '';

interface Snippet {
  key: string;
  title: string;
  code: string;
}

/**
 * @summary A site's settings: its name, time zone, allowed origins and legacy visit offset, its
 * captcha mode and verification secret, and the ready-to-paste embed snippet of every widget.
 * @tag civic-console-sites
 *
 * Origins are checked as the server checks them (a bare http(s) origin, no path). Editors see
 * the origins and the offset but may not change them (the server refuses it too: they decide
 * which pages may call the site's API and the published visit figure). The secret is shown only
 * on request, and a new one only after a confirmation. Each snippet has a copy button; the
 * script address is the server's public one (`GET …/embed`).
 */
export class CivicConsoleSites extends ConsoleElement<SitesStrings> {
  static override styles = [
    ConsoleElement.styles,
    screenStyles,
    css`
      form,
      section {
        display: grid;
        gap: var(--_space-m);
      }
      .grid {
        display: grid;
        gap: var(--_space-m);
        grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
      }
      input:not([type='radio'], [type='checkbox']),
      select {
        width: 100%;
        box-sizing: border-box;
      }
      ul.origins {
        margin: 0;
        padding: 0;
        list-style: none;
        display: grid;
        gap: var(--_space-s);
      }
      ul.origins li {
        display: flex;
        gap: var(--_space-m);
        align-items: center;
        justify-content: space-between;
        border-bottom: 1px solid var(--_border);
        padding-bottom: var(--_space-s);
      }
      code,
      pre {
        font-family: ui-monospace, monospace;
        overflow-wrap: anywhere;
      }
      pre {
        margin: 0;
        padding: var(--_space-m);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        white-space: pre-wrap;
      }
      fieldset {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        margin: 0;
        display: grid;
        gap: var(--_space-s);
      }
      legend {
        font-weight: 700;
      }
      .choice {
        display: flex;
        gap: var(--_space-s);
        align-items: baseline;
      }
      .field p.error:empty {
        display: none;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    admin: { type: Boolean },
    settings: { state: true },
    origins: { state: true },
    mode: { state: true },
    embed: { state: true },
    tags: { state: true },
    errors: { state: true },
    saving: { state: true },
    saveError: { state: true },
    captchaError: { state: true },
    secret: { state: true },
    secretError: { state: true },
    confirmRotate: { state: true },
  };

  /** The user is an administrator (an editor may not change origins or the legacy offset). */
  admin = false;

  private settings?: SiteSettings;
  /** The origins as edited. */
  private origins: string[] = [];
  private mode?: CaptchaMode;
  private embed?: EmbedUrls;
  /** The site's slogan lists, link lists and polls, for their tags. */
  private tags: { slogans: string[]; links: string[]; polls: string[] } = {
    slogans: [],
    links: [],
    polls: [],
  };
  private errors = new Map<string, string>();
  private saving = false;
  private saveError = '';
  private captchaError = '';
  private secret = '';
  private secretError = '';
  private confirmRotate = false;
  private readonly loads = this.loader({
    request: (signal) => {
      const site = this.site;
      if (!site) return undefined;
      this.secret = '';
      this.confirmRotate = false;
      return this.fetch(site, signal);
    },
    apply: ({ settings, mode, embed, tags }) => {
      this.settings = settings;
      this.origins = settings.origins;
      this.mode = mode;
      this.embed = embed;
      this.tags = tags;
      this.errors = new Map();
      this.saveError = this.captchaError = this.secretError = '';
    },
  });

  load(): Promise<void> {
    return this.loads.load();
  }

  /** The site's settings, captcha mode and embed addresses, and the tags of its lists and polls. */
  private async fetch(site: string, signal: AbortSignal) {
    const [settings, mode, embed] = await Promise.all([
      listsApi.site(site, signal),
      listsApi.captcha(site, signal),
      listsApi.embed(site, signal),
    ]);
    // The tags of the lists and polls are a help: the screen works without them.
    const ids = <T extends { id: string }>(p: Promise<T[]>) =>
      p.then((items) => items.map((i) => i.id)).catch(() => []);
    const [slogans, links, polls] = await Promise.all([
      ids(listsApi.lists(site, 'slogans', signal)),
      ids(listsApi.lists(site, 'links', signal)),
      ids(api.polls(site, signal)),
    ]);
    return { settings, mode, embed, tags: { slogans, links, polls } };
  }

  private field<T extends HTMLElement = HTMLInputElement>(id: string): T {
    return this.renderRoot.querySelector<T>(`#${id}`)!;
  }

  private setError(name: string, message = ''): void {
    this.errors = withEntry(this.errors, name, message);
  }

  private addOrigin(e?: Event): void {
    e?.preventDefault();
    const input = this.field('new-origin');
    const value = input.value.trim();
    const origin = value ? normalizeOrigin(value) : undefined;
    if (!origin) {
      this.setError('origin', this.t(value ? 'originInvalid' : 'originRequired'));
      input.focus();
      return;
    }
    if (this.origins.includes(origin)) {
      this.setError('origin', this.t('originDuplicate', { origin }));
      input.focus();
      return;
    }
    this.setError('origin');
    this.origins = [...this.origins, origin];
    input.value = '';
    this.announce(this.t('originAdded', { origin }));
    input.focus();
  }

  private removeOrigin(origin: string): void {
    this.origins = this.origins.filter((o) => o !== origin);
    this.announce(this.t('originRemoved', { origin }));
    void this.focusOn('#new-origin');
  }

  private handleOriginKey(e: KeyboardEvent): void {
    if (e.key === 'Enter') this.addOrigin(e);
  }

  private async save(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const settings = this.settings;
    if (!settings || this.saving) return;
    const name = this.field('name').value.trim();
    const timeZone = this.field<HTMLSelectElement>('time-zone').value;
    const rawOffset = this.admin
      ? this.field('offset').value.trim()
      : String(settings.legacyOffset);
    const offset = Number(rawOffset);
    const errors = new Map<string, string>();
    if (!name) errors.set('name', this.t('nameRequired'));
    if (!/^\d{1,13}$/.test(rawOffset) || offset > MAX_OFFSET)
      errors.set('offset', this.t('offsetInvalid'));
    if (this.errors.has('origin') && this.field('new-origin')?.value.trim())
      errors.set('origin', this.errors.get('origin')!);
    this.errors = errors;
    if (errors.size) {
      this.saveError = this.t('fixErrors', { count: errors.size });
      const first = [...errors.keys()][0]!;
      void this.focusOn(`#${first === 'origin' ? 'new-origin' : first}`);
      return;
    }
    this.saving = true;
    this.saveError = '';
    const site = this.site!;
    try {
      const saved = await listsApi.saveSite(site, {
        name,
        origins: this.origins,
        legacyOffset: offset,
        timeZone,
      });
      if (site !== this.site) return;
      this.settings = saved;
      this.origins = saved.origins;
      this.announce(this.t('siteSaved'));
      this.emit('civic-site-rename', { id: saved.id, name: saved.name });
    } catch (err) {
      this.saveError = this.messageFor(err);
      this.announce(this.saveError);
    } finally {
      this.saving = false;
    }
  }

  private async saveMode(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const checked = this.renderRoot.querySelector<HTMLInputElement>('input[name="mode"]:checked');
    if (!checked) return;
    this.captchaError = '';
    try {
      const { mode } = await listsApi.setCaptcha(this.site!, checked.value as CaptchaMode);
      this.mode = mode;
      this.announce(this.t('modeSaved'));
    } catch (err) {
      this.captchaError = this.messageFor(err);
      this.announce(this.captchaError);
    }
  }

  private async showSecret(): Promise<void> {
    this.secretError = '';
    try {
      this.secret = await listsApi.secret(this.site!);
      void this.focusOn('#secret');
    } catch (err) {
      this.secretError = this.messageFor(err);
    }
  }

  private async rotate(): Promise<void> {
    this.confirmRotate = false;
    this.secretError = '';
    try {
      this.secret = await listsApi.rotateSecret(this.site!);
      this.announce(this.t('secretRotated'));
      void this.focusOn('#secret');
    } catch (err) {
      this.secretError = this.messageFor(err);
      void this.focusOn('#rotate');
    }
  }

  /** Copies `code`; when the browser refuses, selects it for the person to copy. */
  private async copy(code: string, id: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(code);
      this.announce(this.t('copied'));
    } catch {
      const el = this.field<HTMLElement>(id);
      const range = document.createRange();
      range.selectNodeContents(el);
      const selection = getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      this.announce(this.t('copyFailed'));
    }
  }

  /** The snippets: the script tag once per page, then one tag per widget (and list, and poll). */
  private snippets(site: string, embed: EmbedUrls): Snippet[] {
    const { slogans, links, polls } = this.tags;
    const out: Snippet[] = [
      {
        key: 'script',
        title: this.t('snippetScript'),
        code: `<script type="module" src="${embed.loader}"${sri(embed.loaderIntegrity)} data-site="${site}"></script>`,
      },
      {
        key: 'legacy',
        title: this.t('snippetLegacy'),
        code: `<script src="${embed.legacy}"${sri(embed.legacyIntegrity)} data-site="${site}"></script>`,
      },
      {
        key: 'counter',
        title: this.t('widgetCounter'),
        code: '<civic-visit-counter></civic-visit-counter>',
      },
    ];
    for (const id of slogans)
      out.push({
        key: `marquee-${id}`,
        title: this.t('widgetMarquee', { id }),
        code: `<civic-marquee source="${id}"></civic-marquee>`,
      });
    for (const id of links)
      out.push({
        key: `links-${id}`,
        title: this.t('widgetLinks', { id }),
        code: `<civic-link-list source="${id}"></civic-link-list>`,
      });
    for (const id of polls)
      out.push({
        key: `poll-${id}`,
        title: this.t('widgetPoll', { id }),
        code: `<civic-poll poll-id="${id}"></civic-poll>`,
      });
    out.push(
      {
        key: 'comments',
        title: this.t('widgetComments'),
        code: '<civic-comments></civic-comments>',
      },
      {
        key: 'captcha',
        title: this.t('widgetCaptcha'),
        code: '<civic-captcha name="captcha" required></civic-captcha>',
      },
    );
    return out;
  }

  render(): TemplateResult {
    const settings = this.settings;
    const state = this.renderLoadState(this.loads, settings?.id === this.site);
    if (state) return state;
    if (!settings) return this.renderLoading();
    return html`${this.renderSettings(settings)} ${this.renderCaptcha()}
    ${this.embed ? this.renderEmbed(settings.id, this.embed) : nothing}`;
  }

  private renderError(name: string): TemplateResult {
    return html`<p class="error" id=${`${name}-error`}>${this.errors.get(name) ?? ''}</p>`;
  }

  private invalid(name: string): 'true' | 'false' {
    return this.errors.has(name) ? 'true' : 'false';
  }

  private renderSettings(s: SiteSettings): TemplateResult {
    const admin = this.admin;
    return html`<form class="panel" novalidate @submit=${this.save} aria-labelledby="settings-heading">
      <h2 id="settings-heading">${this.t('siteSettings')}</h2>
      <p class="muted">${this.t('siteId')}: <code>${s.id}</code></p>
      <div class="grid">
        <div class="field">
          <label for="name">${this.t('siteName')}</label>
          <input
            id="name"
            maxlength="200"
            aria-invalid=${this.invalid('name')}
            aria-describedby="name-error"
            .value=${s.name}
          />
          ${this.renderError('name')}
        </div>
        <div class="field">
          <label for="time-zone">${this.t('timeZone')}</label>
          <select id="time-zone" aria-describedby="time-zone-hint">
            ${timeZones(s.timeZone).map(
              (z) => html`<option value=${z} ?selected=${z === s.timeZone}>${z}</option>`,
            )}
          </select>
          <p class="muted" id="time-zone-hint">${this.t('timeZoneHint')}</p>
        </div>
        <div class="field">
          <label for="offset">${this.t('legacyOffset')}</label>
          <input
            id="offset"
            inputmode="numeric"
            ?readonly=${!admin}
            aria-invalid=${this.invalid('offset')}
            aria-describedby="offset-hint offset-error"
            .value=${String(s.legacyOffset)}
          />
          <p class="muted" id="offset-hint">
            ${this.t('legacyOffsetHint')} ${admin ? nothing : this.t('adminOnly')}
          </p>
          ${this.renderError('offset')}
        </div>
      </div>
      <section aria-labelledby="origins-heading">
        <h3 id="origins-heading">${this.t('origins')}</h3>
        <p class="muted">${this.t('originsHint')} ${admin ? nothing : this.t('adminOnly')}</p>
        ${
          this.origins.length
            ? html`<ul class="origins">
                ${this.origins.map(
                  (o) =>
                    html`<li>
                      <code>${o}</code>
                      ${
                        admin
                          ? html`<button
                              type="button"
                              aria-label=${this.t('removeOrigin', { origin: o })}
                              @click=${() => this.removeOrigin(o)}
                            >
                              ${this.t('originRemove')}
                            </button>`
                          : nothing
                      }
                    </li>`,
                )}
              </ul>`
            : html`<p>${this.t('noOrigins')}</p>`
        }
        ${
          admin
            ? html`<div class="field">
                <label for="new-origin">${this.t('newOrigin')}</label>
                <div class="row">
                  <input
                    id="new-origin"
                    inputmode="url"
                    spellcheck="false"
                    placeholder="https://example.gov.vn"
                    aria-invalid=${this.invalid('origin')}
                    aria-describedby="origin-error"
                    @keydown=${this.handleOriginKey}
                  />
                  <button type="button" @click=${() => this.addOrigin()}>
                    ${this.t('addOrigin')}
                  </button>
                </div>
                ${this.renderError('origin')}
              </div>`
            : nothing
        }
      </section>
      <div class="row">
        <button class="primary" type="submit" aria-disabled=${this.saving ? 'true' : 'false'}>
          ${this.t(this.saving ? 'siteSaving' : 'saveSite')}
        </button>
      </div>
      ${this.renderAlert(this.saveError)}
    </form>`;
  }

  private renderCaptcha(): TemplateResult {
    return html`<section class="panel" aria-labelledby="captcha-heading">
      <h2 id="captcha-heading">${this.t('captcha')}</h2>
      <form novalidate @submit=${this.saveMode}>
        <fieldset>
          <legend>${this.t('captchaMode')}</legend>
          ${MODES.map(
            ([mode, label, hint]) =>
              html`<div class="choice">
                <input
                  type="radio"
                  name="mode"
                  id=${`mode-${mode}`}
                  value=${mode}
                  .checked=${this.mode === mode}
                  aria-describedby=${`mode-${mode}-hint`}
                />
                <div>
                  <label for=${`mode-${mode}`}>${this.t(label)}</label>
                  <p class="muted" id=${`mode-${mode}-hint`}>${this.t(hint)}</p>
                </div>
              </div>`,
          )}
        </fieldset>
        <div class="row"><button type="submit">${this.t('saveMode')}</button></div>
        ${this.renderAlert(this.captchaError)}
      </form>
      <h3>${this.t('secretTitle')}</h3>
      <p class="muted">${this.t('secretHint')}</p>
      ${
        this.secret
          ? html`<div class="field">
              <label for="secret">${this.t('secretLabel')}</label>
              <div class="row">
                <input id="secret" readonly spellcheck="false" .value=${this.secret} />
                <button
                  type="button"
                  aria-label=${this.t('copySecret')}
                  @click=${() => this.copy(this.secret, 'secret')}
                >
                  ${this.t('copy')}
                </button>
              </div>
            </div>`
          : nothing
      }
      <div class="row">
        ${
          this.secret
            ? html`<button type="button" @click=${() => (this.secret = '')}>
                ${this.t('hideSecret')}
              </button>`
            : html`<button type="button" @click=${this.showSecret}>${this.t('showSecret')}</button>`
        }
        ${
          this.confirmRotate
            ? nothing
            : html`<button
                id="rotate"
                type="button"
                @click=${() => ((this.confirmRotate = true), this.focusOn('#confirm-rotate'))}
              >
                ${this.t('rotateSecret')}
              </button>`
        }
      </div>
      ${
        this.confirmRotate
          ? this.renderConfirm({
              id: 'confirm-rotate',
              question: this.t('rotateWarning'),
              questionId: 'rotate-warning',
              confirm: this.t('confirmRotate'),
              onConfirm: () => this.rotate(),
              onCancel: () => ((this.confirmRotate = false), this.focusOn('#rotate')),
            })
          : nothing
      }
      ${this.renderAlert(this.secretError)}
    </section>`;
  }

  private renderEmbed(site: string, embed: EmbedUrls): TemplateResult {
    return html`<section class="panel" aria-labelledby="embed-heading">
      <h2 id="embed-heading">${this.t('embed')}</h2>
      <p class="muted">${this.t('embedHint')}</p>
      ${this.snippets(site, embed).map(
        ({ key, title, code }) =>
          html`<div class="field">
            <h3 id=${`title-${key}`}>${title}</h3>
            <pre id=${`code-${key}`}><code>${code}</code></pre>
            <p>
              <button
                type="button"
                aria-label=${this.t('copyNamed', { name: title })}
                @click=${() => this.copy(code, `code-${key}`)}
              >
                ${this.t('copy')}
              </button>
            </p>
          </div>`,
      )}
    </section>`;
  }
}

CivicConsoleSites.define('civic-console-sites');

declare global {
  interface HTMLElementTagNameMap {
    'civic-console-sites': CivicConsoleSites;
  }
}
