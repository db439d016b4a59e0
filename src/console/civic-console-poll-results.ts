import { css, html, nothing, svg } from 'lit';
import type { PropertyDeclarations, PropertyValues, TemplateResult } from 'lit';
import { api, type AdminPoll } from './api.js';
import { ConsoleElement } from './console-element.js';

/**
 * @summary A poll's live results: per option a labelled bar with the votes and the share, in a
 * table (so the figures are read as text, never only as a picture), the voters, and the CSV
 * downloads by day and by hour.
 * @tag civic-console-poll-results
 *
 * The figures are read again every `refresh` milliseconds (5 s) while the page is shown, and not
 * at all while it is hidden (another tab, a minimised window); coming back reads them at once.
 * A failed read keeps the last figures, says so, and tries again at the next tick. The bars
 * are SVG rectangles sized by attributes (the console's CSP allows no inline styles).
 */
export class CivicConsolePollResults extends ConsoleElement {
  static override styles = [
    ConsoleElement.styles,
    css`
      :host {
        display: grid;
        gap: var(--_space-m);
      }
      td.bar {
        width: 50%;
        min-width: 10rem;
      }
      .share {
        display: flex;
        align-items: center;
        gap: var(--_space-m);
      }
      svg {
        display: block;
        flex: 1;
        height: 1rem;
      }
      .percent {
        min-width: 4.5em;
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
      .track {
        fill: var(--_border);
      }
      .fill {
        fill: var(--_primary);
      }
      .figures {
        font-size: 1.125rem;
        font-weight: 700;
        margin: 0;
      }
      code {
        overflow-wrap: anywhere;
      }
      @media (forced-colors: active) {
        .fill {
          fill: CanvasText;
        }
        .track {
          fill: Canvas;
          stroke: CanvasText;
        }
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    pollId: { attribute: 'poll-id' },
    refresh: { type: Number },
    poll: { attribute: false },
    error: { state: true },
    readAt: { state: true },
  };

  /** The poll shown. */
  pollId = '';
  /** Milliseconds between two reads while the page is shown. */
  refresh = 5000;
  /** The poll as last read (may be set by the parent to show it at once). */
  poll?: AdminPoll;

  private error = '';
  private readAt?: Date;
  private timer?: ReturnType<typeof setTimeout>;
  private loads?: AbortController;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.handleVisibility);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.handleVisibility);
    this.stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('site') || changed.has('pollId')) void this.load();
  }

  /** Reads the poll now, then again after `refresh` while the page is shown. */
  async load(): Promise<void> {
    this.stop();
    const { site, pollId } = this;
    if (!site || !pollId || !this.isConnected) return;
    const loads = (this.loads = new AbortController());
    try {
      const poll = await api.poll(site, pollId, loads.signal);
      if (loads.signal.aborted) return;
      this.poll = poll;
      this.readAt = new Date();
      this.error = '';
    } catch (e) {
      if (loads.signal.aborted) return;
      this.error = this.messageFor(e);
    }
    if (document.visibilityState === 'visible' && this.isConnected)
      this.timer = setTimeout(() => void this.load(), this.refresh);
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.loads?.abort();
  }

  private readonly handleVisibility = (): void => {
    if (document.visibilityState === 'visible') void this.load();
    else this.stop();
  };

  render(): TemplateResult {
    const p = this.poll;
    if (!p) {
      return this.error
        ? html`<div role="alert"><p class="error">${this.error}</p></div>
            <p><button type="button" @click=${this.load}>${this.t('retry')}</button></p>`
        : this.renderLoading();
    }
    const n = (v: number) => this.localize.number(v);
    const share = (votes: number) => (p.voters ? votes / p.voters : 0);
    const time = this.readAt
      ? this.localize.date(this.readAt.toISOString(), { timeStyle: 'medium' })
      : '';
    return html`<p class="figures">${this.t('pollVoters', { count: p.voters })}</p>
      ${p.multiple ? html`<p class="muted">${this.t('pollMultipleNote')}</p>` : nothing}
      <table>
        <caption>
          ${p.question}
        </caption>
        <thead>
          <tr>
            <th scope="col">${this.t('pollOption')}</th>
            <th scope="col" class="number">${this.t('pollVotes')}</th>
            <th scope="col">${this.t('pollShare')}</th>
          </tr>
        </thead>
        <tbody>
          ${p.options.map(
            (o) =>
              html`<tr>
                <th scope="row">${o.label}</th>
                <td class="number">${n(o.votes)}</td>
                <td class="bar">
                  <div class="share">
                    <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                      ${svg`<rect class="track" width="100" height="10"></rect>
                        <rect class="fill" width=${Math.min(100, share(o.votes) * 100)} height="10"></rect>`}
                    </svg>
                    <span class="percent">${this.localize.number(share(o.votes), {
                      style: 'percent',
                      maximumFractionDigits: 1,
                    })}</span>
                  </div>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
      <p class="muted">${time ? this.t('pollUpdatedAt', { time }) : nothing}</p>
      ${this.error ? html`<p class="error">${this.t('pollRefreshFailed')} ${this.error}</p>` : nothing}
      <div class="row">
        <a href=${api.pollCsvUrl(this.site!, p.id, 'day')} download>${this.t('pollCsvDay')}</a>
        <a href=${api.pollCsvUrl(this.site!, p.id, 'hour')} download>${this.t('pollCsvHour')}</a>
      </div>
      <p>
        ${this.t('pollEmbed')}: <code>&lt;civic-poll poll-id="${p.id}"&gt;&lt;/civic-poll&gt;</code>
      </p>`;
  }
}

CivicConsolePollResults.define('civic-console-poll-results');

declare global {
  interface HTMLElementTagNameMap {
    'civic-console-poll-results': CivicConsolePollResults;
  }
}
