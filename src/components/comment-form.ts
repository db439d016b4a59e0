// The comments chunk's entry (vite.config.ts): the comment form, which carries the captcha.
// It exports nothing, so the chunk has no export list.
import './comments/civic-comments.js';
