// Svelte 5: 'civic-widgets/svelte' adds the tags to svelte/elements, which svelte-check reads for
// markup like this (listeners are `oncivic-vote` for `civic-vote`):
//
//   <script lang="ts">
//     let choices: string[] = $state([]);
//   </script>
//   <civic-poll site="demo" poll-id="budget-2026" oncivic-vote={(e) => (choices = e.detail.choices)}>
//     <a href="/s/demo/polls/budget-2026">Vote without JavaScript</a>
//   </civic-poll>
//   <civic-comments thread="/news/42" heading-level={2} oncivic-comment-submit={(e) => e.detail.status} />
//
// The same attributes as svelte-check sees them, checked here by plain tsc:
import type {} from 'civic-widgets/svelte';
import type { SvelteHTMLElements } from 'svelte/elements';

let choices: string[] = [];

export const poll: SvelteHTMLElements['civic-poll'] = {
  site: 'demo',
  'poll-id': 'budget-2026',
  'oncivic-vote': (e) => (choices = e.detail.choices),
};

export const comments: SvelteHTMLElements['civic-comments'] = {
  thread: '/news/42',
  'heading-level': 2,
  'oncivic-comment-submit': (e) => console.log(e.detail.status === 'pending', choices),
};

export const marquee: SvelteHTMLElements['civic-marquee'] = { speed: 60, direction: 'left' };
