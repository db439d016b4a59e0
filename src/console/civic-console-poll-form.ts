import { css, html, nothing } from 'lit';
import type { PropertyDeclarations, PropertyValues, TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { toApiError } from '../client/api-client.js';
import { POLL_LIMITS, type ResultsVisibility } from '../shared/polls.js';
import { api, type AdminPoll } from './api.js';
import { ConsoleElement } from './console-element.js';
import type { ConsoleStrings } from './console.strings.js';
import {
  checkDraft,
  draftOf,
  inputOf,
  newOption,
  slugify,
  type DraftErrors,
  type DraftOption,
  type PollDraft,
} from './poll-draft.js';

declare global {
  interface GlobalEventHandlersEventMap {
    'civic-poll-saved': CustomEvent<AdminPoll>;
    'civic-poll-cancel': CustomEvent<void>;
  }
}

const VISIBILITY: [ResultsVisibility, keyof ConsoleStrings][] = [
  ['always', 'pollVisAlways'],
  ['after_vote', 'pollVisAfterVote'],
  ['after_close', 'pollVisAfterClose'],
  ['never', 'pollVisNever'],
];

/**
 * @summary The form that creates a poll or edits one: question, options (add, remove, reorder),
 * one or several choices, opening and closing times, who sees the results, the daily ceiling
 * per network and the proof of work.
 * @tag civic-console-poll-form
 *
 * Problems are found before sending and named next to their fields (the first one takes the
 * focus, a summary is announced); a refusal of the server is shown in words and nothing is
 * saved. Once a poll has votes its options can no longer change, and the form says so.
 *
 * @fires civic-poll-saved - Saved. detail: the poll as the server stored it
 * @fires civic-poll-cancel - The person left the form without saving.
 */
export class CivicConsolePollForm extends ConsoleElement {
  static override styles = [
    ConsoleElement.styles,
    css`
      form {
        display: grid;
        gap: var(--_space-l);
        max-width: 48rem;
      }
      fieldset {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: var(--_space-m) var(--_space-l);
        margin: 0;
        display: grid;
        gap: var(--_space-m);
      }
      legend {
        font-weight: 700;
        padding: 0 var(--_space-s);
      }
      .option {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: var(--_space-s) var(--_space-m);
        align-items: end;
      }
      .option .field {
        min-width: 0;
      }
      input:not([type='radio'], [type='checkbox']),
      textarea,
      select {
        width: 100%;
        box-sizing: border-box;
      }
      input[type='number'] {
        max-width: 10rem;
      }
      textarea {
        min-height: 4.5rem;
      }
      .two {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
        gap: var(--_space-m);
      }
      .choice {
        display: flex;
        gap: var(--_space-s);
        align-items: center;
      }
      .choice label {
        font-weight: 400;
      }
      input[type='radio'] {
        width: 1.125rem;
        height: 1.125rem;
        margin: 0;
        accent-color: var(--_primary);
      }
      .hint {
        margin: 0;
        font-size: 0.875rem;
      }
      p.error:empty {
        display: none;
      }
      .summary {
        border-inline-start: 4px solid var(--_danger);
        padding-inline-start: var(--_space-m);
      }
      [aria-disabled='true'] {
        cursor: not-allowed;
        opacity: 0.6;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    poll: { attribute: false },
    draft: { state: true },
    errors: { state: true },
    summary: { state: true },
    busy: { state: true },
  };

  /** The poll to edit; none for a new poll. */
  poll?: AdminPoll;

  private draft: PollDraft = draftOf();
  private errors: DraftErrors = new Map();
  /** What stopped the last save: the count of problems here, or the server's refusal. */
  private summary = '';
  private busy = false;
  /** The draft as the form opened (an edit sends only the dates that changed). */
  private initial: PollDraft = this.draft;
  /** The id follows the question until the person types one. */
  private idTouched = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('poll')) {
      this.initial = this.draft = draftOf(this.poll);
      this.idTouched = !!this.poll;
      this.errors = new Map();
      this.summary = '';
    }
  }

  /** Focuses the first field. */
  override focus(): void {
    this.renderRoot.querySelector<HTMLElement>(this.poll ? '#question' : '#poll-id')?.focus();
  }

  private get isNew(): boolean {
    return !this.poll;
  }

  /** Options, single/multiple and the maximum are fixed once the poll has votes. */
  private get locked(): boolean {
    return (this.poll?.voters ?? 0) > 0;
  }

  private set(patch: Partial<PollDraft>): void {
    this.draft = { ...this.draft, ...patch };
  }

  private setOptions(options: DraftOption[]): void {
    this.set({ options });
  }

  private handleQuestion(e: Event): void {
    const question = (e.target as HTMLTextAreaElement).value;
    this.set(this.isNew && !this.idTouched ? { question, id: slugify(question) } : { question });
  }

  private handleId(e: Event): void {
    this.idTouched = true;
    this.set({ id: (e.target as HTMLInputElement).value.trim() });
  }

  private handleOption(o: DraftOption, e: Event): void {
    const label = (e.target as HTMLInputElement).value;
    this.setOptions(this.draft.options.map((x) => (x.key === o.key ? { ...x, label } : x)));
  }

  private handleAdd(): void {
    if (this.draft.options.length >= POLL_LIMITS.maxOptions) return;
    const o = newOption();
    this.setOptions([...this.draft.options, o]);
    void this.focusOn(`#option-${o.key}`);
  }

  private handleRemove(o: DraftOption): void {
    const list = this.draft.options;
    const i = list.indexOf(o);
    const rest = list.filter((x) => x.key !== o.key);
    this.setOptions(rest);
    const errors = new Map(this.errors);
    errors.delete(`option-${o.key}`);
    this.errors = errors;
    const next = rest[Math.min(i, rest.length - 1)];
    void this.focusOn(next ? `#option-${next.key}` : '#add-option');
  }

  private handleMove(o: DraftOption, by: -1 | 1, button: string): void {
    const list = [...this.draft.options];
    const i = list.indexOf(o);
    const j = i + by;
    if (j < 0 || j >= list.length) return;
    [list[i], list[j]] = [list[j]!, list[i]!];
    this.setOptions(list);
    // The focus stays on the same button of the moved option.
    void this.focusOn(`#${button}-${o.key}`);
    this.announce(
      this.t('pollMoved', {
        label: o.label.trim() || this.t('pollOptionLabel', { n: i + 1 }),
        n: j + 1,
      }),
    );
  }

  private handleCancel(): void {
    this.emit('civic-poll-cancel');
  }

  private async handleSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const errors = checkDraft(this.draft, this.isNew, this.locked);
    this.errors = errors;
    if (errors.size) {
      this.summary = this.t('pollFormInvalid', { count: errors.size });
      const first = [...errors.keys()][0]!;
      const target =
        first === 'options' ? '#add-option' : first === 'id' ? '#poll-id' : `#${first}`;
      await this.focusOn(target);
      return;
    }
    this.summary = '';
    this.busy = true;
    const site = this.site!;
    try {
      const input = inputOf(this.draft, this.locked, this.poll ? this.initial : undefined);
      const saved = this.poll
        ? await api.updatePoll(site, this.poll.id, input)
        : await api.createPoll(site, { id: this.draft.id, ...input });
      this.emit<AdminPoll>('civic-poll-saved', saved);
    } catch (err) {
      const { code } = toApiError(err);
      if (code === 'conflict' && this.isNew) {
        // The id is taken: said under the id field, which takes the focus.
        this.errors = new Map([['id', { key: 'pollErrIdTaken' }]]);
        this.summary = this.t('pollFormInvalid', { count: 1 });
        await this.focusOn('#poll-id');
        return;
      }
      this.summary = code === 'poll_has_votes' ? this.t('pollHasVotes') : this.messageFor(err);
      await this.focusOn('.summary');
    } finally {
      this.busy = false;
    }
  }

  /** `aria-invalid` and the error text of a field. */
  private problem(name: string): { invalid: 'true' | 'false'; text: string } {
    const error = this.errors.get(name);
    return {
      invalid: error ? 'true' : 'false',
      text: error ? this.t(error.key, error.params) : '',
    };
  }

  render(): TemplateResult {
    const d = this.draft;
    const question = this.problem('question');
    return html`<form novalidate @submit=${this.handleSubmit}>
      <div class="summary" role="alert" tabindex="-1" ?hidden=${!this.summary}>
        <p class="error">${this.summary}</p>
      </div>
      ${this.isNew ? this.renderId() : nothing}
      <div class="field">
        <label for="question">${this.t('pollQuestion')}</label>
        <textarea
          id="question"
          maxlength=${POLL_LIMITS.question}
          aria-invalid=${question.invalid}
          aria-describedby="question-error"
          .value=${d.question}
          @input=${this.handleQuestion}
        ></textarea>
        <p class="error" id="question-error">${question.text}</p>
      </div>
      ${this.renderOptionList()} ${this.renderKind()}
      <fieldset>
        <legend>${this.t('pollDatesLegend')}</legend>
        <p class="hint muted" id="dates-hint">${this.t('pollDatesHint')}</p>
        <div class="two">
          ${this.renderDate('opensAt', 'pollOpensAt')} ${this.renderDate('closesAt', 'pollClosesAt')}
        </div>
      </fieldset>
      <div class="two">
        <div class="field">
          <label for="visibility">${this.t('pollVisibility')}</label>
          <select
            id="visibility"
            @change=${(e: Event) =>
              this.set({
                resultsVisibility: (e.target as HTMLSelectElement).value as ResultsVisibility,
              })}
          >
            ${VISIBILITY.map(
              ([value, key]) =>
                html`<option value=${value} ?selected=${d.resultsVisibility === value}>
                  ${this.t(key)}
                </option>`,
            )}
          </select>
        </div>
        ${this.renderNumber('ipCeiling', 'pollIpCeiling', 0)}
      </div>
      <div class="choice">
        <input
          id="require-proof"
          type="checkbox"
          .checked=${d.requireProof}
          @change=${(e: Event) => this.set({ requireProof: (e.target as HTMLInputElement).checked })}
        />
        <label for="require-proof">${this.t('pollRequireProof')}</label>
      </div>
      <div class="row">
        <button class="primary" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>
          ${this.busy ? this.t('pollSaving') : this.t(this.isNew ? 'pollCreate' : 'pollSave')}
        </button>
        <button type="button" @click=${this.handleCancel}>${this.t('cancel')}</button>
      </div>
    </form>`;
  }

  private renderId(): TemplateResult {
    const id = this.problem('id');
    return html`<div class="field">
      <label for="poll-id">${this.t('pollId')}</label>
      <input
        id="poll-id"
        spellcheck="false"
        autocomplete="off"
        maxlength="63"
        aria-invalid=${id.invalid}
        aria-describedby="poll-id-error poll-id-hint"
        .value=${this.draft.id}
        @input=${this.handleId}
      />
      <p class="hint muted" id="poll-id-hint">
        ${this.t('pollIdHint', { tag: `<civic-poll poll-id="${this.draft.id || '…'}">` })}
      </p>
      <p class="error" id="poll-id-error">${id.text}</p>
    </div>`;
  }

  private renderOptionList(): TemplateResult {
    const list = this.draft.options;
    const locked = this.locked;
    const whole = this.problem('options');
    return html`<fieldset aria-describedby="options-error${locked ? ' options-locked' : ''}">
      <legend>${this.t('pollOptions')}</legend>
      ${locked ? html`<p class="muted" id="options-locked">${this.t('pollLocked')}</p>` : nothing}
      <ol class="cards">
        ${repeat(
          list,
          (o) => o.key,
          (o, i) => this.renderOption(o, i, list.length, locked),
        )}
      </ol>
      <p class="error" id="options-error">${whole.text}</p>
      ${
        locked
          ? nothing
          : html`<p>
              <button
                id="add-option"
                type="button"
                aria-disabled=${list.length >= POLL_LIMITS.maxOptions ? 'true' : 'false'}
                @click=${this.handleAdd}
              >
                ${this.t('pollAddOption')}
              </button>
            </p>`
      }
    </fieldset>`;
  }

  private renderOption(o: DraftOption, i: number, n: number, locked: boolean): TemplateResult {
    const id = `option-${o.key}`;
    const problem = this.problem(id);
    const name = this.t('pollOptionLabel', { n: i + 1 });
    const action = (key: keyof ConsoleStrings) => `${this.t(key)} (${name})`;
    return html`<li class="option">
      <div class="field">
        <label for=${id}>${name}</label>
        <input
          id=${id}
          maxlength=${POLL_LIMITS.optionLabel}
          ?disabled=${locked}
          aria-invalid=${problem.invalid}
          aria-describedby=${`${id}-error`}
          .value=${o.label}
          @input=${(e: Event) => this.handleOption(o, e)}
        />
        <p class="error" id=${`${id}-error`}>${problem.text}</p>
      </div>
      ${
        locked
          ? nothing
          : html`<div class="row">
              <button
                id=${`up-${o.key}`}
                type="button"
                aria-label=${action('pollMoveUp')}
                aria-disabled=${i === 0 ? 'true' : 'false'}
                @click=${() => this.handleMove(o, -1, 'up')}
              >
                ${this.t('pollMoveUp')}
              </button>
              <button
                id=${`down-${o.key}`}
                type="button"
                aria-label=${action('pollMoveDown')}
                aria-disabled=${i === n - 1 ? 'true' : 'false'}
                @click=${() => this.handleMove(o, 1, 'down')}
              >
                ${this.t('pollMoveDown')}
              </button>
              <button
                id=${`remove-${o.key}`}
                type="button"
                aria-label=${action('pollRemoveOption')}
                @click=${() => this.handleRemove(o)}
              >
                ${this.t('pollRemoveOption')}
              </button>
            </div>`
      }
    </li>`;
  }

  private renderKind(): TemplateResult {
    const d = this.draft;
    const locked = this.locked;
    return html`<fieldset>
      <legend>${this.t('pollKind')}</legend>
      <div class="choice">
        <input
          id="kind-single"
          type="radio"
          name="kind"
          ?disabled=${locked}
          .checked=${!d.multiple}
          @change=${() => this.set({ multiple: false })}
        />
        <label for="kind-single">${this.t('pollSingle')}</label>
      </div>
      <div class="choice">
        <input
          id="kind-multiple"
          type="radio"
          name="kind"
          ?disabled=${locked}
          .checked=${d.multiple}
          @change=${() =>
            this.set({ multiple: true, maxChoices: String(Math.max(2, d.options.length)) })}
        />
        <label for="kind-multiple">${this.t('pollMultiple')}</label>
      </div>
      ${d.multiple ? this.renderNumber('maxChoices', 'pollMaxChoices', 2, locked) : nothing}
    </fieldset>`;
  }

  private renderNumber(
    name: 'maxChoices' | 'ipCeiling',
    label: keyof ConsoleStrings,
    min: number,
    disabled = false,
  ): TemplateResult {
    const problem = this.problem(name);
    return html`<div class="field">
      <label for=${name}>${this.t(label)}</label>
      <input
        id=${name}
        type="number"
        inputmode="numeric"
        min=${min}
        step="1"
        ?disabled=${disabled}
        aria-invalid=${problem.invalid}
        aria-describedby=${`${name}-error`}
        .value=${this.draft[name]}
        @input=${(e: Event) => this.set({ [name]: (e.target as HTMLInputElement).value })}
      />
      <p class="error" id=${`${name}-error`}>${problem.text}</p>
    </div>`;
  }

  private renderDate(name: 'opensAt' | 'closesAt', label: keyof ConsoleStrings): TemplateResult {
    const problem = this.problem(name);
    return html`<div class="field">
      <label for=${name}>${this.t(label)}</label>
      <input
        id=${name}
        type="datetime-local"
        aria-invalid=${problem.invalid}
        aria-describedby=${`${name}-error dates-hint`}
        .value=${this.draft[name]}
        @input=${(e: Event) => this.set({ [name]: (e.target as HTMLInputElement).value })}
      />
      <p class="error" id=${`${name}-error`}>${problem.text}</p>
    </div>`;
  }
}

CivicConsolePollForm.define('civic-console-poll-form');

declare global {
  interface HTMLElementTagNameMap {
    'civic-console-poll-form': CivicConsolePollForm;
  }
}
