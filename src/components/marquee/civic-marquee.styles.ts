import { css } from 'lit';

// Written compactly: Lit's css`` is shipped as written (the build does not minify it).
// - base: at least one line of text (or the buttons) high, whatever the content: no layout shift.
// - hover and keyboard focus inside hold the text still (WCAG 2.2.2).
// - .copy is at least as wide as the viewport (100cqi), so a short text loops without a hole;
//   one line high, each slogan at its top: a slogan never moves when others (with taller glyphs
//   from a fallback font) arrive. The viewport's padding (cancelled by a negative margin) leaves
//   room above and below, so it clips no accent.
// - the distance and duration come from --_distance / --_duration (set with style.setProperty).
export const styles = css`
:host{--_bg:light-dark(var(--civic-marquee-background,var(--_surface)),var(--civic-marquee-background-dark,var(--_surface)));--_fg:light-dark(var(--civic-marquee-color,var(--_text)),var(--civic-marquee-color-dark,var(--_text)))}
[part~=base]{display:flex;align-items:center;gap:var(--_space-m);min-block-size:calc(1lh + 2*var(--_space-s));padding:var(--civic-marquee-padding,var(--_space-s) var(--_space-m));color:var(--_fg);background:var(--_bg)}
button{flex:none;font-size:.875em;line-height:1.2;padding:.2em .6em;color:var(--_fg);background:none;border-color:currentColor}
a{color:inherit}
.viewport{flex:1;min-inline-size:0;overflow:hidden;container-type:inline-size;padding-block:.25em;margin-block:-.25em}
.track{display:flex;inline-size:max-content;animation:civic-marquee var(--_duration,30s) linear infinite paused}
.run{animation-play-state:running}
.right{animation-direction:reverse}
[part~=base]:hover .track,[part~=base]:focus-within .track{animation-play-state:paused}
.copy{display:flex;align-items:flex-start;block-size:1lh;flex:none;min-inline-size:100cqi;white-space:nowrap}
[part~=separator]{padding-inline:var(--civic-marquee-gap,var(--_space-l))}
[part~=slogan]{flex:1}
@keyframes civic-marquee{to{transform:translateX(var(--_distance,-50%))}}
@media (prefers-reduced-motion:reduce){.track{animation:none}}
`;
