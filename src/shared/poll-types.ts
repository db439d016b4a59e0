/** @deprecated Moved to `polls.ts`; kept until the browser code imports that. */
export * from './polls.js';
