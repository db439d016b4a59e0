import { css, html, nothing } from 'lit';
import type { PropertyDeclarations, TemplateResult } from 'lit';
import { toApiError } from '../client/api-client.js';
import type { Me, Role, SiteSummary } from './api.js';
import { ConsoleElement, toggled, withEntry } from './console-element.js';
import type { ConsoleStrings } from './console.strings.js';
import { screenStyles } from './console.styles.js';
import './users.strings.js';
import type { UsersStrings } from './users.strings.js';
import { generatePassword, usersApi, type AdminUser, type ApiToken } from './users-api.js';

type Key = keyof ConsoleStrings | keyof UsersStrings;

/** The form open under the lists: adding a user, editing or resetting one, creating a token. */
type Panel =
  | { kind: 'add' }
  | { kind: 'edit'; user: AdminUser }
  | { kind: 'reset'; user: AdminUser }
  | { kind: 'token' };

/** A password or token shown once, until the administrator closes it. */
interface Secret {
  title: string;
  value: string;
}

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const MIN_PASSWORD = 12;

/** The server's refusals that have words of their own here. */
const ERROR_TEXT: Record<string, Key> = {
  user_exists: 'errUserExists',
  last_admin: 'errLastAdmin',
  cannot_delete_self: 'errSelf',
  cannot_disable_self: 'errSelf',
  unknown_site: 'errUnknownSite',
  invalid_password: 'passwordTooShort',
  invalid_email: 'emailInvalid',
  conflict: 'errTokenExists',
};

/**
 * @summary Accounts and API tokens (administrators only; the API refuses everyone else).
 * @tag civic-console-users
 *
 * Lists the accounts (e-mail, name, role, sites, active or disabled) and the API tokens. Adds a
 * user with an entered password or a generated one (shown once, with a copy button); changes a
 * user's name, role and sites; resets a password (the account's sessions end); disables or
 * enables an account; deletes one after a confirmation. No one disables or deletes their own
 * account here, and the server keeps the last active administrator. Creates tokens scoped to a
 * role and sites (the token shown once, with a copy button) and revokes them.
 */
