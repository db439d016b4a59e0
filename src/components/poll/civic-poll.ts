import { html, nothing } from 'lit';
import type { PropertyDeclarations, PropertyValues, TemplateResult } from 'lit';
import type { PollView, VoteRequest } from '../../shared/poll-types.js';
import { ApiError, toApiError } from '../../client/api-client.js';
import { CivicElement } from '../../client/civic-element.js';
import { stored } from '../../client/storage.js';
import type { TermKey as Key } from '../../client/i18n/localize.js';
import type { CivicCaptcha } from '../captcha/civic-captcha.js';
import { baseStyles } from '../../client/styles/base.styles.js';
import { getPoll, postVote, postVoter } from './civic-poll.api.js';
import { styles } from './civic-poll.styles.js';
import './civic-poll.strings.js';
import type { PollStrings } from './civic-poll.strings.js';

type TermKey = Key<PollStrings>;

/** `detail` of the `civic-vote` event. */
export interface CivicVoteDetail {
  pollId: string;
  choices: string[];
}

declare global {
  interface GlobalEventHandlersEventMap {
    'civic-vote': CustomEvent<CivicVoteDetail>;
  }
}

/** The voter token stored under `key`; `value` stores one, `null` forgets it. */
const keep = (key: string, value?: string | null) => stored('localStorage', key, value);

/**
 * @summary A single-question poll with exact, accessible results.
 * @tag civic-poll
 * @status experimental
 *
 * One vote per browser: a server-signed voter token, asked for when the visitor first votes and
 * kept in localStorage per site and poll, so the "already voted" state survives a reload. Votes are POSTed as JSON and idempotent, so a
 * retry never counts twice. Results are text (votes, percentages, the total and the leader);
 * the bars only repeat them. The poll decides who sees results (always, after voting, after
 * closing, never). A poll that requires proof shows a `<civic-captcha>` (action `vote`, loaded
 * only then) in its form and sends its single-use token with the vote.
 *
 * @slot - Fallback shown before upgrade and when the API fails (e.g. the question and a link).
 * @csspart base - The outer box.
 * @csspart form - The voting form.
 * @csspart question - The question (the `legend` while voting).
 * @csspart hint - "Choose up to N options" (multiple choice).
 * @csspart option - Each choice: its `label` wrapping the input.
 * @csspart input - Each radio or checkbox.
 * @csspart label - Each option's text.
 * @csspart message - A validation or sending error.
 * @csspart captcha - The `<civic-captcha>` of a poll that requires proof (theme it with `--civic-captcha-*`).
 * @csspart actions - The row of buttons.
 * @csspart submit-button - "Vote".
 * @csspart results-button - "View results".
 * @csspart back-button - "Back to voting".
 * @csspart results - The results list.
 * @csspart result - Each option's result.
 * @csspart result-mine - The result of the voter's choice (also named `result`).
 * @csspart result-label - An option's name.
 * @csspart result-value - Its votes and percentage.
 * @csspart your-choice - "(your choice)".
 * @csspart bar - A result bar's track (decoration, hidden from assistive technology).
 * @csspart bar-fill - Its filled part.
 * @csspart total - How many people voted.
 * @csspart leader - Who leads.
 * @csspart notice - "Thank you for voting".
 * @csspart status - Dates (opens, closes, closed) and where the results are.
 * @cssprop --civic-poll-background - Background (default `--civic-color-surface`).
 * @cssprop --civic-poll-background-dark - The same in the dark scheme (a light-only value never reaches it).
 * @cssprop --civic-poll-border - Border shorthand (default 1px solid `--civic-color-border`).
 * @cssprop --civic-poll-padding - Inner padding (default `--civic-space-m`).
 * @cssprop --civic-poll-gap - Space between parts (default `--civic-space-m`).
 * @cssprop --civic-poll-bar-color - Filled bar colour (default `--civic-color-primary`).
 * @cssprop --civic-poll-bar-color-dark - The same in the dark scheme (a light-only value never reaches it).
 * @cssprop --civic-poll-bar-height - Bar thickness (default 0.5rem).
 * @cssprop --civic-poll-button-background - "Vote" button background (default `--civic-color-primary`).
 * @cssprop --civic-poll-button-background-dark - The same in the dark scheme (a light-only value never reaches it).
 * @cssprop --civic-poll-button-color - "Vote" button text (default `--civic-color-on-primary`: black or white, for contrast).
 * @cssprop --civic-poll-button-color-dark - The same in the dark scheme (a light-only value never reaches it).
 * @fires {CustomEvent<{ pollId: string; choices: string[] }>} civic-vote - The server counted (or had already counted) this browser's vote.
 * @fires {CustomEvent<{ code: string; message: string }>} civic-error - Loading the poll failed.
 */
