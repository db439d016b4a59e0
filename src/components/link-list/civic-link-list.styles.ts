import { css } from 'lit';

// Written compactly: Lit's css`` is shipped as written (the build does not minify it).
// - banner images keep their box (aspect-ratio) before they arrive: nothing below moves.
// - the external marker's arrow is visible; its text is for screen readers (.visually-hidden).
export const styles = css`
:host{--_link:light-dark(var(--civic-link-list-link-color,var(--_primary)),var(--civic-link-list-link-color-dark,var(--_primary)))}
ul{display:flex;flex-direction:column;gap:var(--civic-link-list-gap,var(--_space-s));margin:0;padding:0;list-style:none}
.inline{flex-flow:row wrap;column-gap:var(--_space-l)}
a{color:var(--_link);background:var(--_surface)}
[part~=external]>[aria-hidden]{margin-inline-start:.2em;font-size:.85em}
.banners a{position:relative;display:block;border:var(--civic-link-list-banner-border,1px solid var(--_border));border-radius:var(--_radius);overflow:hidden}
img{display:block;inline-size:100%;block-size:auto;aspect-ratio:var(--civic-link-list-banner-ratio,10/3);object-fit:contain}
.banners [part~=external]{position:absolute;inset-block-start:0;inset-inline-end:0;padding:0 .3em;color:var(--_text);background:var(--_surface)}
.jump{display:grid;grid-template-columns:minmax(0,1fr);gap:var(--_space-s);color:var(--_text);background:var(--_surface)}
.row{display:flex;gap:var(--_space-s)}
select{flex:1;min-inline-size:0}
button{flex:none;font-weight:600;color:var(--_on-primary);background:var(--_primary);border-color:var(--_primary)}
`;
