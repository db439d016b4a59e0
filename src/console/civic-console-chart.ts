import { css, html, nothing, svg } from 'lit';
import type { PropertyDeclarations, SVGTemplateResult, TemplateResult } from 'lit';
import { ConsoleElement } from './console-element.js';

export interface DayVisits {
  /** `YYYY-MM-DD`, a local day of the site. */
  date: string;
  visits: number;
}

/** The top of the y axis and the step between its ticks: 1, 2 or 5 × 10ⁿ, at most `ticks` steps. */
export function niceScale(max: number, ticks = 5): { top: number; step: number } {
  if (!(max > 0)) return { top: ticks, step: 1 };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(
    1,
    [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!,
  );
  return { top: step * Math.ceil(max / step), step };
}

// Geometry in SVG user units (the SVG scales to its box; text stays ≥ 10 px at the minimum width).
const W = 720;
const H = 280;
const LEFT = 64;
// Room for the last day's label, centred under the last bar.
const RIGHT = 36;
const TOP = 32;
const BOTTOM = 52;
const PLOT_W = W - LEFT - RIGHT;
const PLOT_H = H - TOP - BOTTOM;

/**
 * @summary Daily visits as an SVG bar chart with labelled axes, and the same figures as a table.
 * @tag civic-console-chart
 *
 * Sizes are SVG attributes (the console runs under a CSP without inline styles). The chart is
 * one image with a text summary; the table is always in the accessibility tree and is shown on
 * the page by the toggle button.
 */
export class CivicConsoleChart extends ConsoleElement {
  static override styles = [
    ConsoleElement.styles,
    css`
      .scroll {
        overflow-x: auto;
      }
      svg {
        display: block;
        width: 100%;
        min-width: 36rem;
        height: auto;
        font-size: 13px;
      }
      .bar {
        fill: var(--_primary);
      }
      .grid {
        stroke: var(--_border);
        stroke-width: 1;
      }
      .axis {
        stroke: var(--_text);
        stroke-width: 1;
      }
      text {
        fill: var(--_text);
      }
      .table {
        margin-top: var(--_space-m);
      }
      .toggle {
        margin-top: var(--_space-m);
      }
      @media (forced-colors: active) {
        .bar {
          fill: CanvasText;
        }
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    days: { attribute: false },
    heading: {},
    tableShown: { state: true },
  };

  /** Oldest first. */
  days: DayVisits[] = [];

  /** The chart's title (also the table's caption). */
  heading = '';

  private tableShown = false;

  private dayLabel(date: string, options: Intl.DateTimeFormatOptions): string {
    return this.localize.date(`${date}T00:00:00Z`, { ...options, timeZone: 'UTC' });
  }

  private handleToggle(): void {
    this.tableShown = !this.tableShown;
  }

  render(): TemplateResult {
    const days = this.days;
    const total = days.reduce((sum, d) => sum + d.visits, 0);
    const peak = days.reduce<DayVisits | undefined>(
      (m, d) => (!m || d.visits > m.visits ? d : m),
      undefined,
    );
    const summary = peak
      ? this.t('chartSummary', {
          total,
          max: peak.visits,
          maxDate: this.dayLabel(peak.date, { dateStyle: 'long' }),
        })
      : '';
    return html`<div class="scroll">
        <svg
          viewBox="0 0 ${W} ${H}"
          width=${W}
          height=${H}
          role="img"
          aria-labelledby="chart-title chart-desc"
          preserveAspectRatio="xMinYMin meet"
        >
          <title id="chart-title">${this.heading}</title>
          <desc id="chart-desc">${summary}</desc>
          ${this.renderAxes(days)}
        </svg>
      </div>
      <button
        class="toggle"
        type="button"
        aria-expanded=${this.tableShown ? 'true' : 'false'}
        aria-controls="chart-table"
        @click=${this.handleToggle}
      >
        ${this.tableShown ? this.t('hideTable') : this.t('showTable')}
      </button>
      <div id="chart-table" class=${this.tableShown ? 'table' : 'table visually-hidden'}>
        <table>
          <caption>
            ${this.heading}
          </caption>
          <thead>
            <tr>
              <th scope="col">${this.t('chartDate')}</th>
              <th scope="col" class="number">${this.t('chartVisits')}</th>
            </tr>
          </thead>
          <tbody>
            ${days.map(
              (d) =>
                html`<tr>
                  <th scope="row">${this.dayLabel(d.date, { dateStyle: 'full' })}</th>
                  <td class="number">${this.localize.number(d.visits)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }

  private renderAxes(days: DayVisits[]): SVGTemplateResult {
    const n = days.length;
    const { top, step } = niceScale(Math.max(0, ...days.map((d) => d.visits)));
    const band = n ? PLOT_W / n : PLOT_W;
    const barW = Math.max(1, band * 0.66);
    const y = (v: number) => TOP + PLOT_H - (v / top) * PLOT_H;
    const ticks: number[] = [];
    for (let v = 0; v <= top; v += step) ticks.push(v);
    return svg`
      <text x=${LEFT} y="16" text-anchor="start">${this.t('chartVisits')}</text>
      ${ticks.map(
        (v) => svg`
          <line class="grid" x1=${LEFT} x2=${W - RIGHT} y1=${y(v)} y2=${y(v)}></line>
          <text x=${LEFT - 8} y=${y(v) + 4} text-anchor="end">${this.localize.number(v)}</text>`,
      )}
      ${days.map((d, i) => {
        const h = d.visits > 0 ? Math.max(1, (d.visits / top) * PLOT_H) : 0;
        const x = LEFT + i * band + (band - barW) / 2;
        // A label every seven days, counted back from the last day (today).
        const label =
          (n - 1 - i) % 7 === 0
            ? svg`<text x=${x + barW / 2} y=${TOP + PLOT_H + 18} text-anchor="middle"
                >${this.dayLabel(d.date, { day: 'numeric', month: 'short' })}</text
              >`
            : nothing;
        return svg`<rect class="bar" x=${x} y=${TOP + PLOT_H - h} width=${barW} height=${h}></rect>${label}`;
      })}
      <line class="axis" x1=${LEFT} x2=${W - RIGHT} y1=${TOP + PLOT_H} y2=${TOP + PLOT_H}></line>
      <line class="axis" x1=${LEFT} x2=${LEFT} y1=${TOP} y2=${TOP + PLOT_H}></line>
      <text x=${LEFT + PLOT_W / 2} y=${H - 8} text-anchor="middle">${this.t('chartDate')}</text>`;
  }
}

CivicConsoleChart.define('civic-console-chart');

declare global {
  interface HTMLElementTagNameMap {
    'civic-console-chart': CivicConsoleChart;
  }
}
