import { css } from 'lit';

export const styles = css`
  [part~='base'] {
    display: grid;
    gap: var(--_space-s);
    justify-items: start;
    padding: var(--civic-captcha-padding, var(--_space-m));
    color: var(--_text);
    background: light-dark(var(--civic-captcha-background,var(--_surface)),var(--civic-captcha-background-dark,var(--_surface)));
    border: var(--civic-captcha-border, 1px solid var(--_border));
    border-radius: var(--_radius);
  }

  [part~='challenge'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-m);
  }

  [part~='image'] {
    display: block;
    /* Space reserved before the image arrives: nothing moves when it does. min() keeps the
       placeholder as compressible as the image: at 320 px it shrinks instead of widening the page. */
    inline-size: min(var(--civic-captcha-image-width, 240px), 100%);
    block-size: auto;
    aspect-ratio: 240 / 90;
    border-radius: var(--_radius);
  }

  .placeholder {
    background: var(--_border);
    opacity: 0.3;
  }

  input {
    inline-size: 12ch;
    text-transform: uppercase;
    letter-spacing: 0.1em;
  }

  button {
    color: var(--_primary);
    border-color: currentColor;
  }

  [part~='pow-button'] {
    border-color: transparent;
    text-decoration: underline;
    padding-inline: 0;
  }

  button:disabled,
  input:disabled {
    cursor: default;
    opacity: 0.7;
  }
`;
