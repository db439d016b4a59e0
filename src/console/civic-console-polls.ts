import { css, html, nothing } from 'lit';
import type { PropertyDeclarations, PropertyValues, TemplateResult } from 'lit';
import type { PollStatus } from '../shared/polls.js';
import { api, type AdminPoll } from './api.js';
import './civic-console-poll-form.js';
import './civic-console-poll-results.js';
import { ConsoleElement, toggled, withEntry } from './console-element.js';
import type { ConsoleStrings } from './console.strings.js';
import { screenStyles } from './console.styles.js';

type View = { kind: 'list' } | { kind: 'edit'; poll?: AdminPoll } | { kind: 'results'; id: string };

const STATUS_LABEL: Record<PollStatus, keyof ConsoleStrings> = {
  open: 'pollStatusOpen',
  upcoming: 'pollStatusUpcoming',
  closed: 'pollStatusClosed',
};

/**
 * @summary The polls of a site: the list (status, dates, voters), a new poll, editing, opening
 * and closing now, deleting (confirmed), and a poll's live results with its CSV downloads.
 * @tag civic-console-polls
 *
 * One view at a time — the list, the form or the results — and each change of view moves the
 * focus to its heading; leaving the form or the results returns it to the poll's card.
 */
export class CivicConsolePolls extends ConsoleElement {
  static override styles = [
    ConsoleElement.styles,
    screenStyles,
    css`
      .card {
        border-inline-start-width: 4px;
      }
      article.open {
        border-inline-start-color: var(--_primary);
      }
      article h2 {
        margin: 0;
        font-size: 1rem;
        overflow-wrap: anywhere;
      }
      article p {
        margin: 0;
      }
      .meta {
        font-size: 0.875em;
      }
      h2:focus {
        outline: none;
      }
      h2:focus-visible {
        outline: 2px solid var(--_primary);
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    items: { state: true },
    view: { state: true },
    busy: { state: true },
    errors: { state: true },
    confirming: { state: true },
  };

  private items: AdminPoll[] = [];
  private view: View = { kind: 'list' };
  private busy = new Set<string>();
  /** Per poll: why the last action on it failed. */
  private errors = new Map<string, string>();
  /** The poll whose deletion waits for confirmation. */
  private confirming?: string;
  private readonly loads = this.loader({
    request: (signal) => (this.site ? api.polls(this.site, signal) : undefined),
    apply: (items) => {
      this.items = items;
      this.errors = new Map();
      this.confirming = undefined;
    },
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    // (The list loads again then: `loads`.)
    if (changed.has('site')) this.view = { kind: 'list' };
  }

  /** Reloads the list. */
  load(): Promise<void> {
    return this.loads.load();
  }

  private async show(view: View): Promise<void> {
    this.view = view;
    this.confirming = undefined;
    await this.focusOn('#view-heading');
  }

  /** Back to the list, the focus on the poll's card (or the new-poll button). */
  private async showList(id?: string): Promise<void> {
    // Votes came in while the results or the form were shown.
    if (this.view.kind !== 'list') void this.load();
    this.view = { kind: 'list' };
    await this.focusOn(id && this.items.some((p) => p.id === id) ? `#poll-${id}` : '#new-poll');
  }

  private put(poll: AdminPoll): void {
    const known = this.items.some((p) => p.id === poll.id);
    this.items = known
      ? this.items.map((p) => (p.id === poll.id ? poll : p))
      : [poll, ...this.items];
  }

  private setBusy(id: string, on: boolean): void {
    this.busy = toggled(this.busy, id, on);
  }

  private setError(id: string, message?: string): void {
    this.errors = withEntry(this.errors, id, message);
    if (message) this.announce(message);
  }

  private async handleSaved(e: CustomEvent<AdminPoll>): Promise<void> {
    const isNew = this.view.kind === 'edit' && !this.view.poll;
    const poll = e.detail;
    this.put(poll);
    this.announce(this.t(isNew ? 'pollCreated' : 'pollSaved', { question: poll.question }));
    await this.showList(poll.id);
  }

  private async setOpen(p: AdminPoll, open: boolean): Promise<void> {
    if (this.busy.has(p.id)) return;
    this.setBusy(p.id, true);
    this.setError(p.id);
    try {
      const fresh = await api.setPollOpen(this.site!, p.id, open);
      this.put(fresh);
      this.announce(this.t(open ? 'pollOpened' : 'pollClosed', { question: p.question }));
      // The button just pressed is replaced by its opposite: keep the focus there.
      await this.focusOn(`#toggle-${p.id}`);
    } catch (e) {
      this.setError(p.id, this.messageFor(e));
    } finally {
      this.setBusy(p.id, false);
    }
  }

  private async askDelete(p: AdminPoll): Promise<void> {
    this.confirming = p.id;
    await this.focusOn(`#confirm-${p.id}`);
  }

  private async cancelDelete(p: AdminPoll): Promise<void> {
    this.confirming = undefined;
    await this.focusOn(`#delete-${p.id}`);
  }

