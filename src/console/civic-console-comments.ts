import { css, html, nothing } from 'lit';
import type { PropertyDeclarations, TemplateResult } from 'lit';
import { api, type AdminComment, type BulkAction, type CommentStatus } from './api.js';
import { ConsoleElement, toggled, withEntry } from './console-element.js';
import { appendNew } from './load-controller.js';
import type { ConsoleStrings } from './console.strings.js';
import { screenStyles } from './console.styles.js';

type Filter = CommentStatus | 'all';
type Key = keyof ConsoleStrings;

const PAGE_SIZE = 20;
const FILTERS: [Filter, Key][] = [
  ['pending', 'statusPending'],
  ['approved', 'statusApproved'],
  ['rejected', 'statusRejected'],
  ['all', 'statusAll'],
];
const STATUS_LABEL: Record<CommentStatus, Key> = {
  pending: 'statusPending',
  approved: 'statusApproved',
  rejected: 'statusRejected',
};
/** The keyboard shortcuts, as listed on the page. */
const SHORTCUTS: [string, Key][] = [
  ['j', 'keyNext'],
  ['k', 'keyPrevious'],
  ['x', 'keySelect'],
  ['a', 'keyApprove'],
  ['r', 'keyReject'],
  ['e', 'keyReply'],
  ['Delete', 'keyDelete'],
  ['/', 'keySearch'],
];

/**
 * @summary The comment moderation queue of a site.
 * @tag civic-console-comments
 *
 * Waiting comments first (the default filter), then approved, rejected or all; search; per
 * comment approve, reject, the agency's official reply, delete (confirmed), and banning the
 * network it came from; bulk approve / reject of the selected comments. Every change shows at
 * once and is undone with a message if the server refuses it. Comments are plain text (text
 * bindings only). Single-key shortcuts (listed on the page) work only while a comment of the
 * list has the focus, so they never catch typing elsewhere (WCAG 2.1.4).
 */
