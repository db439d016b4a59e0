/**
 * Every widget tag and the module that defines it: the loader imports it on first sight of the
 * tag. Tags that share a chunk (vite.config.ts) import the same module. Each import first preloads
 * its chunks under their integrity (src/preload.ts); the placeholder names the imported module.
 */
import { preload } from './preload.js';

const furniture = () =>
  preload([], 'SRI:components/furniture.ts').then(() => import('./components/furniture.js'));
const comments = () =>
  preload([], 'SRI:components/comment-form.ts').then(() => import('./components/comment-form.js'));

export const WIDGETS: Record<string, () => Promise<unknown>> = {
  'civic-visit-counter': furniture,
  'civic-poll': furniture,
  'civic-marquee': furniture,
  'civic-link-list': furniture,
  // The comment form always carries the captcha.
  'civic-captcha': comments,
  'civic-comments': comments,
};
