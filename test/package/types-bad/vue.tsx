/** @jsxImportSource vue */
import type {} from 'civic-widgets/vue';
import type { GlobalComponents } from 'vue';

/** What vue-tsc checks a template's `<civic-poll …>` against. */
type TemplateProps<T extends keyof GlobalComponents> = InstanceType<GlobalComponents[T]>['$props'];
export const ok: TemplateProps<'civic-poll'> = {
  'poll-id': 'p1',
  onCivicVote: (e) => e.detail.choices,
};
export const wrong: TemplateProps<'civic-marquee'> = { speed: 'fast' }; // rejected

export const page = (
  <main>
    <civic-poll poll-id={42} /> {/* rejected */}
    <civic-marquee direction="up" /> {/* rejected */}
    <civic-comments heading-level="2" /> {/* rejected */}
    <civic-link-list onCivicNavigate={(e) => e.detail.url} /> {/* rejected */}
    <civic-link-list variant="banners" onCivicNavigate={(e) => e.detail.href} />
  </main>
);