export class CivicConsoleComments extends ConsoleElement {
  static override styles = [
    ConsoleElement.styles,
    screenStyles,
    css`
      form[role='search'] {
        flex: 1 1 22rem;
        flex-wrap: nowrap;
      }
      form[role='search'] input {
        flex: 1;
        min-width: 0;
      }
      [aria-pressed='true'] {
        color: var(--_surface);
        background: var(--_primary);
        border-color: var(--_primary);
      }
      .card {
        border-inline-start-width: 4px;
      }
      article.pending {
        border-inline-start-color: var(--_primary);
      }
      article:focus-visible {
        outline-offset: 1px;
      }
      article h2 {
        margin: 0;
        font-size: 1rem;
      }
      .text {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .title {
        font-weight: 700;
      }
      .meta {
        font-size: 0.875em;
        overflow-wrap: anywhere;
      }
      .reply {
        border-inline-start: 3px solid var(--_border);
        padding-inline-start: var(--_space-m);
      }
      textarea {
        width: 100%;
        min-height: 6rem;
      }
      .bulk {
        position: sticky;
        top: 0;
        z-index: 1;
        background: var(--_surface);
        padding: var(--_space-s) 0;
      }
      dl.keys {
        margin-top: var(--_space-m);
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: var(--_space-s) var(--_space-m);
        margin-bottom: 0;
      }
      dl.keys dd {
        margin: 0;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    filter: { state: true },
    query: { state: true },
    items: { state: true },
    total: { state: true },
    next: { state: true },
    bulkError: { state: true },
    selected: { state: true },
    busy: { state: true },
    errors: { state: true },
    replying: { state: true },
    replyError: { state: true },
    confirming: { state: true },
    active: { state: true },
  };

  private filter: Filter = 'pending';
  private query = '';
  private items: AdminComment[] = [];
  private total = 0;
  private next: string | null = null;
  private bulkError = '';
  private selected = new Set<string>();
  private busy = new Set<string>();
  /** Per comment: why the last action on it failed. */
  private errors = new Map<string, string>();
  /** The comment whose reply is being edited. */
  private replying?: string;
  private replyError = '';
  /** The comment whose deletion waits for confirmation. */
  private confirming?: string;
  /** Index of the comment that takes the focus in the list (roving tabindex). */
  private active = 0;
  /** Comments deleted since the page was loaded (not in `total` any more). */
  private deleted = 0;
  private readonly loads = this.loader({
    request: (signal, more) =>
      this.site
        ? api.comments(
            this.site,
            {
              status: this.filter === 'all' ? undefined : this.filter,
              q: this.query || undefined,
              cursor: more ? (this.next ?? undefined) : undefined,
              limit: PAGE_SIZE,
            },
            signal,
          )
        : undefined,
    apply: (page, more) => {
      if (more) {
        this.items = appendNew(this.items, page.items);
      } else {
        this.items = page.items;
        this.selected = new Set();
        this.errors = new Map();
        this.active = 0;
        this.deleted = 0;
        this.replying = this.confirming = undefined;
      }
      this.total = page.total;
      this.next = page.next;
    },
  });

  /** Reloads the first page (or, with `more`, appends the next one). */
  load(more = false): Promise<void> {
    return this.loads.load(more);
  }

  /** Comments matching the filter, after the changes made here. */
  private get shown(): number {
    const left = this.items.filter((c) => this.filter !== 'all' && c.status !== this.filter);
    return Math.max(0, this.total - this.deleted - left.length);
  }

  private article(id: string): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`article[data-id="${id}"]`);
  }

  private async focusItem(index: number): Promise<void> {
    const i = Math.min(Math.max(index, 0), this.items.length - 1);
    const c = this.items[i];
    if (!c) return;
    this.active = i;
    await this.updateComplete;
    this.article(c.id)?.focus();
  }

  /** Replaces the comment with the same id (keeping its place). */
  private put(c: AdminComment): void {
    this.items = this.items.map((x) => (x.id === c.id ? c : x));
  }

  private setBusy(id: string, on: boolean): void {
    this.busy = toggled(this.busy, id, on);
  }

  private setError(id: string, message?: string): void {
    this.errors = withEntry(this.errors, id, message);
    if (message) this.announce(message);
  }

  /**
   * Shows `optimistic` at once, then runs `work`; on failure puts the comment back as it was and
   * says why. Resolves with whether the server accepted it.
   */
  private async change(
    c: AdminComment,
    optimistic: AdminComment,
    work: () => Promise<AdminComment | undefined>,
    done: Key,
  ): Promise<boolean> {
    if (this.busy.has(c.id)) return false;
    this.setBusy(c.id, true);
    this.setError(c.id);
    this.put(optimistic);
    try {
      const fresh = await work();
      this.put(fresh ?? optimistic);
      this.announce(this.t(done, { name: c.name }));
      return true;
    } catch (e) {
      this.put(c);
      this.setError(c.id, this.messageFor(e));
      return false;
    } finally {
      this.setBusy(c.id, false);
    }
  }

  private setStatus(c: AdminComment, action: 'approve' | 'reject'): Promise<boolean> {
    const status = action === 'approve' ? 'approved' : 'rejected';
    if (c.status === status) return Promise.resolve(false);
    return this.change(
      c,
      { ...c, status },
      () => api.setStatus(this.site!, c.id, action),
      action === 'approve' ? 'approvedOne' : 'rejectedOne',
    );
  }

  private toggleBan(c: AdminComment): Promise<boolean> {
    const site = this.site!;
    return this.change(
      c,
      { ...c, banned: !c.banned },
      async () => {
        if (c.banned) await api.unban(site, c.id);
        else await api.ban(site, c.id);
        return undefined;
      },
      c.banned ? 'unbannedOne' : 'bannedOne',
    );
  }

  private async openReply(c: AdminComment): Promise<void> {
    this.replying = c.id;
    this.replyError = '';
    await this.focusOn(`#reply-${c.id}`);
  }

  private async closeReply(c: AdminComment): Promise<void> {
    this.replying = undefined;
    this.replyError = '';
    await this.updateComplete;
    this.article(c.id)?.focus();
  }

  private async saveReply(c: AdminComment, e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const field = this.renderRoot.querySelector<HTMLTextAreaElement>(`#reply-${c.id}`)!;
    const content = field.value.trim();
    if (!content) {
      this.replyError = this.t('replyRequired');
      field.focus();
      return;
    }
    this.replyError = '';
    const ok = await this.change(
      c,
      { ...c, reply: { content, createdAt: new Date().toISOString() } },
      () => api.setReply(this.site!, c.id, content),
      'replySaved',
    );
    if (ok) await this.closeReply(c);
  }