export class CivicConsoleUsers extends ConsoleElement<UsersStrings> {
  static override styles = [
    ConsoleElement.styles,
    screenStyles,
    css`
      section {
        display: grid;
        gap: var(--_space-m);
        min-width: 0;
      }
      .scroll {
        overflow-x: auto;
      }
      td,
      th {
        vertical-align: top;
      }
      td.actions .row {
        gap: var(--_space-s);
      }
      .badge {
        white-space: nowrap;
      }
      tr.disabled td:not(.actions) {
        color: var(--_muted);
      }
      fieldset {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        margin: 0;
        padding: var(--_space-m);
        display: grid;
        gap: var(--_space-s);
      }
      legend {
        font-weight: 600;
        padding: 0 var(--_space-s);
      }
      fieldset label {
        font-weight: 400;
      }
      .choice {
        display: flex;
        gap: var(--_space-s);
        align-items: center;
      }
      form.panel {
        display: grid;
        gap: var(--_space-m);
        max-width: 40rem;
      }
      .field input {
        max-width: 28rem;
      }
      .secret {
        border-color: var(--_primary);
        border-width: 2px;
      }
      .secret input {
        font-family: ui-monospace, monospace;
        flex: 1 1 20rem;
        min-width: 0;
      }
      .email {
        overflow-wrap: break-word;
      }
      section > .row h2 {
        margin: 0;
      }
      th code,
      td.actions button {
        white-space: nowrap;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    sites: { attribute: false },
    me: { attribute: false },
    users: { state: true },
    tokens: { state: true },
    panel: { state: true },
    formRole: { state: true },
    generate: { state: true },
    fieldErrors: { state: true },
    formError: { state: true },
    saving: { state: true },
    secret: { state: true },
    confirming: { state: true },
    rowErrors: { state: true },
    busy: { state: true },
  };

  /** Every site (the choices of an editor's sites). */
  sites: SiteSummary[] = [];
  /** The signed-in administrator (their own account cannot be disabled or deleted here). */
  me?: Me;

  private users: AdminUser[] = [];
  private tokens: ApiToken[] = [];
  private panel?: Panel;
  /** The role chosen in the open form (editors choose sites). */
  private formRole: Role = 'editor';
  /** Whether the open form generates the password. */
  private generate = true;
  private fieldErrors: Record<string, string> = {};
  private formError = '';
  private saving = false;
  private secret?: Secret;
  /** The user (`user:<id>`) or token (`token:<id>`) whose removal waits for confirmation. */
  private confirming?: string;
  private rowErrors = new Map<string, string>();
  private busy = new Set<string>();
  /** Where the focus returns when the open form closes. */
  private opener?: string;
  private readonly loads = this.loader({
    auto: 'connect',
    request: (signal) => Promise.all([usersApi.users(signal), usersApi.tokens(signal)]),
    apply: ([users, tokens]) => {
      this.users = users;
      this.tokens = tokens;
    },
  });

  load(): Promise<void> {
    return this.loads.load();
  }

  /** The words for a refused request. */
  private refusal(e: unknown): string {
    const key = ERROR_TEXT[toApiError(e).code];
    return key ? this.t(key) : this.messageFor(e);
  }

  private isMe(u: AdminUser): boolean {
    return !!this.me && u.email.toLowerCase() === this.me.email.toLowerCase();
  }

  private siteNames(role: Role, ids: string[]): string {
    if (role === 'admin') return this.t('everySite');
    if (!ids.length) return this.t('noSiteAssigned');
    return ids.map((id) => this.sites.find((s) => s.id === id)?.name ?? id).join(', ');
  }

  private $<T extends Element = HTMLElement>(selector: string): T | null {
    return this.renderRoot.querySelector<T>(selector);
  }

  private setBusy(key: string, on: boolean): void {
    this.busy = toggled(this.busy, key, on);
  }

  private setRowError(key: string, message?: string): void {
    this.rowErrors = withEntry(this.rowErrors, key, message);
    if (message) this.announce(message);
  }

  private putUser(user: AdminUser): void {
    const others = this.users.filter((u) => u.id !== user.id);
    this.users = [...others, user].sort((a, b) =>
      a.email.toLowerCase().localeCompare(b.email.toLowerCase()),
    );
  }

  // Forms

  private async open(panel: Panel, opener: string): Promise<void> {
    this.panel = panel;
    this.opener = opener;
    this.formRole = panel.kind === 'edit' ? panel.user.role : 'editor';
    this.generate = true;
    this.fieldErrors = {};
    this.formError = '';
    this.confirming = undefined;
    await this.focusOn('#panel input');
  }

  private async close(): Promise<void> {
    this.panel = undefined;
    this.fieldErrors = {};
    this.formError = '';
    await this.updateComplete;
    if (this.opener) this.$<HTMLElement>(`#${this.opener}`)?.focus();
  }

  /** Shows `errors` by field and focuses the first field in error; true when there are none. */
  private async check(errors: Record<string, string>): Promise<boolean> {
    this.fieldErrors = errors;
    const first = Object.keys(errors)[0];
    if (!first) return true;
    await this.focusOn(`#${first}`);
    return false;
  }

  private checkedSites(form: HTMLFormElement): string[] {
    return [...form.querySelectorAll<HTMLInputElement>('input[name="sites"]:checked')].map(
      (i) => i.value,
    );
  }

  /** The entered or generated password, or undefined after showing what is wrong. */
  private password(form: HTMLFormElement, errors: Record<string, string>): string | undefined {
    if (this.generate) return generatePassword();
    const value = (form.elements.namedItem('password') as HTMLInputElement).value;
    if ([...value].length < MIN_PASSWORD) {
      errors.password = this.t('passwordTooShort');
      return undefined;
    }
    return value;
  }

  private async showSecret(secret: Secret): Promise<void> {
    this.secret = secret;
    await this.focusOn('#secret-title');
  }

  private async submit(e: SubmitEvent, work: () => Promise<void>): Promise<void> {
    e.preventDefault();
    if (this.saving) return;
    this.saving = true;
    this.formError = '';
    try {
      await work();
    } catch (err) {
      this.formError = this.refusal(err);
      this.announce(this.formError);
    } finally {
      this.saving = false;
    }
  }

