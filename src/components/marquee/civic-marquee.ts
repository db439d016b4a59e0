import { html, nothing } from 'lit';
import type { PropertyDeclarations, PropertyValues, TemplateResult } from 'lit';
import { clean, isExternal, ListElement, pageUrl } from '../../client/list-element.js';
import { baseStyles } from '../../client/styles/base.styles.js';
import { getSlogans } from './civic-marquee.api.js';
import { styles } from './civic-marquee.styles.js';
import './civic-marquee.strings.js';
import type { MarqueeStrings } from './civic-marquee.strings.js';

/** One slogan; with `href` it is a link. */
export interface MarqueeSlogan {
  text: string;
  href?: string;
}

/** Speeds (px/s) outside this range are clamped; a missing or invalid one is {@link DEFAULT_SPEED}. */
export const SPEED_RANGE = [10, 200] as const;
export const DEFAULT_SPEED = 50;

/**
 * @summary Slogan strip that moves only as the visitor allows.
 * @tag civic-marquee
 * @status experimental
 *
 * Scrolls its slogans at a constant speed in px/s, whatever their length, on the compositor (a
 * CSS transform animation whose distance and duration are set with `style.setProperty`). The
 * loop's second copy is `aria-hidden` and `inert`. It moves only while on screen and while the
 * tab is visible, and holds still on hover and on focus inside. A visible button pauses and
 * plays; paused, the slogans are shown still, one at a time, with previous/next buttons. Under
 * `prefers-reduced-motion: reduce` nothing moves (no pause button: there is nothing to pause).
 * `still` starts without motion until the visitor presses play (Thông tư 32/2017/TT-BTTTT).
 * The strip keeps one line's height, so nothing on the page shifts.
 *
 * @slot - The slogans (fallback before upgrade, and the content when there is no `source`): each
 *   `<li>` if there are any, else each child element, else the text; a slogan containing an
 *   `<a href>` is a link.
 * @csspart base - The strip (a labelled group).
 * @csspart toggle-button - Pause / play button.
 * @csspart viewport - The moving window.
 * @csspart track - The moving band (two copies).
 * @csspart item - Each slogan.
 * @csspart link - A slogan that is a link (also named `item`).
 * @csspart separator - Between slogans.
 * @csspart slogan - The still slogan.
 * @csspart previous-button - "Previous slogan" (still mode).
 * @csspart next-button - "Next slogan" (still mode).
 * @cssprop --civic-marquee-background - Background (default `--civic-color-surface`).
 * @cssprop --civic-marquee-background-dark - The same in the dark scheme (a light-only value never reaches it).
 * @cssprop --civic-marquee-color - Text and button colour (default `--civic-color-text`).
 * @cssprop --civic-marquee-color-dark - The same in the dark scheme (a light-only value never reaches it).
 * @cssprop --civic-marquee-padding - Padding of the strip.
 * @cssprop --civic-marquee-gap - Space around the separator (default `--civic-space-l`).
 * @fires {CustomEvent<{ code: string; message: string }>} civic-error - The `source` list could not be loaded.
 */
export class CivicMarquee extends ListElement<MarqueeSlogan, MarqueeStrings> {
  static styles = [baseStyles, styles];
  static override properties: PropertyDeclarations = {
    speed: { type: Number },
    direction: {},
    separator: {},
    still: { type: Boolean, reflect: true },
    paused: { type: Boolean, reflect: true },
    label: {},
    index: { state: true },
    reduced: { state: true },
    onScreen: { state: true },
    tabVisible: { state: true },
  };

  /** Speed in CSS pixels per second (clamped to 10–200). */
  speed = DEFAULT_SPEED;

  /** `left` (default) or `right`: where the text moves. */
  direction: 'left' | 'right' = 'left';

  /** Text shown between slogans (decorative: hidden from screen readers). */
  separator = '•';

  /** Start without motion; the visitor presses play to start it. */
  still = false;

  /** Motion stopped by the visitor (or by `still`); the slogans are shown still. */
  paused = false;

  /** Accessible name of the strip (default "Khẩu hiệu" / "Slogans"). */
  label = '';

  private index = 0;
  private reduced = false;
  private onScreen = false;
  private tabVisible = true;

  protected readonly fetchList = getSlogans;
  private readonly motion = matchMedia('(prefers-reduced-motion: reduce)');
  private readonly intersection = new IntersectionObserver((entries) => {
    this.onScreen = entries.some((e) => e.isIntersecting);
  });
  private readonly resize = new ResizeObserver(() => this.measure());