  private async removeReply(c: AdminComment): Promise<void> {
    const { reply: _, ...without } = c;
    const ok = await this.change(
      c,
      without,
      () => api.removeReply(this.site!, c.id),
      'replyRemoved',
    );
    if (ok) await this.closeReply(c);
  }

  private async askDelete(c: AdminComment): Promise<void> {
    this.confirming = c.id;
    await this.focusOn(`#confirm-${c.id}`);
  }

  private async cancelDelete(c: AdminComment): Promise<void> {
    this.confirming = undefined;
    await this.updateComplete;
    this.article(c.id)?.focus();
  }

  private async deleteComment(c: AdminComment): Promise<void> {
    if (this.busy.has(c.id)) return;
    const index = this.items.findIndex((x) => x.id === c.id);
    this.confirming = undefined;
    this.setBusy(c.id, true);
    this.items = this.items.filter((x) => x.id !== c.id);
    const selected = new Set(this.selected);
    selected.delete(c.id);
    this.selected = selected;
    this.deleted++;
    void this.focusItem(index);
    try {
      await api.deleteComment(this.site!, c.id);
      this.announce(this.t('deletedOne', { name: c.name }));
    } catch (e) {
      this.deleted--;
      const items = [...this.items];
      items.splice(index, 0, c);
      this.items = items;
      this.setError(c.id, this.messageFor(e));
      void this.focusItem(index);
    } finally {
      this.setBusy(c.id, false);
    }
  }

  private async bulk(action: Exclude<BulkAction, 'delete'>): Promise<void> {
    const ids = this.items.filter((c) => this.selected.has(c.id)).map((c) => c.id);
    if (!ids.length) return;
    const status = action === 'approve' ? 'approved' : 'rejected';
    const before = this.items;
    this.bulkError = '';
    this.items = before.map((c) => (this.selected.has(c.id) ? { ...c, status } : c));
    ids.forEach((id) => this.setBusy(id, true));
    try {
      const { changed } = await api.bulk(this.site!, action, ids);
      this.selected = new Set();
      this.announce(
        this.t(action === 'approve' ? 'bulkApproved' : 'bulkRejected', { count: changed }),
      );
    } catch (e) {
      this.items = before;
      this.bulkError = this.messageFor(e);
      this.announce(this.bulkError);
    } finally {
      ids.forEach((id) => this.setBusy(id, false));
    }
  }

  private handleFilter(filter: Filter): void {
    if (filter === this.filter) return;
    this.filter = filter;
    void this.load();
  }

  private handleSearch(e: SubmitEvent): void {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('q') as HTMLInputElement;
    this.query = input.value.trim();
    void this.load();
  }

  private handleSelect(c: AdminComment): void {
    const selected = new Set(this.selected);
    if (selected.has(c.id)) selected.delete(c.id);
    else selected.add(c.id);
    this.selected = selected;
  }

  private handleSelectAll(e: Event): void {
    const on = (e.target as HTMLInputElement).checked;
    this.selected = new Set(on ? this.items.map((c) => c.id) : []);
  }

  private handleFocusIn(e: FocusEvent): void {
    const article = (e.target as HTMLElement).closest<HTMLElement>('article[data-id]');
    const index = this.items.findIndex((c) => c.id === article?.dataset.id);
    if (index >= 0) this.active = index;
  }