  private async deletePoll(p: AdminPoll): Promise<void> {
    if (this.busy.has(p.id)) return;
    this.setBusy(p.id, true);
    this.setError(p.id);
    try {
      await api.deletePoll(this.site!, p.id);
      const index = this.items.findIndex((x) => x.id === p.id);
      this.items = this.items.filter((x) => x.id !== p.id);
      this.confirming = undefined;
      this.announce(this.t('pollDeleted', { question: p.question }));
      const next = this.items[Math.min(index, this.items.length - 1)];
      await this.focusOn(next ? `#poll-${next.id}` : '#new-poll');
    } catch (e) {
      this.confirming = undefined;
      this.setError(p.id, this.messageFor(e));
      await this.focusOn(`#delete-${p.id}`);
    } finally {
      this.setBusy(p.id, false);
    }
  }

  render(): TemplateResult {
    const v = this.view;
    if (v.kind === 'edit') {
      return html`<section aria-labelledby="view-heading">
        <h2 id="view-heading" tabindex="-1">
          ${v.poll ? `${this.t('pollFormEdit')}: ${v.poll.question}` : this.t('pollFormNew')}
        </h2>
        <civic-console-poll-form
          site=${this.site!}
          .poll=${v.poll}
          @civic-poll-saved=${this.handleSaved}
          @civic-poll-cancel=${() => this.showList(v.poll?.id)}
        ></civic-console-poll-form>
      </section>`;
    }
    if (v.kind === 'results') {
      const poll = this.items.find((p) => p.id === v.id);
      return html`<p>
          <button type="button" @click=${() => this.showList(v.id)}>${this.t('backToPolls')}</button>
        </p>
        <section aria-labelledby="view-heading">
          <h2 id="view-heading" tabindex="-1">${this.t('pollResultsTitle')}</h2>
          <civic-console-poll-results
            site=${this.site!}
            poll-id=${v.id}
            .poll=${poll}
          ></civic-console-poll-results>
        </section>`;
    }
    return html`<p class="muted">${this.t('pollsIntro')}</p>
      <p>
        <button id="new-poll" class="primary" type="button" @click=${() => this.show({ kind: 'edit' })}>
          ${this.t('newPoll')}
        </button>
      </p>
      ${this.renderList()}`;
  }

  private renderList(): TemplateResult {
    const state = this.renderLoadState(this.loads, this.items.length > 0);
    if (state) return state;
    if (!this.items.length) return html`<p>${this.t('noPolls')}</p>`;
    return html`<ul class="polls cards" aria-label=${this.t('pollList')}>
      ${this.items.map((p) => html`<li>${this.renderPoll(p)}</li>`)}
    </ul>`;
  }

  private renderPoll(p: AdminPoll): TemplateResult {
    const id = p.id;
    const busy = this.busy.has(id) ? 'true' : 'false';
    const error = this.errors.get(id);
    const date = (iso: string | null) =>
      iso
        ? this.localize.date(iso, { dateStyle: 'medium', timeStyle: 'short' })
        : this.t('pollNotSet');
    const about = `question-${id}`;
    return html`<article
      id=${`poll-${id}`}
      class=${`card ${p.status}`}
      tabindex="-1"
      aria-labelledby=${about}
      aria-busy=${busy}
    >
      <div class="row">
        <h2 id=${about}>${p.question}</h2>
        <span class="badge">${this.t(STATUS_LABEL[p.status])}</span>
      </div>
      <p class="meta muted">
        ${this.t('pollDates', { opens: date(p.opensAt), closes: date(p.closesAt) })}
      </p>
      <p class="meta muted">${this.t('pollId')}: <code>${id}</code></p>
      <p>${this.t('pollVoters', { count: p.voters })}</p>
      ${error ? html`<p class="error" role="alert">${error}</p>` : nothing}
      ${
        this.confirming === id
          ? this.renderConfirm({
              id: `confirm-${id}`,
              question: this.t('pollDeleteConfirm', { count: p.voters }),
              confirm: this.t('confirmDelete'),
              describedBy: about,
              busy: this.busy.has(id),
              onConfirm: () => this.deletePoll(p),
              onCancel: () => this.cancelDelete(p),
            })
          : html`<div class="row">
              <button
                class="primary"
                type="button"
                aria-describedby=${about}
                @click=${() => this.show({ kind: 'results', id })}
              >
                ${this.t('pollResults')}
              </button>
              <button
                type="button"
                aria-describedby=${about}
                @click=${() => this.show({ kind: 'edit', poll: p })}
              >
                ${this.t('pollEdit')}
              </button>
              <button
                id=${`toggle-${id}`}
                type="button"
                aria-describedby=${about}
                aria-disabled=${busy}
                @click=${() => this.setOpen(p, p.status !== 'open')}
              >
                ${this.t(p.status === 'open' ? 'pollCloseNow' : 'pollOpenNow')}
              </button>
              <button
                id=${`delete-${id}`}
                type="button"
                aria-describedby=${about}
                aria-disabled=${busy}
                @click=${() => this.askDelete(p)}
              >
                ${this.t('pollDelete')}
              </button>
            </div>`
      }
    </article>`;
  }
}

CivicConsolePolls.define('civic-console-polls');

declare global {
  interface HTMLElementTagNameMap {
    'civic-console-polls': CivicConsolePolls;
  }
}
