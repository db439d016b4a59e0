import type {} from 'civic-widgets/svelte';
import type { SvelteHTMLElements } from 'svelte/elements';

export const poll: SvelteHTMLElements['civic-poll'] = {
  'poll-id': 7, // rejected
  'oncivic-vote': (e) => e.detail.choices.length,
};
export const counter: SvelteHTMLElements['civic-visit-counter'] = {
  'heartbeat-interval': '1000', // rejected
};
export const marquee: SvelteHTMLElements['civic-marquee'] = {
  speeds: 10, // rejected
};