  /** The shortcuts; only while the focus is in the list, never while typing in a field. */
  private handleKeydown(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    const target = e.composedPath()[0] as HTMLElement;
    const article = target.closest<HTMLElement>('article[data-id]');
    const index = this.items.findIndex((c) => c.id === article?.dataset.id);
    const c = this.items[index];
    if (!c) return;
    if (target.matches('textarea, input:not([type="checkbox"]), select')) {
      if (e.key === 'Escape' && this.replying === c.id) void this.closeReply(c);
      return;
    }
    const advance = async (ok: boolean) => {
      if (ok) await this.focusItem(index + 1);
    };
    switch (e.key) {
      case 'j':
        void this.focusItem(index + 1);
        break;
      case 'k':
        void this.focusItem(index - 1);
        break;
      case 'x':
        this.handleSelect(c);
        break;
      case 'a':
        void this.setStatus(c, 'approve').then(advance);
        break;
      case 'r':
        void this.setStatus(c, 'reject').then(advance);
        break;
      case 'e':
        void this.openReply(c);
        break;
      case 'Delete':
        void this.askDelete(c);
        break;
      case '/':
        this.renderRoot.querySelector<HTMLInputElement>('#search')?.focus();
        break;
      case 'Escape':
        if (this.confirming === c.id) void this.cancelDelete(c);
        else return;
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  render(): TemplateResult {
    const count = this.items.filter((c) => this.selected.has(c.id)).length;
    return html`<p class="muted">${this.t('commentsIntro')}</p>
      <div class="row">
        <div class="row" role="group" aria-label=${this.t('statusFilter')}>
          ${FILTERS.map(
            ([filter, label]) =>
              html`<button
                type="button"
                aria-pressed=${this.filter === filter ? 'true' : 'false'}
                @click=${() => this.handleFilter(filter)}
              >
                ${this.t(label)}
              </button>`,
          )}
        </div>
        <form role="search" class="row" @submit=${this.handleSearch}>
          <label for="search" class="visually-hidden">${this.t('search')}</label>
          <input
            id="search"
            name="q"
            type="search"
            .value=${this.query}
            placeholder=${this.t('search')}
          />
          <button type="submit">${this.t('searchButton')}</button>
        </form>
      </div>
      <div class="bulk row">
        <input
          id="select-all"
          type="checkbox"
          .checked=${count > 0 && count === this.items.length}
          .indeterminate=${count > 0 && count < this.items.length}
          ?disabled=${!this.items.length}
          @change=${this.handleSelectAll}
        />
        <label for="select-all">${this.t('selectAll')}</label>
        <span class="muted" aria-live="polite"
          >${count ? this.t('selectedCount', { count }) : nothing}</span
        >
        <button type="button" ?disabled=${!count} @click=${() => this.bulk('approve')}>
          ${this.t('approveSelected')}
        </button>
        <button type="button" ?disabled=${!count} @click=${() => this.bulk('reject')}>
          ${this.t('rejectSelected')}
        </button>
        <span class="muted">${this.t('commentCount', { count: this.shown })}</span>
      </div>
      ${this.bulkError ? html`<p class="error" role="alert">${this.bulkError}</p>` : nothing}
      ${this.renderList()} ${this.renderShortcuts()}`;
  }

  private renderList(): TemplateResult {
    const state = this.renderLoadState(this.loads, this.items.length > 0);
    if (state) return state;
    if (!this.items.length) return html`<p>${this.t('noComments')}</p>`;
    return html`<ol
        class="cards"
        aria-label=${this.t('navComments')}
        aria-busy=${this.loads.loading ? 'true' : 'false'}
        @keydown=${this.handleKeydown}
        @focusin=${this.handleFocusIn}
      >
        ${this.items.map((c, i) => html`<li>${this.renderComment(c, i)}</li>`)}
      </ol>
      ${this.renderLoadMore(this.loads, this.next)}`;
  }

  private renderComment(c: AdminComment, i: number): TemplateResult {
    const id = c.id;
    const busy = this.busy.has(id);
    const error = this.errors.get(id);
    const date = this.localize.date(c.createdAt, { dateStyle: 'medium', timeStyle: 'short' });
    return html`<article
      data-id=${id}
      class=${`card ${c.status}`}
      tabindex=${i === this.active ? '0' : '-1'}
      aria-labelledby=${`name-${id}`}
      aria-describedby=${`status-${id}`}
      aria-busy=${busy ? 'true' : 'false'}
    >
      <div class="row">
        <input
          id=${`select-${id}`}
          type="checkbox"
          .checked=${this.selected.has(id)}
          aria-label=${this.t('selectComment', { name: c.name })}
          @change=${() => this.handleSelect(c)}
        />
        <h2 id=${`name-${id}`}>${c.name}</h2>
        <span class="badge" id=${`status-${id}`}>${this.t(STATUS_LABEL[c.status])}</span>
        <time class="muted" datetime=${c.createdAt}>${date}</time>
      </div>
      <p class="meta muted">${this.t('onPage')}: ${c.thread} · ${this.t('from')}: ${c.email}</p>
      ${c.title ? html`<p class="title">${c.title}</p>` : nothing}
      <p class="text">${c.content}</p>
      ${c.banned ? html`<p><strong>${this.t('bannedNote')}</strong></p>` : nothing}
      ${
        c.reply && this.replying !== id
          ? html`<div class="reply">
              <p><strong>${this.t('officialReply')}</strong></p>
              <p class="text">${c.reply.content}</p>
            </div>`
          : nothing
      }
      ${this.replying === id ? this.renderReplyForm(c, busy) : nothing}
      ${error ? html`<p class="error" role="alert">${error}</p>` : nothing}
      ${
        this.confirming === id
          ? this.renderConfirm({
              id: `confirm-${id}`,
              confirm: this.t('confirmDelete'),
              onConfirm: () => this.deleteComment(c),
              onCancel: () => this.cancelDelete(c),
            })
          : this.renderActions(c, busy)
      }
    </article>`;
  }

  private renderActions(c: AdminComment, busy: boolean): TemplateResult {
    const disabled = busy ? 'true' : 'false';
    return html`<div class="row">
      ${
        c.status !== 'approved'
          ? html`<button
              class="primary"
              type="button"
              aria-disabled=${disabled}
              @click=${() => this.setStatus(c, 'approve')}
            >
              ${this.t('approve')}
            </button>`
          : nothing
      }
      ${
        c.status !== 'rejected'
          ? html`<button
              type="button"
              aria-disabled=${disabled}
              @click=${() => this.setStatus(c, 'reject')}
            >
              ${this.t('reject')}
            </button>`
          : nothing
      }
      ${
        this.replying === c.id
          ? nothing
          : html`<button type="button" aria-disabled=${disabled} @click=${() => this.openReply(c)}>
              ${this.t(c.reply ? 'editReply' : 'reply')}
            </button>`
      }
      <button type="button" aria-disabled=${disabled} @click=${() => this.toggleBan(c)}>
        ${this.t(c.banned ? 'unban' : 'ban')}
      </button>
      <button type="button" aria-disabled=${disabled} @click=${() => this.askDelete(c)}>
        ${this.t('deleteComment')}
      </button>
    </div>`;
  }

  private renderReplyForm(c: AdminComment, busy: boolean): TemplateResult {
    const id = c.id;
    return html`<form class="field" @submit=${(e: SubmitEvent) => this.saveReply(c, e)}>
      <label for=${`reply-${id}`}>${this.t('replyLabel')}</label>
      <textarea
        id=${`reply-${id}`}
        maxlength="3000"
        aria-invalid=${this.replyError ? 'true' : 'false'}
        aria-describedby=${`reply-error-${id}`}
        .value=${c.reply?.content ?? ''}
      ></textarea>
      <p class="error" id=${`reply-error-${id}`}>${this.replyError}</p>
      <div class="row">
        <button class="primary" type="submit" aria-disabled=${busy ? 'true' : 'false'}>
          ${this.t('saveReply')}
        </button>
        ${
          c.reply
            ? html`<button type="button" @click=${() => this.removeReply(c)}>
                ${this.t('removeReply')}
              </button>`
            : nothing
        }
        <button type="button" @click=${() => this.closeReply(c)}>${this.t('cancel')}</button>
      </div>
    </form>`;
  }

  private renderShortcuts(): TemplateResult {
    return html`<section aria-labelledby="keys-heading" class="panel">
      <h2 id="keys-heading">${this.t('shortcutsTitle')}</h2>
      <p class="muted">${this.t('shortcutsIntro')}</p>
      <dl class="keys">
        ${SHORTCUTS.map(
          ([key, label]) =>
            html`<dt><kbd>${key}</kbd></dt>
              <dd>${this.t(label)}</dd>`,
        )}
      </dl>
    </section>`;
  }
}

CivicConsoleComments.define('civic-console-comments');

declare global {
  interface HTMLElementTagNameMap {
    'civic-console-comments': CivicConsoleComments;
  }
}
