/** Every widget tag and the chunk that defines it: the loader imports each on first sight. */
export const WIDGETS: Record<string, () => Promise<unknown>> = {
  'civic-visit-counter': () => import('./components/visit-counter/civic-visit-counter.js'),
};
