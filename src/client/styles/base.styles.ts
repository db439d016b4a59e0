import { css } from 'lit';

/**
 * Shared by every widget: host reset, design tokens, focus ring, motion and forced-colors rules.
 *
 * Public tokens are only read, never declared here, so a site themes every widget once on `:root`.
 * Each colour token has a dark counterpart (`--civic-color-primary` / `--civic-color-primary-dark`)
 * and is copied into a private `--_x` through `light-dark()`: the light value is used only in the
 * light scheme, the dark one only in the dark scheme, and each falls back to its built-in default
 * (every text/background pair of the defaults passes WCAG AA: light ≥ 6.5:1, dark ≥ 7.9:1), so a
 * colour set for light pages only never reaches dark mode. `--_on-primary` (text on a primary
 * surface: buttons) is black or white, whichever contrasts with the scheme's primary (its OKLCH
 * lightness against 0.6), unless `--civic-color-on-primary[-dark]` is set.
 *
 * The scheme is the visitor's preference (`prefers-color-scheme`), or `--civic-color-scheme`
 * (`light`, `dark`) where a page forces one. It is set on what the widget paints (`.content`, the
 * error message), not on the host, so the slotted light-DOM fallback keeps the page's scheme
 * (a default link colour would otherwise turn light blue on a light page).
 *
 * Form controls share one look here (widgets adjust colours and spacing); radios and checkboxes
 * keep their native look. Paragraphs have no margin.
 *
 * The host sets no `color`: a widget paints text only on a background it paints itself (its
 * `base` part, the error message), so its colours never meet the page's background, and the
 * slotted light-DOM fallback keeps the page's own colours.
 */
export const baseStyles = css`
  :host {
    --_primary: light-dark(var(--civic-color-primary,#1d4f91),var(--civic-color-primary-dark,#8cb4ff));
    --_text: light-dark(var(--civic-color-text,#1b1b1b),var(--civic-color-text-dark,#eceff1));
    --_muted: light-dark(var(--civic-color-muted,#555c66),var(--civic-color-muted-dark,#b0b8c1));
    --_surface: light-dark(var(--civic-color-surface,#fff),var(--civic-color-surface-dark,#1c1f24));
    --_border: light-dark(var(--civic-color-border,#8c959f),var(--civic-color-border-dark,#6b7785));
    --_danger: light-dark(var(--civic-color-danger,#b3261e),var(--civic-color-danger-dark,#ffb4ab));
    --_on-primary: light-dark(var(--civic-color-on-primary,oklch(from var(--civic-color-primary,#1d4f91) clamp(0,(.6 - l)*1e3,1) 0 0)),var(--civic-color-on-primary-dark,oklch(from var(--civic-color-primary-dark,#8cb4ff) clamp(0,(.6 - l)*1e3,1) 0 0)));
    --_font-size: var(--civic-font-size,1em);
    --_radius: var(--civic-radius,4px);
    --_space-s: var(--civic-space-s,.25rem);
    --_space-m: var(--civic-space-m,.5rem);
    --_space-l: var(--civic-space-l,1rem);
    display: block;
    box-sizing: border-box;
    font: inherit;
    font-size: var(--_font-size);
  }

  .content,
  [part~='error-message'] {
    color-scheme: var(--civic-color-scheme, light dark);
  }

  :host([hidden]),
  [hidden] {
    display: none !important;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  :focus-visible {
    outline: 2px solid var(--_primary);
    outline-offset: 2px;
  }

  .visually-hidden {
    position: absolute !important;
    width: 1px !important;
    height: 1px !important;
    margin: -1px !important;
    padding: 0 !important;
    overflow: hidden !important;
    clip-path: inset(50%) !important;
    white-space: nowrap !important;
    border: 0 !important;
  }

  .content {
    display: contents;
  }

  p {
    margin: 0;
  }

  button,
  select,
  textarea,
  input:not([type='radio'], [type='checkbox']) {
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_space-s) var(--_space-m);
  }

  button {
    cursor: pointer;
  }

  [aria-disabled='true'] {
    cursor: progress;
    opacity: 0.8;
  }

  [part~='error-message'] {
    margin: 0 0 var(--_space-s);
    color: var(--_danger);
    background: var(--_surface);
  }

  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation-duration: 0.01ms !important;
      animation-iteration-count: 1 !important;
      transition-duration: 0.01ms !important;
      scroll-behavior: auto !important;
    }
  }

  @media (forced-colors: active) {
    :host {
      --_primary: Highlight;
      --_text: CanvasText;
      --_muted: CanvasText;
      --_surface: Canvas;
      --_border: CanvasText;
      --_danger: CanvasText;
    }
    :focus-visible {
      outline-color: Highlight;
    }
  }
`;