  private handleAdd(e: SubmitEvent): Promise<void> {
    const form = e.target as HTMLFormElement;
    return this.submit(e, async () => {
      const email = (form.elements.namedItem('email') as HTMLInputElement).value.trim();
      const name = (form.elements.namedItem('name') as HTMLInputElement).value.trim();
      const sites = this.formRole === 'editor' ? this.checkedSites(form) : [];
      const errors: Record<string, string> = {};
      if (!EMAIL.test(email)) errors.email = this.t('emailInvalid');
      if (this.formRole === 'editor' && !sites.length) errors['site-0'] = this.t('sitesRequired');
      const password = this.password(form, errors);
      if (!(await this.check(errors)) || password === undefined) return;
      const user = await usersApi.createUser({
        email,
        ...(name && { name }),
        role: this.formRole,
        sites,
        password,
      });
      this.putUser(user);
      this.panel = undefined;
      this.announce(this.t('userCreated', { email: user.email }));
      if (this.generate)
        await this.showSecret({
          title: this.t('passwordShownTitle', { email: user.email }),
          value: password,
        });
      else await this.close();
    });
  }

  private handleEdit(e: SubmitEvent, before: AdminUser): Promise<void> {
    const form = e.target as HTMLFormElement;
    return this.submit(e, async () => {
      const name = (form.elements.namedItem('name') as HTMLInputElement).value.trim();
      const sites = this.formRole === 'editor' ? this.checkedSites(form) : [];
      const ok = await this.check(
        this.formRole === 'editor' && !sites.length ? { 'site-0': this.t('sitesRequired') } : {},
      );
      if (!ok) return;
      const user = await usersApi.updateUser(before.id, {
        ...(name && { name }),
        role: this.formRole,
        ...(this.formRole === 'editor' && { sites }),
      });
      this.putUser(user);
      this.announce(this.t('userSaved', { email: user.email }));
      await this.close();
    });
  }

  private handleReset(e: SubmitEvent, user: AdminUser): Promise<void> {
    const form = e.target as HTMLFormElement;
    return this.submit(e, async () => {
      const errors: Record<string, string> = {};
      const password = this.password(form, errors);
      if (!(await this.check(errors)) || password === undefined) return;
      await usersApi.setPassword(user.id, password);
      this.panel = undefined;
      this.announce(this.t('passwordReset', { email: user.email }));
      if (this.generate)
        await this.showSecret({
          title: this.t('passwordShownTitle', { email: user.email }),
          value: password,
        });
      else await this.close();
    });
  }

  private handleToken(e: SubmitEvent): Promise<void> {
    const form = e.target as HTMLFormElement;
    return this.submit(e, async () => {
      const name = (form.elements.namedItem('name') as HTMLInputElement).value.trim();
      const sites = this.formRole === 'editor' ? this.checkedSites(form) : [];
      const errors: Record<string, string> = {};
      if (!TOKEN_NAME.test(name)) errors['token-name'] = this.t('tokenNameInvalid');
      if (this.formRole === 'editor' && !sites.length) errors['site-0'] = this.t('sitesRequired');
      if (!(await this.check(errors))) return;
      const { token, ...record } = await usersApi.createToken({ name, role: this.formRole, sites });
      this.tokens = [...this.tokens, record].sort((a, b) => a.name.localeCompare(b.name));
      this.panel = undefined;
      this.announce(this.t('tokenCreated', { name }));
      await this.showSecret({ title: this.t('tokenShownTitle', { name }), value: token });
    });
  }

  // Row actions

  private async toggleDisabled(u: AdminUser): Promise<void> {
    const key = `user:${u.id}`;
    if (this.busy.has(key)) return;
    this.setBusy(key, true);
    this.setRowError(key);
    try {
      const user = await usersApi.updateUser(u.id, { disabled: !u.disabled });
      this.putUser(user);
      this.announce(this.t(user.disabled ? 'userDisabled' : 'userEnabled', { email: u.email }));
    } catch (e) {
      this.setRowError(key, this.refusal(e));
    } finally {
      this.setBusy(key, false);
    }
  }