export class CivicPoll extends CivicElement<PollStrings> {
  static styles = [baseStyles, styles];
  static override properties: PropertyDeclarations = {
    pollId: { attribute: 'poll-id' },
    poll: { state: true },
    selected: { state: true },
    showResults: { state: true },
    message: { state: true },
    busy: { state: true },
  };

  /** Poll identifier on the server. */
  pollId = '';

  private poll?: PollView;
  private selected: string[] = [];
  private showResults = false;
  private message = '';
  private busy = false;

  private token?: string;
  private thanked = false;
  private focusNext?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) void this.load();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('pollId') || changed.has('site') || changed.has('api')) void this.load();
  }

  protected override updated(): void {
    const root = this.renderRoot;
    // Bar widths through the CSSOM: no style attribute, so a strict CSP allows it.
    for (const bar of root.querySelectorAll<HTMLElement>('[data-pct]'))
      bar.style.setProperty('--_pct', `${bar.dataset.pct}%`);
    const sel = this.focusNext;
    this.focusNext = undefined;
    if (sel)
      (
        (sel === 'input' && root.querySelector<HTMLElement>('input:checked')) ||
        root.querySelector<HTMLElement>(sel)
      )?.focus();
  }

  private get captcha(): CivicCaptcha | null {
    return this.renderRoot?.querySelector('civic-captcha');
  }

  private get key(): string {
    return `civic-poll:${this.siteId}:${this.pollId}`;
  }

  private load(): Promise<unknown> {
    return this.guard(async (signal) => {
      if (!this.pollId) throw new ApiError('not_found', 'No poll-id');
      const base = this.apiUrl();
      const voter = keep(this.key);
      let p: PollView;
      try {
        p = await getPoll(base, this.pollId, signal, voter);
      } catch (e) {
        // A token the server no longer accepts (e.g. its database was reset): start afresh.
        if (!voter || (e as ApiError).status !== 400) throw e;
        keep(this.key, null);
        p = await getPoll(base, this.pollId, signal);
      }
      if (typeof p?.question !== 'string' || !Array.isArray(p.options))
        throw new ApiError('bad_response', 'Unexpected poll');
      // A token from an earlier vote (or an earlier try): a reader gets one only to vote.
      this.token = keep(this.key);
      // The captcha step, only for a poll that asks for it (its own chunk, its own strings).
      if (p.requireProof && p.status === 'open' && !p.voted)
        await import('../captcha/civic-captcha.js');
      this.show(p);
      this.recover();
    });
  }

  private show(p: PollView): void {
    this.poll = p;
    this.selected = p.choices ?? [];
    this.showResults = !!p.results && (p.voted || p.status === 'closed');
  }

  private say(message: string, focus?: string): void {
    this.message = message;
    this.announce(message);
    this.focusNext = focus;
  }

  private t(key: TermKey, params?: Record<string, string | number>): string {
    return this.localize.term(key, params);
  }

  private percent(part: number, whole: number): string {
    return this.localize.number(whole ? part / whole : 0, {
      style: 'percent',
      maximumFractionDigits: 1,
    });
  }

  /** "Leading: X (40 %)." / "Tied for the lead: X and Y (30 %)." / "No votes yet." */
  private leader(p: PollView): string {
    const r = p.results!;
    const max = Math.max(0, ...r.options.map((o) => o.votes));
    const names = r.options
      .filter((o) => max && o.votes === max)
      .map((o) => p.options.find((x) => x.id === o.id)?.label ?? o.id);
    const percent = this.percent(max, r.voters);
    if (!max) return this.t('pollNoVotes');
    return names.length > 1
      ? this.t('pollTie', { options: this.list(names), percent })
      : this.t('pollLeader', { option: names[0]!, percent });
  }

  /** The total and the leader, for the live region. */
  private summary(p: PollView): string {
    return `${this.t('pollTotal', { count: p.results!.voters })} ${this.leader(p)}`;
  }

  private list(names: string[]): string {
    return this.localize.format(Intl.ListFormat).format(names);
  }

  private handleChange(e: Event): void {
    const input = e.target as HTMLInputElement;
    const p = this.poll!;
    const picked = p.multiple ? this.selected.filter((id) => id !== input.value) : [];
    if (input.checked) {
      if (picked.length >= p.maxChoices) {
        input.checked = false;
        return this.say(this.t('pollMaxReached', { count: p.maxChoices }));
      }
      picked.push(input.value);
    }
    this.selected = p.options.map((o) => o.id).filter((id) => picked.includes(id));
    this.message = '';
  }

  private async handleSubmit(e: Event): Promise<void> {
    e.preventDefault();
    const p = this.poll!;
    if (this.busy) return;
    if (!this.selected.length) return this.say(this.t('pollChooseOne'), 'input');
    const captcha = p.requireProof ? (this.captcha?.value ?? '') : undefined;
    if (captcha === '') return this.say(this.t('pollCaptchaRequired'), 'civic-captcha');
    this.busy = true;
    this.message = '';
    try {
      const base = this.apiUrl();
      this.token ??= keep(this.key, (await postVoter(base, p.id, this.signal)).voterToken);
      const body: VoteRequest = { choices: this.selected, voter: this.token ?? '' };
      if (captcha) body.captcha = captcha;
      const res = await postVote(base, p.id, body, this.signal);
      this.thanked = true;
      this.show(res);
      this.focusNext = '[part~="question"]';
      this.announce(`${this.t('pollThanks')} ${res.results ? this.summary(res) : ''}`);
      this.emit<CivicVoteDetail>('civic-vote', {
        pollId: p.id,
        choices: res.choices ?? body.choices,
      });
    } catch (err) {
      const error = toApiError(err);
      const { code } = error;
      if (code === 'aborted') return;
      if (code === 'invalid_voter') this.token = keep(this.key, null);
      // The token was refused or spent: a fresh check for the next try.
      if (code.startsWith('captcha_')) {
        this.captcha?.reset();
        return this.say(
          this.t(code === 'captcha_required' ? 'pollCaptchaRequired' : 'pollCaptchaFailed'),
          'civic-captcha',
        );
      }
      // The poll changed on the server (closed, new options, token refused): show its state now.
      if (/^(poll_|invalid_voter|invalid_choices)/.test(code)) void this.load();
      this.say(
        code === 'vote_limit'
          ? this.t('pollVoteLimit')
          : code === 'poll_closed'
            ? this.t('pollClosed')
            : this.errorText(error),
        'button',
      );
    } finally {
      this.busy = false;
    }
  }

  private handleResults(show: boolean): void {
    this.showResults = show;
    this.message = '';
    this.focusNext = show ? '[part~="question"]' : 'input';
    if (show) this.announce(this.summary(this.poll!));
  }

  render(): TemplateResult {
    const p = this.poll;
    return html`<div part="base" aria-busy=${!p}>
      ${
        !p
          ? html`<p part="status">${this.t('loading')}</p>`
          : this.showResults && p.results
            ? this.renderResults(p)
            : p.status === 'open' && !p.voted
              ? this.renderForm(p)
              : html`<p part="question" tabindex="-1">${p.question}</p>
                ${this.renderVoted(p)}${this.renderStatus(p)}`
      }
    </div>`;
  }

  private renderForm(p: PollView): TemplateResult {
    return html`<form part="form" novalidate @submit=${this.handleSubmit}>
      <fieldset aria-describedby=${p.multiple ? 'hint' : nothing}>
        <legend part="question">${p.question}</legend>
        ${p.multiple ? html`<p part="hint" id="hint">${this.t('pollMaxHint', { count: p.maxChoices })}</p>` : nothing}
        ${p.options.map(
          (o) =>
            html`<label part="option"
              ><input
                part="input"
                type=${p.multiple ? 'checkbox' : 'radio'}
                name="choice"
                .value=${o.id}
                .checked=${this.selected.includes(o.id)}
                @change=${this.handleChange}
              /><span part="label">${o.label}</span></label
            >`,
        )}
      </fieldset>
      ${
        p.requireProof
          ? html`<civic-captcha part="captcha" name="captcha" action="vote" .site=${this.site} .api=${this.api}></civic-captcha>`
          : nothing
      }
      ${this.message ? html`<p part="message">${this.message}</p>` : nothing}
      <div part="actions">
        <button part="submit-button" type="submit" aria-disabled=${this.busy}>
          ${this.t(this.busy ? 'pollSending' : 'pollVote')}
        </button>
        ${
          p.results
            ? html`<button part="results-button" type="button" @click=${() => this.handleResults(true)}>${this.t('pollViewResults')}</button>`
            : nothing
        }
      </div>
      ${this.renderStatus(p)}
    </form>`;
  }

  private renderResults(p: PollView): TemplateResult {
    const r = p.results!;
    return html`<p part="question" id="q" tabindex="-1">${p.question}</p>
      ${this.renderVoted(p, true)}
      <ul part="results" aria-labelledby="q">
        ${p.options.map((o) => {
          const votes = r.options.find((x) => x.id === o.id)?.votes ?? 0;
          const mine = p.choices?.includes(o.id);
          return html`<li part=${mine ? 'result result-mine' : 'result'}>
            <span part="result-label"
              >${o.label} ${mine ? html`<span part="your-choice">${this.t('pollYourChoiceMark')}</span>` : nothing}</span
            >
            <span part="result-value">${this.t('pollVotes', { count: votes })} (${this.percent(votes, r.voters)})</span>
            <span part="bar" aria-hidden="true"><span part="bar-fill" data-pct=${r.voters ? (100 * votes) / r.voters : 0}></span></span>
          </li>`;
        })}
      </ul>
      <p part="total">${this.t('pollTotal', { count: r.voters })}</p>
      <p part="leader">${this.leader(p)}</p>
      ${this.renderStatus(p)}
      ${
        p.status === 'open' && !p.voted
          ? html`<div part="actions">
            <button part="back-button" type="button" @click=${() => this.handleResults(false)}>${this.t('pollBack')}</button>
          </div>`
          : nothing
      }`;
  }

  private renderVoted(p: PollView, inResults = false): TemplateResult | typeof nothing {
    if (!p.voted) return nothing;
    const names = p.options.filter((o) => p.choices?.includes(o.id)).map((o) => o.label);
    return html`<p part="notice">
      ${this.t(this.thanked ? 'pollThanks' : 'pollVoted')}
      ${inResults ? nothing : this.t('pollYourChoice', { options: this.list(names) })}
    </p>`;
  }

  /** Dates in the visitor's language, and where the results are when they are not shown. */
  private renderStatus(p: PollView): TemplateResult {
    const { status } = p;
    const [key, at]: [TermKey, string | null] =
      status === 'upcoming'
        ? ['pollOpensAt', p.opensAt]
        : status === 'closed'
          ? [p.closesAt ? 'pollClosedAt' : 'pollClosed', p.closesAt]
          : ['pollClosesAt', p.closesAt];
    const note: TermKey | undefined = p.results
      ? undefined
      : p.resultsVisibility === 'never'
        ? 'pollResultsNever'
        : p.resultsVisibility === 'after_close'
          ? 'pollResultsAfterClose'
          : status === 'open'
            ? 'pollResultsAfterVote'
            : undefined;
    const [before, after] = this.t(key).split('%{date}');
    return html`${
      at || status === 'closed'
        ? html`<p part="status">
          ${
            at
              ? html`${before}<time datetime=${at}
                  >${this.localize.date(at, { dateStyle: 'long', timeStyle: 'short' })}</time
                >${after}`
              : before
          }
        </p>`
        : nothing
    }${note ? html`<p part="status">${this.t(note)}</p>` : nothing}`;
  }
}

CivicPoll.define('civic-poll');

declare global {
  interface HTMLElementTagNameMap {
    'civic-poll': CivicPoll;
  }
}
