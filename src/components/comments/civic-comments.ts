import { html, nothing } from 'lit';
import type { PropertyDeclarations, PropertyValues, TemplateResult } from 'lit';
import {
  COMMENT_MAX,
  EMAIL_PATTERN,
  LINE_PATTERN,
  TEXT_PATTERN,
  type CommentField,
  type CommentPage,
  type NewCommentRequest,
  type NewCommentResponse,
  type PublicComment,
} from '../../shared/comments.js';
import { ApiError } from '../../client/api-client.js';
import { CivicElement } from '../../client/civic-element.js';
import type { TermKey as Key, TermParams } from '../../client/i18n/localize.js';
import { baseStyles } from '../../client/styles/base.styles.js';
// Also registers the captcha's strings, which the form shows too ("Please enter the code").
import '../captcha/civic-captcha.js';
import type { CivicCaptcha } from '../captcha/civic-captcha.js';
import type { CaptchaStrings } from '../captcha/civic-captcha.strings.js';
import { getComments, postComment, threadUrl } from './civic-comments.api.js';
import { styles } from './civic-comments.styles.js';
import './civic-comments.strings.js';
import type { CommentsStrings } from './civic-comments.strings.js';

/** `detail` of `civic-comment-submit`. */
export interface CommentSubmitDetail {
  status: NewCommentResponse['status'];
}

declare global {
  interface GlobalEventHandlersEventMap {
    'civic-comment-submit': CustomEvent<CommentSubmitDetail>;
  }
}

type TermKey = Key<CommentsStrings & CaptchaStrings>;
type Message = [TermKey, TermParams?];
type ErrorKey = CommentField | 'captcha';

const LABEL = {
  name: 'commentsName',
  email: 'commentsEmail',
  title: 'commentsTitle',
  content: 'commentsContent',
} as const;
const MISSING: Partial<Record<CommentField, TermKey>> = {
  name: 'commentsNameMissing',
  email: 'commentsEmailMissing',
  content: 'commentsContentMissing',
};
const KNOWN: Record<string, TermKey> = { banned: 'commentsBanned', spam_detected: 'commentsSpam' };
const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const FIELDS = Object.keys(COMMENT_MAX) as CommentField[];
/** Characters left at which the count is read out (once each, on the way down); -1: over. */
const STEPS = [200, 50, -1];

const codePoints = (s: string) => [...s].length;

/** The first problem with a field's value, as a message key (`field` param: the field's name); undefined when fine. */
export function checkField(field: CommentField, value: string): Message | undefined {
  if (!value.trim()) return MISSING[field] && [MISSING[field]!];
  const max = COMMENT_MAX[field];
  if (codePoints(value) > max) return ['commentsTooLong', { field, max }];
  if (!new RegExp(field === 'content' ? TEXT_PATTERN : LINE_PATTERN, 'u').test(value))
    return ['commentsBadChars', { field }];
  if (field === 'email' && !new RegExp(EMAIL_PATTERN, 'u').test(value))
    return ['commentsEmailInvalid'];
  return undefined;
}

/** Plain text with its http(s) URLs as links: text parts and `<a>` templates, never HTML. */
export function linkify(text: string): Array<string | TemplateResult> {
  const parts: Array<string | TemplateResult> = [];
  let at = 0;
  for (const m of text.matchAll(URL_RE)) {
    const url = m[0].replace(/[.,;:!?)\]}]+$/, '');
    parts.push(
      text.slice(at, m.index),
      html`<a part="link" href=${url} rel="nofollow ugc noopener noreferrer">${url}</a>`,
    );
    at = m.index! + url.length;
  }
  parts.push(text.slice(at));
  return parts;
}

const isPage = (p: CommentPage) => !!p && Array.isArray(p.items) && typeof p.total === 'number';

