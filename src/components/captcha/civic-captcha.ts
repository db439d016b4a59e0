import { html, nothing } from 'lit';
import type { PropertyDeclarations, PropertyValues, TemplateResult } from 'lit';
import type { CaptchaChallenge } from '../../shared/captcha-types.js';
import { CODE_TOKEN, POW_TOKEN } from '../../shared/captcha-types.js';
import { ApiError } from '../../client/api-client.js';
import { CivicElement } from '../../client/civic-element.js';
import { baseStyles } from '../../client/styles/base.styles.js';
import { postChallenge } from './civic-captcha.api.js';
import { styles } from './civic-captcha.styles.js';
import './civic-captcha.strings.js';
import type { CaptchaStrings } from './civic-captcha.strings.js';
import { solvePow } from './pow.js';

/** `detail` of `civic-captcha-verify`. */
export interface CaptchaVerifyDetail {
  /** What the form submits: `c1.…` (typed code) or `p1.…` (proof of work). */
  token: string;
  method: 'code' | 'pow';
}

declare global {
  interface GlobalEventHandlersEventMap {
    'civic-captcha-verify': CustomEvent<CaptchaVerifyDetail>;
  }
}

const isChallenge = (c: CaptchaChallenge | null): c is CaptchaChallenge =>
  !!c && (typeof c.id === 'string' ? typeof c.image === 'string' : !!c.pow);

/**
 * @summary Captcha for any form: a code drawn by the server, or a proof of work for visitors who
 * cannot read it; submits one single-use token under its `name`.
 * @tag civic-captcha
 * @status experimental
 *
 * Form-associated: inside a `<form>` its token is submitted as `name=token`, it is invalid while
 * `required` and empty, and a form reset fetches a new challenge. The host's server checks the
 * token with `POST /api/v1/captcha/verify` (see README). The image cannot be read by a screen
 * reader: the "Can't read the code?" button (proof of work, no reading needed) is the accessible
 * path, and the only one when the site's captcha mode is `pow`.
 *
 * @slot - Fallback shown before upgrade and when the captcha cannot load.
 * @csspart base - Wrapper.
 * @csspart challenge - The image with its refresh button.
 * @csspart image - The code image (`<img>`), or its placeholder while loading.
 * @csspart refresh-button - "New code".
 * @csspart label - Label of the code input.
 * @csspart input - The code input.
 * @csspart pow-button - "Can't read the code?".
 * @csspart status - Progress and result of the proof of work.
 * @cssprop --civic-captcha-background - Background (default `--civic-color-surface`).
 * @cssprop --civic-captcha-background-dark - The same in the dark scheme (a light-only value never reaches it).
 * @cssprop --civic-captcha-border - Border shorthand (default 1px solid `--civic-color-border`).
 * @cssprop --civic-captcha-padding - Inner padding (default `--civic-space-m`).
 * @cssprop --civic-captcha-image-width - Displayed width of the code image (default 240px).
 * @fires {CustomEvent<{ token: string; method: 'code' | 'pow' }>} civic-captcha-verify - A token is ready (code typed in full, or proof of work solved).
 * @fires {CustomEvent<{ code: string; message: string }>} civic-error - Loading or solving failed.
 */
export class CivicCaptcha extends CivicElement<CaptchaStrings> {
  static styles = [baseStyles, styles];
  static override properties: PropertyDeclarations = {
    name: { reflect: true },
    action: {},
    required: { type: Boolean, reflect: true },
    challenge: { state: true },
    usePow: { state: true },
    status: { state: true },
    disabled: { state: true },
    token: { state: true },
  };
  static formAssociated = true;
  static override shadowRootOptions = { ...CivicElement.shadowRootOptions, delegatesFocus: true };

  /** Form field name under which the token is submitted. */
  name = '';

  /** What the token protects; the server accepts it only for this action. */
  action = 'comment';

  /** The form cannot be submitted without a token. */
  required = false;

  private challenge?: CaptchaChallenge;
  private usePow = false;
  private status = '';
  private disabled = false;
  private token = '';

  private get input(): HTMLInputElement | null {
    return this.renderRoot?.querySelector('input');
  }

