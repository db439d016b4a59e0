/**
 * Every widget tag and the module that defines it: the loader imports it on first sight of the
 * tag. Tags that share a chunk (vite.config.ts) import the same module.
 */
const furniture = () => import('./components/furniture.js');
const comments = () => import('./components/comment-form.js');

export const WIDGETS: Record<string, () => Promise<unknown>> = {
  'civic-visit-counter': furniture,
  'civic-poll': furniture,
  'civic-marquee': furniture,
  'civic-link-list': furniture,
  // The comment form always carries the captcha.
  'civic-captcha': comments,
  'civic-comments': comments,
};