  override connectedCallback(): void {
    super.connectedCallback();
    this.motion.addEventListener('change', this.handleSense);
    document.addEventListener('visibilitychange', this.handleSense);
    this.handleSense();
    this.intersection.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.motion.removeEventListener('change', this.handleSense);
    document.removeEventListener('visibilitychange', this.handleSense);
    this.intersection.disconnect();
    this.resize.disconnect();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('still') && this.still) this.paused = true;
    if (this.index >= this.items.length) this.index = 0;
  }

  protected override updated(): void {
    const copy = this.$('copy');
    if (copy) this.resize.observe(copy);
    this.measure();
  }

  protected readLight(): MarqueeSlogan[] {
    const lis = this.querySelectorAll('li');
    const nodes = lis.length ? [...lis] : [...this.children];
    const slogans = nodes.map((n) => ({
      text: clean(n.textContent),
      href: pageUrl((n.matches('a') ? n : n.querySelector('a'))?.getAttribute('href')),
    }));
    if (!nodes.length) slogans.push({ text: clean(this.textContent), href: undefined });
    return slogans.filter((s) => s.text);
  }

  protected fromServer(raw: { text: string; href?: unknown }): MarqueeSlogan {
    return { text: raw.text, href: pageUrl(raw.href) };
  }

  private $(name: string): HTMLElement | null {
    return this.renderRoot?.querySelector(`.${name}`);
  }

  /** Distance = one copy's width; duration = distance / speed: the same px/s for any text. */
  private measure(): void {
    const copy = this.$('copy');
    const track = this.$('track');
    const width = copy?.getBoundingClientRect().width;
    if (!track || !width) return;
    const speed = Math.min(
      SPEED_RANGE[1],
      Math.max(SPEED_RANGE[0], Number(this.speed) || DEFAULT_SPEED),
    );
    // Right to left, the second copy sits left of the first: the text moves the other way.
    const rtl = getComputedStyle(track).direction === 'rtl';
    track.style.setProperty('--_distance', `${rtl ? width : -width}px`);
    track.style.setProperty('--_duration', `${width / speed}s`);
  }

  /** The motion preference or the tab's visibility changed. */
  private readonly handleSense = (): void => {
    this.reduced = this.motion.matches;
    this.tabVisible = document.visibilityState !== 'hidden';
  };

  private handleToggle(): void {
    if (!this.paused) {
      // Show still the slogan that was passing by.
      const view = this.$('viewport')!.getBoundingClientRect();
      const rtl = getComputedStyle(this.$('viewport')!).direction === 'rtl';
      const passing = [...this.$('copy')!.querySelectorAll('[part~=item]')].findIndex((item) =>
        rtl
          ? item.getBoundingClientRect().left < view.right
          : item.getBoundingClientRect().right > view.left,
      );
      this.index = Math.max(0, passing);
    }
    this.paused = !this.paused;
  }

  private step(by: number): void {
    const n = this.items.length;
    this.index = (this.index + by + n) % n;
    this.announce(this.items[this.index]!.text);
  }

  render(): TemplateResult | typeof nothing {
    const { items, localize: t } = this;
    if (!items.length) return nothing;
    const still = this.reduced || this.paused;
    const run = !still && !this.loading && this.onScreen && this.tabVisible;
    // Templates are written tight: the build ships their whitespace as is.
    return html`<div part="base" role="group" aria-label=${this.label || t.term('marqueeLabel')}>${
      this.reduced
        ? nothing
        : html`<button part="toggle-button" type="button" @click=${this.handleToggle}>${t.term(this.paused ? 'marqueePlay' : 'marqueePause')}</button>`
    }${
      still
        ? html`${
            items.length > 1
              ? html`<button part="previous-button" type="button" aria-label=${t.term('marqueePrevious')} @click=${() => this.step(-1)}>‹</button><button part="next-button" type="button" aria-label=${t.term('marqueeNext')} @click=${() => this.step(1)}>›</button>`
              : nothing
          }<p part="slogan">${this.renderSlogan(items[this.index]!)}</p>`
        : html`<div part="viewport" class="viewport"><div part="track" class="track ${run ? 'run' : ''} ${this.direction === 'right' ? 'right' : ''}"><p class="copy">${this.renderCopy()}</p><p class="copy" aria-hidden="true" inert>${this.renderCopy()}</p></div></div>`
    }</div>`;
  }

  private renderCopy(): TemplateResult[] {
    return this.items.map(
      (s) =>
        html`${this.renderSlogan(s)}<span part="separator" aria-hidden="true">${this.separator}</span> `,
    );
  }

  private renderSlogan({ text, href }: MarqueeSlogan): TemplateResult {
    return href
      ? html`<a part="item link" href=${href} rel=${isExternal(href) ? 'noopener noreferrer' : nothing}>${text}</a>`
      : html`<span part="item">${text}</span>`;
  }
}

CivicMarquee.define('civic-marquee');

declare global {
  interface HTMLElementTagNameMap {
    'civic-marquee': CivicMarquee;
  }
}
