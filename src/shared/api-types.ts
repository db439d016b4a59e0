/** @deprecated Moved to `api.ts` and `visits.ts`; kept until the browser code imports those. */
export * from './api.js';
export * from './visits.js';
