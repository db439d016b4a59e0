import { css } from 'lit';

export const styles = css`
  :host {
    --_gap: var(--civic-comments-gap,var(--_space-m));
    --_box: var(--civic-comments-border,1px solid var(--_border));
  }

  [part~='base'],
  [part~='form'],
  [part~='list'],
  [part~='field'],
  [part~='items'] {
    display: grid;
    gap: var(--_gap);
  }

  [part~='form'],
  [part~='list'] {
    padding: var(--civic-comments-padding, var(--_space-l));
    color: var(--_text);
    background: light-dark(var(--civic-comments-background,var(--_surface)),var(--civic-comments-background-dark,var(--_surface)));
    border: var(--_box);
    border-radius: var(--_radius);
  }

  [part~='field'] {
    gap: var(--_space-s);
  }

  ol {
    margin: 0;
    padding: 0;
  }

  [part~='label'],
  [part~='heading'],
  [part~='item-title'] {
    font-weight: 700;
  }

  [part~='heading'] {
    font-size: 1.15em;
  }

  [part~='input'] {
    inline-size: 100%;
  }

  textarea[part~='input'] {
    resize: vertical;
  }

  [part~='input'][aria-invalid='true'] {
    border: 2px solid var(--_danger);
  }

  [part~='note'],
  [part~='hint'],
  [part~='counter'],
  [part~='meta'],
  [part~='reply-label'] {
    color: var(--_muted);
  }

  [part~='field-error'],
  [part~='form-error'],
  .over {
    color: var(--_danger);
    font-weight: 700;
  }

  [part~='notice'] {
    padding: var(--_space-m);
    border-inline-start: 4px solid var(--_primary);
    font-weight: 700;
  }

  button {
    justify-self: start;
    padding-inline: var(--_space-l);
  }

  [part~='submit-button'] {
    color: light-dark(var(--civic-comments-button-color,var(--_on-primary)),var(--civic-comments-button-color-dark,var(--_on-primary)));
    background: light-dark(var(--civic-comments-button-background,var(--_primary)),var(--civic-comments-button-background-dark,var(--_primary)));
    border: 1px solid transparent;
  }

  [part~='more-button'] {
    color: var(--_primary);
    border-color: currentColor;
  }

  [part~='items'] {
    list-style: none;
  }

  [part~='item'] {
    display: grid;
    gap: var(--_space-s);
    padding-block-end: var(--_gap);
    border-block-end: var(--_box);
  }

  /* User text: kept apart from the page's direction (an RTL override stays inside it). */
  [part~='author'],
  [part~='item-title'],
  [part~='content'] {
    unicode-bidi: isolate;
    overflow-wrap: anywhere;
  }

  [part~='content'] {
    white-space: pre-line;
  }

  [part~='link'] {
    color: var(--_primary);
  }

  [part~='reply'] {
    display: grid;
    gap: var(--_space-s);
    margin-inline-start: var(--_space-l);
    padding-inline-start: var(--_space-m);
    border-inline-start: 4px solid light-dark(var(--civic-comments-reply-accent,var(--_primary)),var(--civic-comments-reply-accent-dark,var(--_primary)));
  }
`;
