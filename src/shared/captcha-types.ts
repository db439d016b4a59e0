/** @deprecated Moved to `captcha.ts`; kept until the browser code imports that. */
export * from './captcha.js';