  private async askRemove(key: string): Promise<void> {
    this.confirming = key;
    await this.focusOn(`#confirm-${key.replace(':', '-')}`);
  }

  private async cancelRemove(key: string, opener: string): Promise<void> {
    if (this.confirming === key) this.confirming = undefined;
    await this.focusOn(`#${opener}`);
  }

  private async removeUser(u: AdminUser): Promise<void> {
    const key = `user:${u.id}`;
    this.confirming = undefined;
    this.setBusy(key, true);
    this.setRowError(key);
    try {
      await usersApi.deleteUser(u.id);
      this.users = this.users.filter((x) => x.id !== u.id);
      this.announce(this.t('userDeleted', { email: u.email }));
      await this.focusOn('#add-user');
    } catch (e) {
      this.setRowError(key, this.refusal(e));
      await this.focusOn(`#delete-${u.id}`);
    } finally {
      this.setBusy(key, false);
    }
  }

  private async revokeToken(t: ApiToken): Promise<void> {
    const key = `token:${t.id}`;
    this.confirming = undefined;
    this.setBusy(key, true);
    this.setRowError(key);
    try {
      await usersApi.revokeToken(t.id);
      this.tokens = this.tokens.filter((x) => x.id !== t.id);
      this.announce(this.t('tokenRevoked', { name: t.name }));
      await this.focusOn('#add-token');
    } catch (e) {
      this.setRowError(key, this.refusal(e));
      await this.focusOn(`#revoke-${t.id}`);
    } finally {
      this.setBusy(key, false);
    }
  }

  private async copySecret(): Promise<void> {
    const field = this.$<HTMLInputElement>('#secret-value');
    if (!this.secret || !field) return;
    try {
      await navigator.clipboard.writeText(this.secret.value);
      this.announce(this.t('copied'));
    } catch {
      field.focus();
      field.select();
      this.announce(this.t('copyFailed'));
    }
  }

  private async closeSecret(): Promise<void> {
    this.secret = undefined;
    await this.updateComplete;
    if (this.opener) this.$<HTMLElement>(`#${this.opener}`)?.focus();
  }

  // Rendering

  render(): TemplateResult {
    const state = this.renderLoadState(this.loads, this.users.length > 0);
    if (state) return state;
    return html`<p class="muted">${this.t('usersIntro')}</p>
      ${this.renderSecret()} ${this.renderUsers()}
      ${this.panel && this.panel.kind !== 'token' ? this.renderPanel(this.panel) : nothing}
      ${this.renderTokens()}
      ${this.panel?.kind === 'token' ? this.renderPanel(this.panel) : nothing}`;
  }

  private renderSecret(): TemplateResult | typeof nothing {
    const secret = this.secret;
    if (!secret) return nothing;
    return html`<section class="panel secret" aria-labelledby="secret-title">
      <h2 id="secret-title" tabindex="-1">${secret.title}</h2>
      <p>${this.t('shownOnce')}</p>
      <div class="row">
        <input
          id="secret-value"
          type="text"
          readonly
          autocomplete="off"
          spellcheck="false"
          aria-label=${secret.title}
          .value=${secret.value}
        />
        <button type="button" class="primary" @click=${this.copySecret}>${this.t('copy')}</button>
        <button type="button" @click=${this.closeSecret}>${this.t('noted')}</button>
      </div>
    </section>`;
  }

