/**
 * civic.iife.js — everything in one classic script for legacy pages:
 *   <script src="https://widgets.example.gov.vn/civic.iife.js" data-site="demo"></script>
 * No UMD wrapper, so RequireJS pages do not break it.
 */
import { configure } from './client/config.js';
import { reserveSpace } from './reserve.js';
import './components/visit-counter/civic-visit-counter.js';
import './components/poll/civic-poll.js';
import './components/marquee/civic-marquee.js';
import './components/link-list/civic-link-list.js';
import './components/captcha/civic-captcha.js';
import './components/comments/civic-comments.js';

reserveSpace();

const own = document.currentScript as HTMLScriptElement | null;
if (own)
  configure({
    site: own.dataset.site,
    api: own.dataset.api ?? new URL(own.src, location.href).origin,
  });
