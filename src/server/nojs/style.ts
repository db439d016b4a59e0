/**
 * The one stylesheet of the no-JavaScript pages (`GET /s/civic.css`), after the GOV.UK Design
 * System's patterns: a single column readable at 320 px, large targets, a visible focus ring,
 * light and dark from `prefers-color-scheme`. Served from our origin, so `style-src 'self'` holds.
 */
export const NOJS_CSS = `:root {
  color-scheme: light dark;
  --text: #0b0c0c;
  --muted: #505a5f;
  --bg: #ffffff;
  --panel: #f3f2f1;
  --border: #0b0c0c;
  --link: #1d70b8;
  --focus: #ffdd00;
  --error: #d4351c;
  --ok: #00703c;
  --button: #00703c;
  --button-text: #ffffff;
}
@media (prefers-color-scheme: dark) {
  :root {
    --text: #f3f2f1;
    --muted: #c5c9cc;
    --bg: #0f1416;
    --panel: #1d2528;
    --border: #f3f2f1;
    --link: #8fc3ff;
    --error: #ff8a7a;
    --ok: #6fd49a;
    --button: #27a567;
    --button-text: #0b0c0c;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  background: var(--bg);
  color: var(--text);
  font: 1.125rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
}
main { max-width: 40rem; margin: 0 auto; padding: 1rem; overflow-wrap: anywhere; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0 0 1rem; }
h2 { font-size: 1.375rem; margin: 2rem 0 0.75rem; }
a { color: var(--link); text-decoration-thickness: max(1px, 0.0625rem); text-underline-offset: 0.15em; }
a:focus, input:focus, textarea:focus, button:focus {
  outline: 3px solid var(--focus);
  outline-offset: 0;
  box-shadow: inset 0 0 0 2px var(--text);
}
a:focus { background: var(--focus); color: #0b0c0c; text-decoration: none; box-shadow: 0 4px #0b0c0c; outline: none; }
.lang { text-align: end; margin: 0 0 1rem; }
.lang a { margin-inline-start: 0.75rem; }
fieldset { border: 0; margin: 0 0 1.5rem; padding: 0; min-width: 0; }
legend { padding: 0; margin-bottom: 0.75rem; }
legend h1 { margin: 0; }
.hint { color: var(--muted); margin: 0 0 0.75rem; }
.choice { display: flex; align-items: flex-start; gap: 0.75rem; margin: 0 0 0.75rem; }
.choice input { width: 1.75rem; height: 1.75rem; margin: 0; flex: none; accent-color: var(--text); }
.choice label { padding-top: 0.1rem; }
.field { margin: 0 0 1.5rem; }
.field > label { display: block; font-weight: 700; margin-bottom: 0.25rem; }
input[type="text"], input[type="email"], textarea {
  display: block;
  width: 100%;
  font: inherit;
  padding: 0.4rem;
  border: 2px solid var(--border);
  border-radius: 0;
  background: var(--bg);
  color: var(--text);
}
input.code { width: 10rem; max-width: 100%; letter-spacing: 0.15em; text-transform: uppercase; }
textarea { min-height: 8rem; resize: vertical; }
.field-error input, .field-error textarea { border-color: var(--error); }
.field-error { border-inline-start: 5px solid var(--error); padding-inline-start: 0.75rem; }
.error-message { display: block; color: var(--error); font-weight: 700; margin: 0 0 0.25rem; }
.captcha img { display: block; max-width: 100%; height: auto; margin: 0 0 0.5rem; border: 1px solid var(--border); background: #fff; }
button {
  font: inherit;
  font-weight: 700;
  padding: 0.5rem 1rem;
  min-height: 2.75rem;
  border: 0;
  border-radius: 0;
  background: var(--button);
  color: var(--button-text);
  box-shadow: 0 2px #002d18;
  cursor: pointer;
}
form { margin: 0 0 2rem; }
.error-summary { border: 5px solid var(--error); padding: 1rem; margin: 0 0 1.5rem; }
.error-summary:focus, .notice:focus { outline: 3px solid var(--focus); outline-offset: 0; }
.error-summary h2 { margin-top: 0; }
.error-summary ul { margin: 0; padding-inline-start: 1.25rem; }
.error-summary a { color: var(--error); font-weight: 700; }
.notice { border: 5px solid var(--ok); padding: 1rem; margin: 0 0 1.5rem; }
.notice p { margin: 0; }
table { width: 100%; border-collapse: collapse; margin: 0 0 1rem; }
caption { text-align: start; font-weight: 700; font-size: 1.375rem; margin-bottom: 0.5rem; }
th, td { text-align: start; padding: 0.5rem 0.5rem 0.5rem 0; border-bottom: 1px solid var(--muted); vertical-align: top; }
td.num { text-align: end; white-space: nowrap; font-variant-numeric: tabular-nums; }
progress { display: block; width: 100%; height: 0.75rem; accent-color: var(--link); }
.comments { list-style: none; margin: 0; padding: 0; }
.comments > li { border-top: 1px solid var(--muted); padding: 1rem 0; }
.comments h3 { font-size: 1.125rem; margin: 0; }
.comments .meta { color: var(--muted); margin: 0 0 0.5rem; font-size: 1rem; }
.comments .content { white-space: pre-line; margin: 0; }
.reply { border-inline-start: 4px solid var(--muted); padding-inline-start: 0.75rem; margin: 0.75rem 0 0; }
.reply p { margin: 0; }
`;