/**
 * @summary Comment form with a captcha, and the approved readers' comments under it.
 * @tag civic-comments
 * @status experimental
 *
 * New comments wait for a moderator (unless the site approves automatically). Comments are
 * plain text: only http(s) addresses become links (`rel="nofollow ugc noopener noreferrer"`).
 * The e-mail is sent to the server for the moderators and never shown.
 *
 * @slot - Fallback shown before upgrade and when the comments cannot load.
 * @csspart base - Wrapper of the form and the list.
 * @csspart form - The form.
 * @csspart note - "Fields marked * are required".
 * @csspart field - Each label + control + messages.
 * @csspart label - Each label.
 * @csspart input - Each input and the textarea.
 * @csspart hint - The e-mail's "never shown publicly".
 * @csspart counter - Characters left in the content.
 * @csspart field-error - A field's error message.
 * @csspart captcha - The `<civic-captcha>` (its parts: `::part(captcha)` only; theme it with `--civic-captcha-*`).
 * @csspart submit-button - The send button.
 * @csspart form-error - An error not tied to one field.
 * @csspart notice - "Your comment awaits moderation".
 * @csspart list - The readers' comments section.
 * @csspart heading - Its heading with the total.
 * @csspart items - The list.
 * @csspart item - Each comment.
 * @csspart item-title - A comment's title.
 * @csspart meta - Author and date.
 * @csspart author - The name.
 * @csspart date - The `<time>`.
 * @csspart content - A comment's text.
 * @csspart link - Each link in a text.
 * @csspart reply - The agency's reply.
 * @csspart reply-label - "The agency's reply" and its date.
 * @csspart empty - "No comments yet".
 * @csspart more-button - "Load more".
 * @cssprop --civic-comments-background - Background of form and list (default `--civic-color-surface`).
 * @cssprop --civic-comments-background-dark - The same in the dark scheme (a light-only value never reaches it).
 * @cssprop --civic-comments-border - Border shorthand of form and items (default 1px solid `--civic-color-border`).
 * @cssprop --civic-comments-padding - Inner padding (default `--civic-space-l`).
 * @cssprop --civic-comments-gap - Space between fields and items (default `--civic-space-m`).
 * @cssprop --civic-comments-button-background - Send button background (default `--civic-color-primary`).
 * @cssprop --civic-comments-button-background-dark - The same in the dark scheme (a light-only value never reaches it).
 * @cssprop --civic-comments-button-color - Send button text (default `--civic-color-on-primary`: black or white, for contrast).
 * @cssprop --civic-comments-button-color-dark - The same in the dark scheme (a light-only value never reaches it).
 * @cssprop --civic-comments-reply-accent - Left rule of the agency's reply (default `--civic-color-primary`).
 * @cssprop --civic-comments-reply-accent-dark - The same in the dark scheme (a light-only value never reaches it).
 * @fires {CustomEvent<{ status: 'pending' | 'approved' }>} civic-comment-submit - The server accepted a comment.
 * @fires {CustomEvent<{ code: string; message: string }>} civic-error - Loading the comments failed.
 */
export class CivicComments extends CivicElement<CommentsStrings & CaptchaStrings> {
  static styles = [baseStyles, styles];
  static override properties: PropertyDeclarations = {
    thread: {},
    noForm: { type: Boolean, attribute: 'no-form', reflect: true },
    noList: { type: Boolean, attribute: 'no-list', reflect: true },
    headingLevel: { type: Number, attribute: 'heading-level' },
    items: { state: true },
    total: { state: true },
    next: { state: true },
    errors: { state: true },
    notice: { state: true },
    sending: { state: true },
    more: { state: true },
    length: { state: true },
    postError: { state: true },
  };

  /** Thread id; defaults to the page path (`location.pathname`). */
  thread?: string;

  /** Show only the list. */
  noForm = false;

  /** Show only the form. */
  noList = false;

  /** Level of the list heading (2–6). */
  headingLevel = 3;

  private items?: PublicComment[];
  private total = 0;
  private next: string | null = null;
  private errors: Partial<Record<ErrorKey, Message>> = {};
  private notice?: TermKey;
  private sending = false;
  private more = false;
  private length = 0;
  private postError?: ApiError;

  private get form(): HTMLFormElement | null {
    return this.renderRoot?.querySelector('form');
  }
  private get captcha(): CivicCaptcha | null {
    return this.renderRoot?.querySelector('civic-captcha');
  }

