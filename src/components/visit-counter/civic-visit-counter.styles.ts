import { css } from 'lit';

export const styles = css`
  :host {
    --_value-color: light-dark(var(--civic-visit-counter-value-color,var(--_text)),var(--civic-visit-counter-value-color-dark,var(--_text)));
  }

  [part~='base'] {
    display: grid;
    gap: var(--civic-visit-counter-gap, var(--_space-s));
    margin: 0;
    padding: var(--civic-visit-counter-padding, var(--_space-m));
    color: var(--_text);
    background: light-dark(var(--civic-visit-counter-background,var(--_surface)),var(--civic-visit-counter-background-dark,var(--_surface)));
    border: var(--civic-visit-counter-border, 1px solid var(--_border));
    border-radius: var(--_radius);
  }

  [part~='row'] {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: var(--_space-m);
  }

  [part~='label'],
  [part~='value'] {
    margin: 0;
  }

  [part~='value'] {
    /* Reserved before the figures arrive, so nothing moves when they do. */
    min-inline-size: var(--civic-visit-counter-value-min-width, 7ch);
    font-weight: var(--civic-visit-counter-value-weight, 700);
    font-variant-numeric: tabular-nums;
    color: var(--_value-color);
    text-align: end;
    white-space: nowrap;
  }

  .placeholder {
    color: var(--_muted);
  }
`;
