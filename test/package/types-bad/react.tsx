import type {} from 'civic-widgets/react';

export const page = (
  <main>
    <civic-poll poll-id={42} /> {/* rejected: a number for a string attribute */}
    <civic-marquee speed="fast" /> {/* rejected: a string for a number attribute */}
    <civic-marquee direction="up" /> {/* rejected: not one of 'left' | 'right' */}
    <civic-link-list variant="grid" /> {/* rejected: not a variant */}
    <civic-marquee variant="list" /> {/* rejected: an attribute of another tag */}
    <civic-comments noform /> {/* rejected: unknown attribute */}
    <civic-visit-counter show-month="yes" /> {/* rejected: a string for a boolean */}
    <civic-poll oncivic-vote={(e) => e.detail.pollid} /> {/* rejected: no such detail field */}
    <civic-captcha oncivic-captcha-verify={(e: CustomEvent<number>) => e} /> {/* rejected */}
    <civic-poll poll-id="p1" site="demo" oncivic-error={(e) => e.detail.code} />
  </main>
);

export const id: string = document.querySelector('civic-poll')!.pollId;
export const wrongId = document.querySelector('civic-poll')!.pollid; // rejected
document.addEventListener('civic-vote', (e) => e.detail.choices);
document.addEventListener('civic-vote', (e) => e.detail.choice); // rejected