  private step = -1;

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved in the page: the earlier request was aborted on disconnect.
    if (this.hasUpdated && !this.items) void this.load();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (
      !this.noList &&
      (!this.hasUpdated || changed.has('thread') || changed.has('noList') || changed.has('site'))
    )
      void this.load();
  }

  private get url(): string {
    return threadUrl(this.apiUrl(), this.thread || location.pathname);
  }

  private label(field: CommentField): string {
    return this.localize.term(LABEL[field]);
  }

  private async load(cursor?: string): Promise<void> {
    this.more = true;
    try {
      const page = await getComments(this.url, this.signal, cursor);
      if (!isPage(page)) throw new ApiError('bad_response', 'Unexpected comments');
      const before = cursor ? (this.items ?? []) : [];
      this.items = [...before, ...page.items];
      this.total = page.total;
      this.next = page.next;
      this.recover();
      if (cursor) {
        this.announce(this.localize.term('commentsLoaded', { count: page.items.length }));
        await this.updateComplete;
        this.renderRoot.querySelectorAll<HTMLElement>('[part~="item"]')[before.length]?.focus();
      }
    } catch (e) {
      if (!cursor) this.fail(e);
      else if ((e as ApiError).code !== 'aborted') this.announce(this.errorText(e as ApiError));
    } finally {
      this.more = false;
    }
  }

  /** The form's text fields (name, email, title, content, the `website` trap). */
  private values(): Record<CommentField | 'website', string> {
    return Object.fromEntries(new FormData(this.form!)) as Record<CommentField | 'website', string>;
  }

  /** Shows the errors and moves focus to the first field in error. */
  private async showErrors(errors: Partial<Record<ErrorKey, Message>>): Promise<void> {
    this.errors = errors;
    const first = [...FIELDS, 'captcha' as const].find((k) => errors[k]);
    // Focus on the captcha lands on its input, away from this message: read it out.
    if (first === 'captcha') this.announce(this.localize.term(...errors.captcha!));
    await this.updateComplete;
    if (first)
      (first === 'captcha'
        ? this.captcha
        : (this.form?.elements.namedItem(first) as HTMLElement | null)
      )?.focus();
  }

  private handleInput(e: Event): void {
    const el = e.target as HTMLInputElement;
    const field = el.name as CommentField;
    if (field === 'content') {
      this.length = codePoints(el.value);
      const left = COMMENT_MAX.content - this.length;
      const step = STEPS.filter((s) => left <= s).length - 1;
      if (step > this.step) this.announce(this.counterText());
      this.step = step;
    }
    // An error clears as soon as the value is fine (the captcha's, as soon as a code is typed).
    if (this.errors[field] && (field === ('captcha' as string) || !checkField(field, el.value)))
      this.errors = { ...this.errors, [field]: undefined };
  }

  private handleChange(e: Event): void {
    const el = e.target as HTMLInputElement;
    const field = el.name as CommentField;
    if (FIELDS.includes(field))
      this.errors = { ...this.errors, [field]: checkField(field, el.value) };
  }

  private async handleSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.sending) return;
    const v = this.values();
    const token = this.captcha?.value ?? '';
    const errors: Partial<Record<ErrorKey, Message>> = {};
    for (const f of FIELDS) errors[f] = checkField(f, v[f]);
    if (!token) errors.captcha = ['captchaRequired'];
    this.notice = this.postError = undefined;
    if (Object.values(errors).some(Boolean)) return this.showErrors(errors);

    this.sending = true;
    this.errors = {};
    try {
      const body: NewCommentRequest = { ...v, captcha: token };
      const res = await postComment(this.url, body, this.signal);
      // The token is spent: the form reset also fetches a new captcha.
      this.form?.reset();
      this.length = 0;
      this.step = -1;
      if (res.status === 'approved' && res.comment) {
        this.items = [res.comment, ...(this.items ?? [])];
        this.total++;
      }
      this.notice = res.status === 'approved' ? 'commentsPublished' : 'commentsPending';
      this.announce(this.localize.term(this.notice));
      this.emit<CommentSubmitDetail>('civic-comment-submit', { status: res.status });
    } catch (err) {
      const { code } = err as ApiError;
      if (code === 'aborted') return;
      const field = /^invalid_(name|email|title|content)$/.exec(code)?.[1] as
        CommentField | undefined;
      if (field)
        return this.showErrors({
          [field]: checkField(field, v[field]) ?? ['commentsInvalid', { field }],
        });
      if (code.startsWith('captcha_')) {
        this.captcha?.reset();
        const key =
          code === 'captcha_required'
            ? 'captchaRequired'
            : code === 'captcha_invalid'
              ? 'commentsCaptchaWrong'
              : 'commentsCaptchaStale';
        return this.showErrors({ captcha: [key] });
      }
      this.postError = err as ApiError;
      this.announce(this.postErrorText());
    } finally {
      this.sending = false;
    }
  }

  /** A failure not tied to one field, localized when shown (banned, rate limited, offline…). */
  private postErrorText(): string {
    const err = this.postError!;
    const key = KNOWN[err.code];
    return key ? this.localize.term(key) : this.errorText(err);
  }

  private counterText(): string {
    const left = COMMENT_MAX.content - this.length;
    return this.localize.term(left < 0 ? 'commentsOver' : 'commentsLeft', {
      count: Math.abs(left),
    });
  }

  private handleMore(): void {
    if (this.next && !this.more) void this.load(this.next);
  }

  render(): TemplateResult {
    return html`<div part="base">${this.noForm ? nothing : this.renderForm()}${this.noList ? nothing : this.renderList()}</div>`;
  }

  private renderForm(): TemplateResult {
    const t = this.localize;
    const e = this.errors;
    return html`<form part="form" novalidate aria-label=${t.term('commentsForm')} @submit=${this.handleSubmit} @input=${this.handleInput} @change=${this.handleChange}>
      <p part="note">${t.term('commentsRequiredNote')}</p>
      ${this.renderField('name', 'name')} ${this.renderField('email', 'email', t.term('commentsEmailHint'))} ${this.renderField('title')}
      <div part="field">
        <label part="label" for="content">${t.term('commentsContent')} <span aria-hidden="true">*</span></label>
        <textarea part="input" id="content" name="content" rows="5" required aria-invalid=${!!e.content} aria-describedby="content-count${e.content ? ' content-error' : ''}"></textarea>
        <p part="counter" id="content-count" class=${this.length > COMMENT_MAX.content ? 'over' : ''}>${this.counterText()}</p>
        ${this.renderError('content')}
      </div>
      <div class="visually-hidden" aria-hidden="true">
        <label for="website">Website</label><input id="website" name="website" tabindex="-1" autocomplete="off" />
      </div>
      <civic-captcha part="captcha" name="captcha" action="comment" .site=${this.site} .api=${this.api}></civic-captcha>
      ${this.renderError('captcha')}
      <button part="submit-button" type="submit" aria-disabled=${this.sending}>${t.term(this.sending ? 'commentsSending' : 'commentsSubmit')}</button>
      ${this.postError ? html`<p part="form-error">${this.postErrorText()}</p>` : nothing}
      ${this.notice ? html`<p part="notice">${t.term(this.notice)}</p>` : nothing}
    </form>`;
  }

  private renderField(field: CommentField, autocomplete = 'off', hint?: string): TemplateResult {
    const err = this.errors[field];
    const required = field !== 'title';
    const describedBy = [hint && `${field}-hint`, err && `${field}-error`]
      .filter(Boolean)
      .join(' ');
    return html`<div part="field">
      <label part="label" for=${field}>${this.label(field)}${required ? html` <span aria-hidden="true">*</span>` : nothing}</label>
      ${hint ? html`<p part="hint" id="${field}-hint">${hint}</p>` : nothing}
      <input part="input" id=${field} name=${field} type=${field === 'email' ? 'email' : 'text'} autocomplete=${autocomplete} ?required=${required}
        aria-invalid=${!!err} aria-describedby=${describedBy || nothing} />
      ${this.renderError(field)}
    </div>`;
  }

  private renderError(key: ErrorKey): TemplateResult | typeof nothing {
    const err = this.errors[key];
    if (!err) return nothing;
    const [term, p = {}] = err;
    // Messages keep the field's name and are worded when shown: a `lang` change re-words them.
    return html`<p part="field-error" id="${key}-error">${this.localize.term(term, p.field ? { ...p, field: this.label(p.field as CommentField) } : p)}</p>`;
  }

  private renderList(): TemplateResult {
    const t = this.localize;
    const items = this.items;
    const time = (iso: string) =>
      html`<time part="date" datetime=${iso}>${t.date(iso, { dateStyle: 'short', timeStyle: 'short' })}</time>`;
    return html`<section part="list" aria-labelledby="list-heading" aria-busy=${!items}>
      <div part="heading" id="list-heading" role="heading" aria-level=${Math.min(6, Math.max(2, this.headingLevel))}>
        ${items ? t.term('commentsHeading', { count: this.total }) : t.term('loading')}
      </div>
      ${
        items?.length
          ? html`<ol part="items">
            ${items.map(
              (c) => html`<li part="item" tabindex="-1">
                ${c.title ? html`<p part="item-title">${c.title}</p>` : nothing}
                <p part="meta"><span part="author">${c.name}</span> · ${time(c.createdAt)}</p>
                <p part="content">${linkify(c.content)}</p>
                ${
                  c.reply
                    ? html`<div part="reply">
                      <p part="reply-label">${t.term('commentsReply')} · ${time(c.reply.createdAt)}</p>
                      <p part="content">${linkify(c.reply.content)}</p>
                    </div>`
                    : nothing
                }
              </li>`,
            )}
          </ol>`
          : items
            ? html`<p part="empty">${t.term('commentsEmpty')}</p>`
            : nothing
      }
      ${this.next ? html`<button part="more-button" type="button" aria-disabled=${this.more} @click=${this.handleMore}>${t.term('commentsMore')}</button>` : nothing}
    </section>`;
  }
}

CivicComments.define('civic-comments');

declare global {
  interface HTMLElementTagNameMap {
    'civic-comments': CivicComments;
  }
}
