import { css, html, nothing } from 'lit';
import type { PropertyDeclarations, TemplateResult } from 'lit';
import type { Role, SiteSummary } from './api.js';
import { ConsoleElement } from './console-element.js';
import { appendNew } from './load-controller.js';
import type { ConsoleStrings } from './console.strings.js';
import { screenStyles } from './console.styles.js';
import './users.strings.js';
import type { UsersStrings } from './users.strings.js';
import { usersApi, type AuditEntry } from './users-api.js';

type Key = keyof ConsoleStrings | keyof UsersStrings;

const PAGE_SIZE = 25;

/** The groups of actions the filter offers (the first word of an action), with their names. */
const GROUPS: [string, Key][] = [
  ['site', 'groupSite'],
  ['poll', 'groupPoll'],
  ['comment', 'groupComment'],
  ['comment-settings', 'groupCommentSettings'],
  ['slogan', 'groupSlogan'],
  ['link', 'groupLink'],
  ['captcha', 'groupCaptcha'],
  ['notify', 'groupNotify'],
  ['user', 'groupUser'],
  ['token', 'groupToken'],
];

/** One line of an entry's before → after table. */
interface Change {
  field: string;
  before: unknown;
  after: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The lines of before → after: for a change, the fields that differ; for a creation or a
 * deletion (one side only), every field of that side. Values that are not objects make one line.
 */
export function changesOf(before: unknown, after: unknown): Change[] {
  if (before === undefined && after === undefined) return [];
  if (!(isRecord(before) || before === undefined) || !(isRecord(after) || after === undefined))
    return [{ field: '', before, after }];
  const both = before !== undefined && after !== undefined;
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return fields
    .map((field) => ({ field, before: before?.[field], after: after?.[field] }))
    .filter((c) => !both || JSON.stringify(c.before) !== JSON.stringify(c.after));
}

/**
 * @summary The audit log: who changed what, on which site, when, and before → after.
 * @tag civic-console-audit
 *
 * The entries of the current site, newest first, a page at a time; an administrator may also
 * read every site's entries and those of no site (accounts, tokens). Filters by kind of change
 * and by who made it. Read only: the log has no delete, here or in the API.
 */
export class CivicConsoleAudit extends ConsoleElement<UsersStrings> {
  static override styles = [
    ConsoleElement.styles,
    screenStyles,
    css`
      form.filters {
        display: flex;
        flex-wrap: wrap;
        gap: var(--_space-m) var(--_space-l);
        align-items: end;
      }
      fieldset {
        border: 0;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: var(--_space-s) var(--_space-m);
      }
      legend {
        font-weight: 600;
        padding: 0;
        margin-bottom: var(--_space-s);
      }
      fieldset label {
        font-weight: 400;
      }
      .choice {
        display: flex;
        gap: var(--_space-s);
        align-items: center;
      }
      article {
        min-width: 0;
      }
      article h2 {
        margin: 0;
        font-size: 1rem;
        display: flex;
        flex-wrap: wrap;
        gap: var(--_space-s) var(--_space-m);
        align-items: baseline;
      }
      code {
        font-family: ui-monospace, monospace;
        font-size: 0.875em;
        font-weight: 400;
      }
      .meta {
        margin: 0;
        font-size: 0.875em;
        overflow-wrap: anywhere;
      }
      .scroll {
        overflow-x: auto;
      }
      td {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        vertical-align: top;
      }
      td.empty {
        color: var(--_muted);
      }
      caption {
        font-size: 0.875em;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    sites: { attribute: false },
    userRole: { attribute: 'user-role' },
    scope: { state: true },
    action: { state: true },
    actor: { state: true },
    items: { state: true },
    next: { state: true },
  };

  /** The user's sites, for their names. */
  sites: SiteSummary[] = [];
  /** The signed-in user's role: an administrator may read every site's entries. */
  userRole: Role = 'editor';

  private scope: 'site' | 'all' = 'site';
  private action = '';
  private actor = '';
  private items: AuditEntry[] = [];
  private next: string | null = null;
  private readonly loads = this.loader({
    request: (signal, more) => {
      const site = this.scope === 'all' && this.userRole === 'admin' ? undefined : this.site;
      if (!site && this.scope === 'site') return undefined;
      return usersApi.audit(
        {
          site,
          action: this.action || undefined,
          actor: this.actor || undefined,
          cursor: more ? (this.next ?? undefined) : undefined,
          limit: PAGE_SIZE,
        },
        signal,
      );
    },
    apply: (page, more) => {
      this.items = more ? appendNew(this.items, page.items) : page.items;
      this.next = page.next;
    },
  });

  /** Reloads the first page (or, with `more`, appends the next one). */
  load(more = false): Promise<void> {
    return this.loads.load(more);
  }

  private handleFilter(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    this.scope = data.get('scope') === 'all' ? 'all' : 'site';
    this.action = String(data.get('action') ?? '');
    this.actor = String(data.get('actor') ?? '').trim();
    void this.load();
  }

  private handleClear(): void {
    this.scope = 'site';
    this.action = '';
    this.actor = '';
    const form = this.renderRoot.querySelector<HTMLFormElement>('form.filters');
    form?.reset();
    void this.load();
  }

  private siteName(id: string): string {
    return this.sites.find((s) => s.id === id)?.name ?? id;
  }

  private groupOf(action: string): string | undefined {
    const group = GROUPS.find(([prefix]) => action.split('.')[0] === prefix);
    return group && this.t(group[1]);
  }

  /** A value of before → after as words: yes/no, lists joined, objects as JSON. */
  private value(v: unknown): string {
    if (v === undefined || v === null || v === '') return '';
    if (typeof v === 'boolean') return this.t(v ? 'yes' : 'no');
    if (typeof v === 'number') return this.localize.number(v);
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null))
      return v.length ? v.map((x) => this.value(x)).join(', ') : '';
    return JSON.stringify(v, null, 1);
  }

  render(): TemplateResult {
    const admin = this.userRole === 'admin';
    return html`<p class="muted">${this.t(admin ? 'auditIntro' : 'auditIntroEditor')}</p>
      ${this.renderFilters(admin)} ${this.renderList()}`;
  }

  private renderFilters(admin: boolean): TemplateResult {
    return html`<form
      class="filters panel"
      role="search"
      aria-label=${this.t('auditFilters')}
      @submit=${this.handleFilter}
    >
      ${
        admin
          ? html`<fieldset>
              <legend>${this.t('scope')}</legend>
              <div class="choice">
                <input
                  id="scope-site"
                  type="radio"
                  name="scope"
                  value="site"
                  ?checked=${this.scope === 'site'}
                />
                <label for="scope-site">${this.t('scopeSite')}</label>
              </div>
              <div class="choice">
                <input
                  id="scope-all"
                  type="radio"
                  name="scope"
                  value="all"
                  ?checked=${this.scope === 'all'}
                />
                <label for="scope-all">${this.t('scopeAll')}</label>
              </div>
            </fieldset>`
          : nothing
      }
      <div class="field">
        <label for="action">${this.t('filterAction')}</label>
        <select id="action" name="action">
          <option value="" ?selected=${!this.action}>${this.t('allActions')}</option>
          ${GROUPS.filter(([g]) => admin || (g !== 'user' && g !== 'token')).map(
            ([group, label]) =>
              html`<option value=${group} ?selected=${this.action === group}>
                ${this.t(label)}
              </option>`,
          )}
        </select>
      </div>
      <div class="field">
        <label for="actor">${this.t('filterActor')}</label>
        <input
          id="actor"
          name="actor"
          type="text"
          autocomplete="off"
          spellcheck="false"
          maxlength="254"
          aria-describedby="actor-hint"
          .value=${this.actor}
        />
        <p class="muted" id="actor-hint">${this.t('filterActorHint')}</p>
      </div>
      <div class="row">
        <button class="primary" type="submit">${this.t('applyFilter')}</button>
        <button type="button" @click=${this.handleClear}>${this.t('clearFilter')}</button>
      </div>
    </form>`;
  }

  private renderList(): TemplateResult {
    const state = this.renderLoadState(this.loads, this.items.length > 0);
    if (state) return state;
    if (!this.items.length) return html`<p>${this.t('noEntries')}</p>`;
    return html`<ol class="cards" aria-label=${this.t('navAudit')} aria-busy=${this.loads.loading ? 'true' : 'false'}>
        ${this.items.map((e) => html`<li>${this.renderEntry(e)}</li>`)}
      </ol>
      ${this.renderLoadMore(this.loads, this.next)}`;
  }

  private renderEntry(e: AuditEntry): TemplateResult {
    const group = this.groupOf(e.action);
    const when = this.localize.date(e.at, { dateStyle: 'medium', timeStyle: 'medium' });
    const changes = changesOf(e.before, e.after);
    return html`<article class="card" data-id=${e.id} aria-labelledby=${`entry-${e.id}`}>
      <h2 id=${`entry-${e.id}`}>
        ${group ? html`<span>${group}</span> ` : nothing}<code>${e.action}</code>
      </h2>
      <p class="meta">
        <time datetime=${e.at}>${when}</time> · ${this.t('auditWho')}:
        <strong class="actor">${e.actor}</strong> · ${this.t('auditSite')}:
        <span class="site">${e.site ? this.siteName(e.site) : this.t('noSite')}</span>
        ${
          e.target
            ? html` · ${this.t('auditTarget')}: <code class="target">${e.target}</code>`
            : nothing
        }
      </p>
      ${changes.length ? this.renderChanges(e, changes) : nothing}
    </article>`;
  }

  private renderChanges(e: AuditEntry, changes: Change[]): TemplateResult {
    const cell = (v: unknown) => {
      const text = this.value(v);
      return text ? html`<td>${text}</td>` : html`<td class="empty">${this.t('emptyValue')}</td>`;
    };
    return html`<div class="scroll">
      <table class="changes">
        <caption>
          ${this.t('changesCaption')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${this.t('colField')}</th>
            <th scope="col">${this.t('colBefore')}</th>
            <th scope="col">${this.t('colAfter')}</th>
          </tr>
        </thead>
        <tbody>
          ${changes.map(
            (c) =>
              html`<tr>
                <th scope="row"><code>${c.field || e.action}</code></th>
                ${cell(c.before)} ${cell(c.after)}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

CivicConsoleAudit.define('civic-console-audit');

declare global {
  interface HTMLElementTagNameMap {
    'civic-console-audit': CivicConsoleAudit;
  }
}