  private readonly internals?: ElementInternals = this.attachInternals?.();
  /** Bumped by every load: work for an older challenge stops. */
  private generation = 0;
  private expiry?: ReturnType<typeof setTimeout>;

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.challenge) this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.expiry);
    this.generation++;
    this.challenge = undefined;
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('token')) this.internals?.setFormValue(this.token);
    const missing = this.required && !this.token;
    this.internals?.setValidity(
      { valueMissing: missing },
      missing ? this.localize.term('captchaRequired') : '',
      this.input ?? undefined,
    );
  }

  /** The token ('' until ready). */
  get value(): string {
    return this.token;
  }

  /** Why the form cannot be submitted yet ('' when valid). */
  get validationMessage(): string {
    return this.internals?.validationMessage ?? '';
  }

  /** Fetches a fresh challenge (e.g. after the server refused a submit). */
  reset(): void {
    this.load(this.localize.term('captchaNewCode'));
  }

  formResetCallback(): void {
    this.reset();
  }

  formDisabledCallback(disabled: boolean): void {
    this.disabled = disabled;
  }

  private load(done?: string): void {
    const gen = ++this.generation;
    clearTimeout(this.expiry);
    this.token = '';
    this.status = '';
    if (this.input) this.input.value = '';
    void this.guard(async (signal) => {
      const c = await postChallenge(this.apiUrl(), this.action, signal);
      if (gen !== this.generation) return;
      if (!isChallenge(c)) throw new ApiError('bad_response', 'Unexpected captcha');
      this.challenge = c;
      this.recover();
      // The server's 10 minutes, clamped against a wrong client clock.
      const ttl = Math.min(6e5, Math.max(6e4, Date.parse(c.expiresAt) - Date.now()));
      this.expiry = setTimeout(() => this.load(this.localize.term('captchaExpired')), ttl);
      if (!c.id) this.usePow = true;
      if (this.usePow) await this.solve(gen);
      else if (done) this.announce(done);
    });
  }

  private async solve(gen: number): Promise<void> {
    const pow = this.challenge?.pow;
    if (!pow) return;
    const t = this.localize;
    const started = performance.now();
    this.status = t.term('captchaSolving');
    let eta = 0;
    const n = await solvePow(
      pow,
      (tried, ms) => {
        if (eta || ms < 150) return;
        // The number is uniform in 1…maxnumber: half of it on average.
        eta = Math.max(1, Math.round(((pow.maxnumber / 2) * ms) / tried / 1000));
        this.status = t.term('captchaSolvingEta', { count: eta });
        this.announce(this.status);
      },
      () => gen !== this.generation,
    );
    if (n < 0) return;
    const payload = {
      algorithm: pow.algorithm,
      challenge: pow.challenge,
      number: n,
      salt: pow.salt,
      signature: pow.signature,
    };
    const b64 = btoa(JSON.stringify(payload))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    const seconds = t.number((performance.now() - started) / 1000, { maximumFractionDigits: 1 });
    this.status = t.term('captchaDone', { seconds });
    this.announce(this.status);
    this.ready(POW_TOKEN + b64, 'pow');
  }

  private ready(token: string, method: CaptchaVerifyDetail['method']): void {
    if (token === this.token) return;
    this.token = token;
    if (token) this.emit<CaptchaVerifyDetail>('civic-captcha-verify', { token, method });
  }

  private handleInput(e: Event): void {
    const c = this.challenge;
    const typed = (e.target as HTMLInputElement).value;
    const full = !!c?.length && typed.replace(/[\s-]/g, '').length >= c.length;
    this.ready(full ? `${CODE_TOKEN}${c!.id}.${typed}` : '', 'code');
  }

  private handlePow(): void {
    this.usePow = true;
    this.status = this.localize.term('captchaSolving');
    const gen = this.generation;
    void this.guard(async () => {
      await this.updateComplete;
      // The status replaced the button: keep focus inside the widget, on the status text.
      this.renderRoot.querySelector<HTMLElement>('[part~="status"]')?.focus();
      await this.solve(gen);
    });
  }

  render(): TemplateResult {
    const c = this.challenge;
    const t = this.localize;
    const code = !this.usePow && c?.mode !== 'pow';
    return html`<div part="base" aria-busy=${!c}>
      ${
        code
          ? html`<div part="challenge">
              ${
                c?.image
                  ? html`<img part="image" src=${c.image} alt=${t.term('captchaImageAlt')} width="240" height="90" />`
                  : html`<span part="image" class="placeholder"><span class="visually-hidden">${t.term('loading')}</span></span>`
              }
              <button type="button" part="refresh-button" ?disabled=${this.disabled} @click=${this.reset}>
                ${t.term('captchaRefresh')}
              </button>
            </div>
            <label part="label" for="code">${t.term('captchaCode')}</label>
            <input
              part="input"
              id="code"
              autocomplete="off"
              autocapitalize="characters"
              spellcheck="false"
              maxlength="12"
              aria-required=${this.required}
              ?disabled=${this.disabled || !c}
              @input=${this.handleInput}
            />
            ${
              c?.mode === 'code'
                ? nothing
                : html`<button type="button" part="pow-button" ?disabled=${this.disabled || !c} @click=${this.handlePow}>
                  ${t.term('captchaPow')}
                </button>`
            }`
          : nothing
      }
      <p part="status" tabindex="-1" ?hidden=${!this.status}>${this.status}</p>
    </div>`;
  }
}

CivicCaptcha.define('civic-captcha');

declare global {
  interface HTMLElementTagNameMap {
    'civic-captcha': CivicCaptcha;
  }
}
