// The core chunk's entry (vite.config.ts): the widgets a portal shows on every page. Any of their
// tags loads all four.
import './visit-counter/civic-visit-counter.js';
import './marquee/civic-marquee.js';
import './link-list/civic-link-list.js';
import './poll/civic-poll.js';

// Exactly what the comments chunk imports from the core chunk: with these as this module's own
// exports, the chunk is this module as is, and the loader's import() needs no namespace wrapper
// (~100 B). Anything else the comments chunk imports still works; it only costs that wrapper.
// One-letter names: they stand in both chunks' import and export lists (~50 B gzip), and nothing
// reads them by name (the loader's import() only waits for the module).
export { css as a, html as b, nothing as c } from 'lit';
export { CivicElement as d } from '../client/civic-element.js';
export { ApiError as e, request as f } from '../client/api-client.js';
export { baseStyles as g } from '../client/styles/base.styles.js';
export { addStrings as h } from '../client/i18n/localize.js';