  private renderUsers(): TemplateResult {
    return html`<section aria-labelledby="accounts-title">
      <div class="row">
        <h2 id="accounts-title">${this.t('accountsTitle')}</h2>
        <button
          id="add-user"
          type="button"
          aria-expanded=${this.panel?.kind === 'add' ? 'true' : 'false'}
          @click=${() => this.open({ kind: 'add' }, 'add-user')}
        >
          ${this.t('addUser')}
        </button>
      </div>
      ${
        this.users.length
          ? html`<div class="scroll">
              <table aria-labelledby="accounts-title">
                <thead>
                  <tr>
                    <th scope="col">${this.t('colName')}</th>
                    <th scope="col">${this.t('colEmail')}</th>
                    <th scope="col">${this.t('colRole')}</th>
                    <th scope="col">${this.t('colSites')}</th>
                    <th scope="col">${this.t('colStatus')}</th>
                    <th scope="col">${this.t('colActions')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${this.users.map((u) => this.renderUser(u))}
                </tbody>
              </table>
            </div>`
          : html`<p>${this.t('noUsers')}</p>`
      }
    </section>`;
  }

  private renderUser(u: AdminUser): TemplateResult {
    const key = `user:${u.id}`;
    const me = this.isMe(u);
    const busy = this.busy.has(key) ? 'true' : 'false';
    const error = this.rowErrors.get(key);
    const who = html`<span class="visually-hidden"> ${u.email}</span>`;
    return html`<tr class=${u.disabled ? 'disabled' : ''} data-id=${u.id} aria-busy=${busy}>
      <th scope="row">${u.name}${me ? html` <span class="muted">${this.t('you')}</span>` : nothing}</th>
      <td class="email">${u.email}</td>
      <td>${this.t(u.role === 'admin' ? 'roleAdmin' : 'roleEditor')}</td>
      <td>${this.siteNames(u.role, u.sites)}</td>
      <td>
        <span class="badge">${this.t(u.disabled ? 'statusDisabled' : 'statusActive')}</span>
      </td>
      <td class="actions">
        ${
          this.confirming === key
            ? this.renderConfirm({
                id: `confirm-user-${u.id}`,
                question: this.t('confirmDeleteUser', { email: u.email }),
                confirm: this.t('confirmDeleteYes'),
                onConfirm: () => this.removeUser(u),
                onCancel: () => this.cancelRemove(key, `delete-${u.id}`),
              })
            : html`<div class="row">
                <button
                  id=${`edit-${u.id}`}
                  type="button"
                  aria-disabled=${busy}
                  @click=${() => this.open({ kind: 'edit', user: u }, `edit-${u.id}`)}
                >
                  ${this.t('edit')}${who}
                </button>
                <button
                  id=${`reset-${u.id}`}
                  type="button"
                  aria-disabled=${busy}
                  @click=${() => this.open({ kind: 'reset', user: u }, `reset-${u.id}`)}
                >
                  ${this.t('resetPassword')}${who}
                </button>
                ${
                  me
                    ? nothing
                    : html`<button
                          id=${`disable-${u.id}`}
                          type="button"
                          aria-disabled=${busy}
                          @click=${() => this.toggleDisabled(u)}
                        >
                          ${this.t(u.disabled ? 'enable' : 'disable')}${who}
                        </button>
                        <button
                          id=${`delete-${u.id}`}
                          type="button"
                          aria-disabled=${busy}
                          @click=${() => this.askRemove(key)}
                        >
                          ${this.t('deleteUser')}${who}
                        </button>`
                }
              </div>`
        }
        ${error ? html`<p class="error" role="alert">${error}</p>` : nothing}
      </td>
    </tr>`;
  }

  private renderTokens(): TemplateResult {
    return html`<section aria-labelledby="tokens-title">
      <div class="row">
        <h2 id="tokens-title">${this.t('tokensTitle')}</h2>
        <button
          id="add-token"
          type="button"
          aria-expanded=${this.panel?.kind === 'token' ? 'true' : 'false'}
          @click=${() => this.open({ kind: 'token' }, 'add-token')}
        >
          ${this.t('createToken')}
        </button>
      </div>
      <p class="muted">${this.t('tokensIntro')}</p>
      ${
        this.tokens.length
          ? html`<div class="scroll">
              <table aria-labelledby="tokens-title">
                <thead>
                  <tr>
                    <th scope="col">${this.t('tokenName')}</th>
                    <th scope="col">${this.t('colRole')}</th>
                    <th scope="col">${this.t('colSites')}</th>
                    <th scope="col">${this.t('colCreatedBy')}</th>
                    <th scope="col">${this.t('colCreatedAt')}</th>
                    <th scope="col">${this.t('colLastUsed')}</th>
                    <th scope="col">${this.t('colActions')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${this.tokens.map((t) => this.renderToken(t))}
                </tbody>
              </table>
            </div>`
          : html`<p>${this.t('noTokens')}</p>`
      }
    </section>`;
  }

  private renderToken(t: ApiToken): TemplateResult {
    const key = `token:${t.id}`;
    const error = this.rowErrors.get(key);
    const date = (iso: string) =>
      html`<time datetime=${iso}
        >${this.localize.date(iso, { dateStyle: 'medium', timeStyle: 'short' })}</time
      >`;
    return html`<tr data-id=${t.id} aria-busy=${this.busy.has(key) ? 'true' : 'false'}>
      <th scope="row"><code>${t.name}</code></th>
      <td>${this.t(t.role === 'admin' ? 'roleAdmin' : 'roleEditor')}</td>
      <td>${this.siteNames(t.role, t.sites)}</td>
      <td class="email">${t.createdBy}</td>
      <td>${date(t.createdAt)}</td>
      <td>${t.lastUsedAt ? date(t.lastUsedAt) : this.t('neverUsed')}</td>
      <td class="actions">
        ${
          this.confirming === key
            ? this.renderConfirm({
                id: `confirm-token-${t.id}`,
                question: this.t('confirmRevoke', { name: t.name }),
                confirm: this.t('confirmRevokeYes'),
                onConfirm: () => this.revokeToken(t),
                onCancel: () => this.cancelRemove(key, `revoke-${t.id}`),
              })
            : html`<button id=${`revoke-${t.id}`} type="button" @click=${() => this.askRemove(key)}>
                ${this.t('revoke')}<span class="visually-hidden"> ${t.name}</span>
              </button>`
        }
        ${error ? html`<p class="error" role="alert">${error}</p>` : nothing}
      </td>
    </tr>`;
  }

  /** A field's error paragraph, and the attributes that tie it to the field. */
  private fieldError(id: string): TemplateResult {
    return html`<p class="error" id=${`${id}-error`}>${this.fieldErrors[id] ?? ''}</p>`;
  }

  private invalid(id: string): 'true' | 'false' {
    return this.fieldErrors[id] ? 'true' : 'false';
  }

  private renderPanel(panel: Panel): TemplateResult {
    const title =
      panel.kind === 'add'
        ? this.t('addUserTitle')
        : panel.kind === 'edit'
          ? this.t('editUserTitle', { email: panel.user.email })
          : panel.kind === 'reset'
            ? this.t('resetTitle', { email: panel.user.email })
            : this.t('createTokenTitle');
    const submit =
      panel.kind === 'add'
        ? (e: SubmitEvent) => this.handleAdd(e)
        : panel.kind === 'edit'
          ? (e: SubmitEvent) => this.handleEdit(e, panel.user)
          : panel.kind === 'reset'
            ? (e: SubmitEvent) => this.handleReset(e, panel.user)
            : (e: SubmitEvent) => this.handleToken(e);
    const label =
      panel.kind === 'add'
        ? 'createUser'
        : panel.kind === 'token'
          ? 'createToken'
          : panel.kind === 'reset'
            ? 'resetPassword'
            : 'save';
    return html`<form
      id="panel"
      class="panel"
      novalidate
      aria-labelledby="panel-title"
      aria-busy=${this.saving ? 'true' : 'false'}
      @submit=${submit}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === 'Escape') void this.close();
      }}
    >
      <h2 id="panel-title">${title}</h2>
      ${panel.kind === 'add' ? this.renderAccountFields() : nothing}
      ${panel.kind === 'edit' ? this.renderNameField(panel.user.name) : nothing}
      ${panel.kind === 'token' ? this.renderTokenName() : nothing}
      ${panel.kind === 'reset' ? html`<p>${this.t('resetNote')}</p>` : nothing}
      ${panel.kind === 'reset' ? nothing : this.renderRole(panel)}
      ${panel.kind === 'add' || panel.kind === 'reset' ? this.renderPassword() : nothing}
      ${this.formError ? html`<p class="error" role="alert">${this.formError}</p>` : nothing}
      <div class="row">
        <button class="primary" type="submit" aria-disabled=${this.saving ? 'true' : 'false'}>
          ${this.t(label)}
        </button>
        <button type="button" @click=${this.close}>${this.t('cancel')}</button>
      </div>
    </form>`;
  }

  private renderAccountFields(): TemplateResult {
    return html`<div class="field">
        <label for="email">${this.t('email')}</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="off"
          maxlength="254"
          required
          aria-invalid=${this.invalid('email')}
          aria-describedby="email-error"
        />
        ${this.fieldError('email')}
      </div>
      ${this.renderNameField('')}`;
  }

  private renderNameField(value: string): TemplateResult {
    return html`<div class="field">
      <label for="name">${this.t('userName')}</label>
      <input id="name" name="name" type="text" autocomplete="off" maxlength="100" .value=${value} />
    </div>`;
  }

  private renderTokenName(): TemplateResult {
    return html`<div class="field">
      <label for="token-name">${this.t('tokenName')}</label>
      <input
        id="token-name"
        name="name"
        type="text"
        autocomplete="off"
        spellcheck="false"
        maxlength="63"
        required
        aria-invalid=${this.invalid('token-name')}
        aria-describedby="token-name-hint token-name-error"
      />
      <p class="muted" id="token-name-hint">${this.t('tokenNameHint')}</p>
      ${this.fieldError('token-name')}
    </div>`;
  }

  private renderRole(panel: Panel): TemplateResult {
    const chosen = panel.kind === 'edit' ? panel.user.sites : [];
    return html`<fieldset>
        <legend>${this.t('roleLabel')}</legend>
        ${(['editor', 'admin'] as const).map(
          (role) =>
            html`<div class="choice">
              <input
                id=${`role-${role}`}
                type="radio"
                name="role"
                value=${role}
                .checked=${this.formRole === role}
                @change=${() => (this.formRole = role)}
              />
              <label for=${`role-${role}`}
                >${this.t(role === 'admin' ? 'roleAdmin' : 'roleEditor')}</label
              >
            </div>`,
        )}
      </fieldset>
      ${
        this.formRole === 'editor'
          ? html`<fieldset aria-describedby="site-0-error">
              <legend>${this.t('sitesLegend')}</legend>
              ${this.sites.map(
                (s, i) =>
                  html`<div class="choice">
                    <input
                      id=${`site-${i}`}
                      type="checkbox"
                      name="sites"
                      value=${s.id}
                      .checked=${chosen.includes(s.id)}
                      aria-invalid=${this.invalid('site-0')}
                    />
                    <label for=${`site-${i}`}>${s.name}</label>
                  </div>`,
              )}
              ${this.fieldError('site-0')}
            </fieldset>`
          : nothing
      }`;
  }

  private renderPassword(): TemplateResult {
    return html`<fieldset>
      <legend>${this.t('passwordChoice')}</legend>
      <div class="choice">
        <input
          id="pw-generate"
          type="radio"
          name="pwmode"
          .checked=${this.generate}
          @change=${() => (this.generate = true)}
        />
        <label for="pw-generate">${this.t('passwordGenerate')}</label>
      </div>
      <div class="choice">
        <input
          id="pw-enter"
          type="radio"
          name="pwmode"
          .checked=${!this.generate}
          @change=${() => (this.generate = false)}
        />
        <label for="pw-enter">${this.t('passwordEnter')}</label>
      </div>
      ${
        this.generate
          ? nothing
          : html`<div class="field">
              <label for="password">${this.t('password')}</label>
              <input
                id="password"
                name="password"
                type="password"
                autocomplete="new-password"
                maxlength="1024"
                required
                aria-invalid=${this.invalid('password')}
                aria-describedby="password-hint password-error"
              />
              <p class="muted" id="password-hint">${this.t('passwordHint')}</p>
              ${this.fieldError('password')}
            </div>`
      }
    </fieldset>`;
  }
}

CivicConsoleUsers.define('civic-console-users');

declare global {
  interface HTMLElementTagNameMap {
    'civic-console-users': CivicConsoleUsers;
  }
}
