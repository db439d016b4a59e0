import { css, html, nothing } from 'lit';
import type { PropertyDeclarations, TemplateResult } from 'lit';
import { toApiError } from '../client/api-client.js';
import { api, type Me } from './api.js';
import { ConsoleElement } from './console-element.js';
import './users.strings.js';
import type { UsersStrings } from './users.strings.js';

declare global {
  interface GlobalEventHandlersEventMap {
    'civic-login': CustomEvent<Me>;
  }
}

type Field = 'email' | 'password';

/**
 * @summary The sign-in form: e-mail and password, `POST /api/v1/auth/login`.
 * @tag civic-console-login
 *
 * Wrong credentials (401) and too many failed attempts (429, with the wait from `Retry-After`)
 * get a localized message in an alert; empty fields are named next to them.
 *
 * @fires civic-login - Signed in. detail: the user (`{ email, name, role, sites }`)
 */
export class CivicConsoleLogin extends ConsoleElement<Pick<UsersStrings, 'accountDisabled'>> {
  static override styles = [
    ConsoleElement.styles,
    css`
      .login {
        max-width: 26rem;
        margin: 0 auto;
        display: grid;
        gap: var(--_space-l);
      }
      form {
        display: grid;
        gap: var(--_space-l);
      }
      .notice {
        font-weight: 600;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    notice: {},
    busy: { state: true },
    error: { state: true },
    invalid: { state: true },
  };

  /** Shown above the form, e.g. why the user has to sign in again. */
  notice = '';

  private busy = false;
  private error = '';
  private invalid: Field[] = [];

  /** Focuses the e-mail field. */
  override focus(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#email')?.focus();
  }

  private input(name: Field): HTMLInputElement {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${name}`)!;
  }

  private async handleSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const email = this.input('email').value.trim();
    const password = this.input('password').value;
    this.invalid = (['email', 'password'] as const).filter(
      (f) => !(f === 'email' ? email : password),
    );
    this.error = '';
    if (this.invalid.length) {
      await this.updateComplete;
      this.input(this.invalid[0]!).focus();
      return;
    }
    this.busy = true;
    try {
      const me = await api.login(email, password);
      this.input('password').value = '';
      this.emit<Me>('civic-login', me);
    } catch (err) {
      this.error = this.loginError(err);
      const password = this.input('password');
      password.value = '';
      password.focus();
    } finally {
      this.busy = false;
    }
  }

  /** 401 and 429 in words; anything else as every other failed request. */
  private loginError(e: unknown): string {
    const err = toApiError(e);
    if (err.status === 401) return this.t('invalidCredentials');
    if (err.code === 'account_disabled') return this.t('accountDisabled');
    if (err.status === 429) {
      const seconds = Math.ceil((err.retryAfterMs ?? 0) / 1000);
      if (!seconds) return this.t('tooManyAttemptsLater');
      const wait =
        seconds >= 60
          ? this.t('minutes', { count: Math.ceil(seconds / 60) })
          : this.t('seconds', { count: seconds });
      return this.t('tooManyAttempts', { wait });
    }
    return this.messageFor(err);
  }

  render(): TemplateResult {
    return html`<section class="login panel" aria-labelledby="login-title">
      <h1 id="login-title">${this.t('signIn')}</h1>
      <p class="muted">${this.t('signInIntro')}</p>
      ${this.notice ? html`<p class="notice">${this.notice}</p>` : nothing}
      <p class="error" role="alert" id="login-error">${this.error}</p>
      <form novalidate @submit=${this.handleSubmit} aria-describedby="login-error">
        ${this.renderField('email', 'email', 'username')}
        ${this.renderField('password', 'password', 'current-password')}
        <button class="primary" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>
          ${this.busy ? this.t('signingIn') : this.t('signIn')}
        </button>
      </form>
    </section>`;
  }

  private renderField(name: Field, type: string, autocomplete: string): TemplateResult {
    const invalid = this.invalid.includes(name);
    return html`<div class="field">
      <label for=${name}>${this.t(name)}</label>
      <input
        id=${name}
        name=${name}
        type=${type}
        autocomplete=${autocomplete}
        spellcheck="false"
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby=${`${name}-error`}
      />
      <p class="error" id=${`${name}-error`}>
        ${invalid ? this.t('fieldRequired', { field: this.t(name).toLowerCase() }) : nothing}
      </p>
    </div>`;
  }
}

CivicConsoleLogin.define('civic-console-login');

declare global {
  interface HTMLElementTagNameMap {
    'civic-console-login': CivicConsoleLogin;
  }
}
