/**
 * The no-JavaScript pages, rendered on the server with {@link html} (every value escaped): a poll
 * with its vote form and results, a thread's comment form (the captcha as an image) and its
 * approved comments, and the error page. GOV.UK patterns: fieldset and legend, hints, an error
 * summary linking to each field, a notice after a redirect.
 */
import type { PublicComment } from '../../shared/comments.js';
import type { PollView } from '../../shared/polls.js';
import { HEIGHT as CAPTCHA_HEIGHT, WIDTH as CAPTCHA_WIDTH } from '../captcha/image.js';
import { html, type Html } from './html.js';
import { errorText, type Lang, STRINGS, type Strings } from './strings.js';

/** The stylesheet every page links to (served by the nojs feature). */
export const STYLESHEET = '/s/civic.css';

export interface PageFrame {
  lang: Lang;
  title: string;
  /** This page's URL without `lang`, for the language switch (`?` or `&` is added). */
  here: string;
}

export function withLang(url: string, lang: Lang): string {
  return `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`;
}

function layout(frame: PageFrame, body: Html): string {
  const t = STRINGS[frame.lang];
  const other = t.otherLangName as Lang;
  return html`<!doctype html>
<html lang="${frame.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${frame.title}</title>
<link rel="stylesheet" href="${STYLESHEET}">
</head>
<body>
<main>
<p class="lang"><a href="${withLang(frame.here, other)}" lang="${other}" hreflang="${other}">${t.otherLang}</a></p>
${body}
</main>
</body>
</html>
`.value;
}

/** A field's error, for the summary (links to `#id`) and beside the field. */
export interface FieldError {
  field: string;
  /** The id of the input the summary links to. */
  target: string;
  code: string;
}

/*
 * The error summary and the notice after a redirect take the focus as the page loads
 * (`autofocus`, no script): a screen reader reads them first, and Tab goes on from there.
 */

