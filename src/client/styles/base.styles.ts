import { css } from 'lit';

/**
 * Shared by every widget: host reset, design tokens, focus ring, motion and forced-colors rules.
 *
 * Public tokens (`--civic-color-*`, `--civic-font-size`, `--civic-radius`, `--civic-space-*`) are
 * only read, never declared here, so a site themes every widget once on `:root`. Each is copied
 * into a private `--_x` with a light default, and a dark default under
 * `prefers-color-scheme: dark`. Every text/background pair of the defaults passes WCAG AA
 * (light ≥ 6.5:1, dark ≥ 7.9:1). A site that sets the colour tokens for light pages only should
 * also set them inside its own dark media query.
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
    --_primary: var(--civic-color-primary,#1d4f91);
    --_text: var(--civic-color-text,#1b1b1b);
    --_muted: var(--civic-color-muted,#555c66);
    --_surface: var(--civic-color-surface,#fff);
    --_border: var(--civic-color-border,#8c959f);
    --_danger: var(--civic-color-danger,#b3261e);
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

  @media (prefers-color-scheme: dark) {
    :host {
      --_primary: var(--civic-color-primary,#8cb4ff);
      --_text: var(--civic-color-text,#eceff1);
      --_muted: var(--civic-color-muted,#b0b8c1);
      --_surface: var(--civic-color-surface,#1c1f24);
      --_border: var(--civic-color-border,#6b7785);
      --_danger: var(--civic-color-danger,#ffb4ab);
    }
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
