// React 19: the tags as JSX elements, typed by 'civic-widgets/react' (attributes and
// `on<event>` listeners; React 19 adds those listeners to a custom element itself).
import type {} from 'civic-widgets/react';
import type { CivicPollElement } from 'civic-widgets/civic.js';
import { useRef, useState } from 'react';

export function Sidebar({ site }: { site: string }) {
  const [voted, setVoted] = useState<string[]>([]);
  const poll = useRef<CivicPollElement>(null);
  return (
    <aside>
      <civic-poll
        ref={poll}
        site={site}
        poll-id="budget-2026"
        oncivic-vote={(e) => setVoted(e.detail.choices)}
        oncivic-error={(e) => console.warn(e.detail.code, e.detail.message)}
      >
        <a href={`/s/${site}/polls/budget-2026`}>Vote without JavaScript</a>
      </civic-poll>
      {voted.length > 0 && <p>Thank you: {voted.join(', ')}</p>}
      <button onClick={() => poll.current?.scrollIntoView()}>Poll {poll.current?.pollId}</button>
      <civic-visit-counter show-month heartbeat-interval={30_000} />
      <civic-marquee speed={60} direction="right" still source="slogans" />
      <civic-link-list
        variant="select"
        label="Other portals"
        oncivic-navigate={(e) => {
          if (!e.detail.external) e.preventDefault();
        }}
      >
        <a href="https://example.gov.vn/">Example portal</a>
      </civic-link-list>
      <civic-comments thread="/news/42" heading-level={2} no-form={false} />
    </aside>
  );
}