function errorSummary(t: Strings, errors: FieldError[]): Html | '' {
  if (!errors.length) return '';
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
<h2 id="error-summary-title">${t.problem}</h2>
<ul>${errors.map((e) => html`<li><a href="#${e.target}">${errorText(t, e.code)}</a></li>`)}</ul>
</div>`;
}

const notice = (text: string) =>
  html`<div class="notice" role="status" tabindex="-1" autofocus><p>${text}</p></div>`;

function dateTime(lang: Lang, iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone,
  }).format(new Date(iso));
}

/** The captcha as an image, its challenge id, and a box for the code (`code`, `captcha_id`). */
function captchaField(
  t: Strings,
  captcha: { id: string; image: string; length: number },
  error: string | undefined,
): Html {
  return html`<div class="field captcha${error ? ' field-error' : ''}">
<label for="code">${t.captcha}</label>
<p class="hint" id="code-hint">${t.captchaHint}</p>
${error ? html`<p class="error-message" id="code-error">${errorText(t, error)}</p>` : ''}
<img src="${captcha.image}" alt="${t.captchaAlt}" width="${CAPTCHA_WIDTH}" height="${CAPTCHA_HEIGHT}">
<input type="hidden" name="captcha_id" value="${captcha.id}">
<input type="text" class="code" id="code" name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="${captcha.length + 8}" aria-describedby="code-hint${error ? ' code-error' : ''}"${error ? html` aria-invalid="true"` : ''}>
</div>`;
}

export interface PollPage {
  lang: Lang;
  timeZone: string;
  /** The page's own URL (without `lang`): the form posts there. */
  url: string;
  poll: PollView;
  /** After the redirect of a vote: counted now, or already counted before. */
  voted?: 'new' | 'again';
  error?: string;
  /** The captcha of a poll that requires proof (its image and challenge id). */
  proof?: { id: string; image: string; length: number } | null;
}

export function pollPage(p: PollPage): string {
  const t = STRINGS[p.lang];
  const { poll } = p;
  const number = new Intl.NumberFormat(p.lang === 'vi' ? 'vi-VN' : 'en-GB');
  const percent = new Intl.NumberFormat(p.lang === 'vi' ? 'vi-VN' : 'en-GB', {
    style: 'percent',
    maximumFractionDigits: 0,
  });
  const firstId = `choice-${poll.options[0]?.id ?? ''}`;
  const captchaError = p.error?.startsWith('captcha_') ?? false;
  const errors: FieldError[] = p.error
    ? [{ field: 'choice', target: captchaError ? 'code' : firstId, code: p.error }]
    : [];
  const fieldError = errors.length > 0 && p.error === 'invalid_choices';
  const labelOf = (id: string) => poll.options.find((o) => o.id === id)?.label ?? id;

  let body: Html;
  if (poll.status === 'open' && !poll.voted) {
    const type = poll.multiple ? 'checkbox' : 'radio';
    const hint = poll.multiple ? t.chooseUpTo(poll.maxChoices) : t.chooseOne;
    body = html`<form method="post" action="${withLang(p.url, p.lang)}" novalidate>
<div class="field${fieldError ? ' field-error' : ''}">
<fieldset aria-describedby="choice-hint${fieldError ? ' choice-error' : ''}">
<legend><h1>${poll.question}</h1></legend>
<p class="hint" id="choice-hint">${hint}</p>
${fieldError ? html`<p class="error-message" id="choice-error">${errorText(t, 'invalid_choices')}</p>` : ''}
${poll.options.map(
  (
    o,
  ) => html`<div class="choice"><input type="${type}" name="choice" value="${o.id}" id="choice-${o.id}"><label for="choice-${o.id}">${o.label}</label></div>
`,
)}</fieldset>
</div>
${p.proof ? captchaField(t, p.proof, captchaError ? p.error! : undefined) : ''}
<button type="submit">${t.vote}</button>
</form>`;
  } else {
    const state =
      poll.status === 'closed'
        ? html`<p>${t.closed}</p>`
        : poll.status === 'upcoming' && poll.opensAt
          ? html`<p>${t.upcoming(dateTime(p.lang, poll.opensAt, p.timeZone))}</p>`
          : '';
    const mine = poll.choices?.length
      ? html`<p>${t.yourChoice}: ${poll.choices.map(labelOf).join(', ')}</p>`
      : '';
    body = html`<h1>${poll.question}</h1>${state}${mine}`;
  }

  let results: Html | '' = '';
  if (poll.results) {
    const { voters } = poll.results;
    const rows = poll.options.map((o) => {
      const votes = poll.results!.options.find((r) => r.id === o.id)?.votes ?? 0;
      const share = voters > 0 ? votes / voters : 0;
      return html`<tr><th scope="row">${o.label}<progress max="100" value="${Math.round(share * 100)}" aria-hidden="true"></progress></th><td class="num">${number.format(votes)}</td><td class="num">${percent.format(share)}</td></tr>
`;
    });
    results = html`<table>
<caption>${t.results}</caption>
<thead><tr><th scope="col">${t.option}</th><th scope="col" class="num">${t.votes}</th><th scope="col" class="num">${t.share}</th></tr></thead>
<tbody>
${rows}</tbody>
</table>
<p>${t.voters(number.format(voters), voters)}</p>`;
  } else if (poll.voted || poll.status !== 'open') {
    results = html`<p>${t.resultsHidden}</p>`;
  }

  const status =
    p.voted === 'new' ? notice(t.voted) : p.voted === 'again' ? notice(t.votedAgain) : '';
  const summary =
    errors.length && poll.status === 'open' && !poll.voted
      ? errorSummary(t, errors)
      : p.error
        ? html`<div class="error-summary" role="alert" tabindex="-1" autofocus><h2>${t.problem}</h2><p>${errorText(t, p.error)}</p></div>`
        : '';
  return layout(
    {
      lang: p.lang,
      title: `${errors.length ? `${t.problem}: ` : ''}${poll.question} – ${t.pollTitle}`,
      here: p.url,
    },
    html`${summary}${status}${body}${results}`,
  );
}

/** The values typed into the comment form (kept after an error). */
export interface CommentValues {
  name: string;
  email: string;
  title: string;
  content: string;
}

export interface CommentsPage {
  lang: Lang;
  timeZone: string;
  /** The page's URL with `thread` (without `lang`): the form posts there. */
  url: string;
  thread: string;
  /** The captcha's image (`data:image/png…`) and challenge id; null when the site takes only the proof of work. */
  captcha: { id: string; image: string; length: number } | null;
  comments: PublicComment[];
  total: number;
  /** The URL of the next (older) page, when there is one. */
  older?: string;
  sent?: 'pending' | 'approved';
  values?: CommentValues;
  errors?: FieldError[];
}

export function commentsPage(p: CommentsPage): string {
  const t = STRINGS[p.lang];
  const errors = p.errors ?? [];
  const v = p.values ?? { name: '', email: '', title: '', content: '' };
  const errorOf = (field: string) => errors.find((e) => e.field === field);
  const field = (
    name: keyof CommentValues,
    label: string,
    control: (described: string) => Html,
    hint?: string,
  ) => {
    const err = errorOf(name);
    const ids = [hint ? `${name}-hint` : '', err ? `${name}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field${err ? ' field-error' : ''}">
<label for="${name}">${label}</label>
${hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : ''}
${err ? html`<p class="error-message" id="${name}-error">${errorText(t, err.code)}</p>` : ''}
${control(ids)}
</div>
`;
  };
  const described = (ids: string) => (ids ? ids : null);
  const invalid = (name: string) => (errorOf(name) ? 'true' : null);
  const attr = (name: string, value: string | null) =>
    value === null ? '' : html` ${name}="${value}"`;

  const captchaErr = errorOf('captcha');
  const form = p.captcha
    ? html`<form method="post" action="${withLang(p.url, p.lang)}" novalidate>
${field('name', t.name, (ids) => html`<input type="text" id="name" name="name" autocomplete="name" maxlength="80" value="${v.name}"${attr('aria-describedby', described(ids))}${attr('aria-invalid', invalid('name'))}>`)}
${field('email', t.email, (ids) => html`<input type="email" id="email" name="email" autocomplete="email" spellcheck="false" maxlength="254" value="${v.email}"${attr('aria-describedby', described(ids))}${attr('aria-invalid', invalid('email'))}>`, t.emailHint)}
${field('title', t.titleField, (ids) => html`<input type="text" id="title" name="title" maxlength="150" value="${v.title}"${attr('aria-describedby', described(ids))}${attr('aria-invalid', invalid('title'))}>`)}
${field(
  'content',
  t.content,
  (
    ids,
  ) => html`<textarea id="content" name="content" rows="6" maxlength="3000"${attr('aria-describedby', described(ids))}${attr('aria-invalid', invalid('content'))}>
${v.content}</textarea>`,
)}
${captchaField(t, p.captcha, captchaErr?.code)}
<button type="submit">${t.send}</button>
</form>`
    : html`<p>${t.captchaNeedsJs}</p>`;

  const number = new Intl.NumberFormat(p.lang === 'vi' ? 'vi-VN' : 'en-GB');
  const list = p.comments.length
    ? html`<ul class="comments">${p.comments.map(
        (c) => html`<li><article>
<h3>${c.title || c.name}</h3>
<p class="meta">${c.title ? html`${c.name} · ` : ''}<time datetime="${c.createdAt}">${dateTime(p.lang, c.createdAt, p.timeZone)}</time></p>
<p class="content">${c.content}</p>
${c.reply ? html`<div class="reply"><p><strong>${t.agencyReply}</strong></p><p class="content">${c.reply.content}</p></div>` : ''}
</article></li>
`,
      )}</ul>${p.older ? html`<p><a href="${p.older}">${t.older}</a></p>` : ''}`
    : html`<p>${t.noComments}</p>`;

  const status =
    p.sent === 'pending'
      ? notice(t.sentPending)
      : p.sent === 'approved'
        ? notice(t.sentApproved)
        : '';
  return layout(
    {
      lang: p.lang,
      title: `${errors.length ? `${t.problem}: ` : ''}${t.commentsTitle} – ${p.thread}`,
      here: p.url,
    },
    html`${errorSummary(t, errors)}${status}<h1>${t.commentsTitle}</h1>
<h2>${t.newComment}</h2>
${form}
<h2>${t.commentCount(number.format(p.total), p.total)}</h2>
${list}`,
  );
}

/** A page for what cannot be shown in a form: a foreign origin, an unknown poll, a rate limit. */
export function errorPage(lang: Lang, code: string, back?: string): string {
  const t = STRINGS[lang];
  return layout(
    { lang, title: t.errorTitle, here: back ?? '/' },
    html`<h1>${t.errorTitle}</h1>
<p>${errorText(t, code)}</p>
${back ? html`<p><a href="${back}">${t.back}</a></p>` : ''}`,
  );
}
