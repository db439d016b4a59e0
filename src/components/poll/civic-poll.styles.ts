import { css } from 'lit';

export const styles = css`
  :host {
    --_bar: light-dark(var(--civic-poll-bar-color,var(--_primary)),var(--civic-poll-bar-color-dark,var(--_primary)));
    --_bar-h: var(--civic-poll-bar-height,.5rem);
  }

  [part~='base'] {
    display: grid;
    gap: var(--civic-poll-gap, var(--_space-m));
    padding: var(--civic-poll-padding, var(--_space-m));
    color: var(--_text);
    background: light-dark(var(--civic-poll-background,var(--_surface)),var(--civic-poll-background-dark,var(--_surface)));
    border: var(--civic-poll-border, 1px solid var(--_border));
    border-radius: var(--_radius);
  }

  form,
  fieldset,
  ul {
    display: grid;
    gap: var(--_space-s);
    margin: 0;
    padding: 0;
    border: 0;
    min-inline-size: 0;
  }

  [part~='question'] {
    padding: 0;
    font-weight: 700;
  }

  [part~='hint'],
  [part~='status'],
  [part~='total'] {
    color: var(--_muted);
  }

  [part~='option'] {
    display: flex;
    gap: var(--_space-m);
    align-items: flex-start;
    padding-block: var(--_space-s);
    cursor: pointer;
  }

  input {
    inline-size: 1.15em;
    block-size: 1.15em;
    margin: 0.15em 0 0;
    flex: none;
    accent-color: var(--_primary);
  }

  [part~='message'] {
    color: var(--_danger);
    font-weight: 600;
  }

  [part~='actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-m);
  }

  button {
    min-block-size: 2.5rem;
    padding-inline: var(--_space-l);
    color: var(--_primary);
    border: 2px solid var(--_primary);
  }

  [part~='submit-button'] {
    color: light-dark(var(--civic-poll-button-color,var(--_on-primary)),var(--civic-poll-button-color-dark,var(--_on-primary)));
    background: light-dark(var(--civic-poll-button-background,var(--_primary)),var(--civic-poll-button-background-dark,var(--_primary)));
  }

  ul {
    list-style: none;
  }

  [part~='result'] {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 0.125rem var(--_space-m);
  }

  [part~='result-value'] {
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }

  [part~='bar'] {
    grid-column: 1 / -1;
    block-size: var(--_bar-h);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    overflow: hidden;
  }

  [part~='bar-fill'] {
    display: block;
    block-size: 100%;
    inline-size: var(--_pct, 0%);
    background: var(--_bar);
  }

  [part~='leader'] {
    font-weight: 700;
  }

  @media (forced-colors: active) {
    [part~='bar-fill'] {
      forced-color-adjust: none;
      background: Highlight;
    }
  }
`;
