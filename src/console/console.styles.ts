import { css } from 'lit';

/**
 * Shared by every console element, after the widgets' `baseStyles` (tokens `--_primary`,
 * `--_text`… from `--civic-*`, light and dark, focus ring, forced colours). Text is always
 * painted on `--_surface` or `--_primary`, pairs that pass WCAG AA in both schemes.
 */
export const consoleStyles = css`
  /* The tokens are light-dark() pairs: the console (a page of its own, never inside a host page)
     takes the scheme on its elements, where a widget sets it only on what it paints. */
  :host {
    color-scheme: var(--civic-color-scheme, light dark);
    color: var(--_text);
    background: var(--_surface);
    line-height: 1.5;
  }

  h1,
  h2,
  h3 {
    margin: 0 0 var(--_space-m);
    line-height: 1.25;
  }

  h1 {
    font-size: 1.5rem;
  }

  h2 {
    font-size: 1.2rem;
  }

  h3 {
    font-size: 1rem;
  }

  a {
    color: var(--_primary);
  }

  button.primary {
    color: var(--_surface);
    background: var(--_primary);
    border-color: var(--_primary);
    font-weight: 600;
  }

  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }

  button,
  input:not([type='radio'], [type='checkbox']),
  select {
    min-height: 2.25rem;
  }

  input[type='checkbox'] {
    width: 1.125rem;
    height: 1.125rem;
    margin: 0;
    accent-color: var(--_primary);
  }

  label {
    font-weight: 600;
  }

  .muted {
    color: var(--_muted);
  }

  .error {
    color: var(--_danger);
    font-weight: 600;
  }

  .row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-m);
    align-items: center;
  }

  .field {
    display: flex;
    flex-direction: column;
    gap: var(--_space-s);
  }

  .panel {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_space-l);
    background: var(--_surface);
  }

  table {
    border-collapse: collapse;
    width: 100%;
  }

  caption {
    text-align: start;
    font-weight: 600;
    padding-bottom: var(--_space-s);
  }

  th,
  td {
    text-align: start;
    padding: var(--_space-s) var(--_space-m);
    border-bottom: 1px solid var(--_border);
  }

  td.number,
  th.number {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }

  /* A list of cards (comments, polls, audit entries) or of form rows: no bullets, spaced. */
  .cards {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--_space-m);
  }

  .card {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_space-m) var(--_space-l);
    display: grid;
    gap: var(--_space-s);
  }

  /* A state in words (pending, open, disabled…), in a pill. */
  .badge {
    border: 1px solid currentColor;
    border-radius: 1em;
    padding: 0 var(--_space-m);
    font-size: 0.875em;
    font-weight: 600;
  }

  kbd {
    display: inline-block;
    min-width: 1.5em;
    padding: 0 0.3em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    font-family: ui-monospace, monospace;
    text-align: center;
  }
`;

/** A screen of the console (overview, comments): its parts one under another. */
export const screenStyles = css`
  :host {
    display: grid;
    gap: var(--_space-l);
  }
`;
