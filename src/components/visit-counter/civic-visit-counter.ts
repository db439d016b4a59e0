import { html, nothing } from 'lit';
import type { PropertyDeclarations, PropertyValues, TemplateResult } from 'lit';
import type { VisitRequest, VisitStats } from '../../shared/api-types.js';
import { ApiError } from '../../client/api-client.js';
import { CivicElement } from '../../client/civic-element.js';
import { stored } from '../../client/storage.js';
import { baseStyles } from '../../client/styles/base.styles.js';
import { postVisit } from './civic-visit-counter.api.js';
import { styles } from './civic-visit-counter.styles.js';
import './civic-visit-counter.strings.js';
import type { VisitCounterStrings } from './civic-visit-counter.strings.js';

/** A session id this script made (v7) or an earlier one did (v4). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * RFC 9562 v7: the time in ms (48 bits), then 74 random bits from `crypto.getRandomValues`
 * (`randomUUID` needs a secure context, and makes v4). Ids that start with the time are written
 * at the end of the server's session index rather than all over it: 2.2–2.5 µs a new session
 * on SQLite, against 4.5–10 µs for random v4 ids in a table of 0.2–1.2 million sessions.
 */
const uuid = (): string => {
  const hex = [...crypto.getRandomValues(new Uint8Array(10))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
  const variant = (8 | (parseInt(hex[3]!, 16) & 3)).toString(16);
  // A device clock set before 1970 would make a malformed id, which the server refuses.
  const time = Math.max(0, Date.now()).toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8)}-7${hex.slice(0, 3)}-${variant}${hex.slice(4, 7)}-${hex.slice(7, 19)}`;
};

/** One id per browser session and site, kept in sessionStorage (no cookies). */
export function visitSession(site: string): string {
  const key = `civic-visit-session:${site}`;
  const id = stored('sessionStorage', key);
  return stored('sessionStorage', key, id && UUID.test(id) ? id : uuid())!;
}

function isStats(x: unknown): x is VisitStats {
  const s = x as VisitStats | null;
  return !!s && [s.total, s.today, s.month, s.online].every((n) => typeof n === 'number' && n >= 0);
}

/**
 * @summary Visit counter: total visits, today, this month and visitors online now.
 * @tag civic-visit-counter
 * @status experimental
 *
 * Counts one visit per browser session and site (an id of its start time and random bits in
 * sessionStorage, no cookies), then sends a presence heartbeat while the page is visible.
 *
 * @slot - Fallback shown before upgrade and when the API fails (e.g. the old static counter).
 * @csspart base - The `<dl>` holding the rows.
 * @csspart row - Each label + value pair.
 * @csspart label - Each label (`<dt>`).
 * @csspart value - Each figure (`<dd>`).
 * @csspart total - The figure of all visits (also named `value`).
 * @csspart today - Today's visits (also named `value`).
 * @csspart month - This month's visits, with `show-month` (also named `value`).
 * @csspart online - Visitors online now, unless `no-online` (also named `value`).
 * @cssprop --civic-visit-counter-background - Background (default `--civic-color-surface`).
 * @cssprop --civic-visit-counter-background-dark - The same in the dark scheme (a light-only value never reaches it).
 * @cssprop --civic-visit-counter-border - Border shorthand (default 1px solid `--civic-color-border`).
 * @cssprop --civic-visit-counter-padding - Inner padding (default `--civic-space-m`).
 * @cssprop --civic-visit-counter-gap - Space between rows (default `--civic-space-s`).
 * @cssprop --civic-visit-counter-value-color - Colour of the figures (default `--civic-color-text`).
 * @cssprop --civic-visit-counter-value-color-dark - The same in the dark scheme (a light-only value never reaches it).
 * @cssprop --civic-visit-counter-value-weight - Font weight of the figures (default 700).
 * @cssprop --civic-visit-counter-value-min-width - Width reserved for a figure before it arrives (default 7ch).
 * @fires {CustomEvent<{ code: string; message: string }>} civic-error - Counting the visit failed.
 */
export class CivicVisitCounter extends CivicElement<VisitCounterStrings> {
  static styles = [baseStyles, styles];
  static override properties: PropertyDeclarations = {
    showMonth: { type: Boolean, attribute: 'show-month' },
    noOnline: { type: Boolean, attribute: 'no-online' },
    heartbeatInterval: { type: Number, attribute: 'heartbeat-interval' },
    stats: { state: true },
  };

  /** Also show this month's visits. */
  showMonth = false;

  /** Hide the "online now" row. */
  noOnline = false;

  /** Milliseconds between presence heartbeats while the page is visible; 0 turns them off. */
  heartbeatInterval = 60_000;

  private stats?: VisitStats;

  private timer?: ReturnType<typeof setInterval>;
  private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.handleVisibilityChange);
    void this.send(2);
    this.schedule();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.handleVisibilityChange);
    clearInterval(this.timer);
    this.busy = false;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('heartbeatInterval')) this.schedule();
  }

  private readonly handleVisibilityChange = (): void => {
    if (document.visibilityState === 'visible') void this.send(0);
    this.schedule();
  };

  /** Runs the heartbeat timer only while connected and visible. */
  private schedule(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.isConnected && this.heartbeatInterval > 0 && document.visibilityState === 'visible') {
      this.timer = setInterval(() => {
        if (document.visibilityState === 'visible') void this.send(0);
      }, this.heartbeatInterval);
    }
  }

  /** POSTs the visit (idempotent per session, so it may be retried) and shows the figures. */
  private send(retries: number): Promise<unknown> | undefined {
    if (this.busy) return;
    this.busy = true;
    return this.guard(async (signal) => {
      try {
        const body: VisitRequest = { page: location.pathname, session: visitSession(this.siteId) };
        const res = await postVisit(this.apiUrl(), body, retries, signal);
        if (!isStats(res)) throw new ApiError('bad_response', 'Unexpected visit figures');
        this.stats = res;
        this.recover();
      } catch (e) {
        // A failed heartbeat keeps the last figures, and an error is reported only once.
        if (!this.stats && !this.failed) throw e;
      } finally {
        if (!signal.aborted) this.busy = false;
      }
    });
  }

  render(): TemplateResult {
    const s = this.stats;
    return html`<dl part="base" aria-busy=${!s}>
      ${this.renderRow('total', 'visitsTotal', s?.total)}
      ${this.renderRow('today', 'visitsToday', s?.today)}
      ${this.showMonth ? this.renderRow('month', 'visitsMonth', s?.month) : nothing}
      ${this.noOnline ? nothing : this.renderRow('online', 'visitsOnline', s?.online)}
    </dl>`;
  }

  private renderRow(
    name: string,
    label: keyof VisitCounterStrings,
    value?: number,
  ): TemplateResult {
    return html`<div part="row">
      <dt part="label">${this.localize.term(label)}</dt>
      <dd part="value ${name}">
        ${
          value === undefined
            ? html`<span class="placeholder" aria-hidden="true">–</span
              ><span class="visually-hidden">${this.localize.term('loading')}</span>`
            : this.localize.number(value)
        }
      </dd>
    </div>`;
  }
}

CivicVisitCounter.define('civic-visit-counter');

declare global {
  interface HTMLElementTagNameMap {
    'civic-visit-counter': CivicVisitCounter;
  }
}
