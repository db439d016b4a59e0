import { css, html, nothing } from 'lit';
import type { PropertyDeclarations, PropertyValues, TemplateResult } from 'lit';
import { api, type AdminPoll, type DailyVisits, type SiteSummary } from './api.js';
import './civic-console-chart.js';
import { ConsoleElement } from './console-element.js';
import { screenStyles } from './console.styles.js';

interface SiteFigures {
  visits: DailyVisits;
  pending: number;
  openPolls: AdminPoll[];
}

/** Sites whose figures the "your sites" table loads at once. */
const SUMMARY_CONCURRENCY = 4;

/**
 * @summary Overview of a site: visits today / this month / in all, a 30-day chart, comments
 * waiting and open polls; with several sites, every site's visits in a table.
 * @tag civic-console-overview
 */
export class CivicConsoleOverview extends ConsoleElement {
  static override styles = [
    ConsoleElement.styles,
    screenStyles,
    css`
      .figures {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr));
        gap: var(--_space-m);
        margin: 0;
      }
      .figures > div {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: var(--_space-m) var(--_space-l);
      }
      dt {
        color: var(--_muted);
      }
      dd {
        margin: 0;
        font-size: 1.75rem;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
      .more {
        display: block;
        font-size: 1rem;
        font-weight: 400;
      }
      ul.polls {
        margin: 0;
        padding-inline-start: 1.25rem;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    sites: { attribute: false },
    figures: { state: true },
    error: { state: true },
    summary: { state: true },
  };

  /** Every site of the user, for the "your sites" table (shown when there are several). */
  sites: SiteSummary[] = [];

  private figures?: SiteFigures;
  private error = '';
  private summary = new Map<string, DailyVisits | string>();
  private loads?: AbortController;
  private summaryLoads?: AbortController;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.loads?.abort();
    this.summaryLoads?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Here, not in `updated()`: what `load()` sets at once joins this update.
    if (changed.has('site')) void this.load();
    if (changed.has('sites')) void this.loadSummary();
  }

  /** Reloads the figures of the site. */
  async load(): Promise<void> {
    this.loads?.abort();
    const site = this.site;
    this.figures = undefined;
    this.error = '';
    if (!site) return;
    const loads = (this.loads = new AbortController());
    const { signal } = loads;
    try {
      const [visits, pending, polls] = await Promise.all([
        api.dailyVisits(site, 30, signal),
        api.comments(site, { status: 'pending', limit: 1 }, signal),
        api.polls(site, signal),
      ]);
      if (signal.aborted) return;
      this.figures = {
        visits,
        pending: pending.total,
        openPolls: polls.filter((p) => p.status === 'open'),
      };
    } catch (e) {
      if (signal.aborted) return;
      this.error = this.messageFor(e);
      this.announce(this.error);
    }
  }

  /** Loads every site's visits for the table, a few at a time. */
  private async loadSummary(): Promise<void> {
    this.summaryLoads?.abort();
    const sites = this.sites.length > 1 ? this.sites : [];
    const { signal } = (this.summaryLoads = new AbortController());
    this.summary = new Map();
    const queue = [...sites];
    const worker = async () => {
      for (let s = queue.shift(); s && !signal.aborted; s = queue.shift()) {
        let value: DailyVisits | string;
        try {
          value = await api.dailyVisits(s.id, 1, signal);
        } catch (e) {
          value = this.messageFor(e);
        }
        if (signal.aborted) return;
        this.summary = new Map(this.summary).set(s.id, value);
      }
    };
    await Promise.all(Array.from({ length: SUMMARY_CONCURRENCY }, worker));
  }

  render(): TemplateResult {
    const f = this.figures;
    if (this.error) {
      return html`<div role="alert">
          <p class="error">${this.error}</p>
        </div>
        <p><button type="button" @click=${this.load}>${this.t('retry')}</button></p>`;
    }
    if (!f) return this.renderLoading();
    const n = (v: number) => this.localize.number(v);
    return html`<dl class="figures">
        <div>
          <dt>${this.t('overviewToday')}</dt>
          <dd>${n(f.visits.today)}</dd>
        </div>
        <div>
          <dt>${this.t('overviewMonth')}</dt>
          <dd>${n(f.visits.month)}</dd>
        </div>
        <div>
          <dt>${this.t('overviewTotal')}</dt>
          <dd>${n(f.visits.total)}</dd>
        </div>
        <div>
          <dt>${this.t('pendingComments')}</dt>
          <dd>
            ${n(f.pending)}
            ${
              f.pending
                ? html`<a class="more" href="#/comments">${this.t('reviewComments')}</a>`
                : nothing
            }
          </dd>
        </div>
        <div>
          <dt>${this.t('openPolls')}</dt>
          <dd>${n(f.openPolls.length)}</dd>
        </div>
      </dl>
      <section aria-labelledby="chart-heading">
        <h2 id="chart-heading">${this.t('chartTitle')}</h2>
        <civic-console-chart
          .days=${f.visits.days}
          heading=${this.t('chartTitle')}
        ></civic-console-chart>
      </section>
      <section aria-labelledby="polls-heading">
        <h2 id="polls-heading">${this.t('openPolls')}</h2>
        ${
          f.openPolls.length
            ? html`<ul class="polls">
                ${f.openPolls.map((p) => html`<li>${p.question}</li>`)}
              </ul>`
            : html`<p class="muted">${this.t('noOpenPolls')}</p>`
        }
      </section>
      ${this.sites.length > 1 ? this.renderSummary() : nothing}`;
  }

  private renderSummary(): TemplateResult {
    const cells = (v: DailyVisits | string | undefined) =>
      typeof v === 'string'
        ? html`<td colspan="3" class="error">${v}</td>`
        : v
          ? html`<td class="number">${this.localize.number(v.today)}</td>
              <td class="number">${this.localize.number(v.month)}</td>
              <td class="number">${this.localize.number(v.total)}</td>`
          : html`<td colspan="3" class="muted">${this.localize.term('loading')}</td>`;
    return html`<section aria-labelledby="sites-heading">
      <h2 id="sites-heading">${this.t('allSites')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">${this.t('site')}</th>
            <th scope="col" class="number">${this.t('overviewToday')}</th>
            <th scope="col" class="number">${this.t('overviewMonth')}</th>
            <th scope="col" class="number">${this.t('overviewTotal')}</th>
          </tr>
        </thead>
        <tbody>
          ${this.sites.map(
            (s) =>
              html`<tr>
                <th scope="row">${s.name}</th>
                ${cells(this.summary.get(s.id))}
              </tr>`,
          )}
        </tbody>
      </table>
    </section>`;
  }
}

CivicConsoleOverview.define('civic-console-overview');

declare global {
  interface HTMLElementTagNameMap {
    'civic-console-overview': CivicConsoleOverview;
  }
}
