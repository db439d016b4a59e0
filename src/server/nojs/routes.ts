import { Value } from '@sinclair/typebox/value';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { COMMENT_PAGE_SIZE } from '../../shared/comments.js';
import { ISSUE_PER_MINUTE } from '../captcha/routes.js';
import { FIELD_CODES, NewCommentBody } from '../comments/schemas.js';
import { serverOrigin } from '../config.js';
import {
  COMMENT_POSTS_PER_MINUTE,
  nextCursor,
  postComment,
  publicView,
  readCursor,
  type CommentInput,
} from '../comments/service.js';
import type { Routes } from '../core/api.js';
import { HttpError, knownError } from '../core/errors.js';
import { isRedisError } from '../core/shared-state.js';
import { newVoterLimit } from '../polls/routes.js';
import { originAllowed } from '../core/sites.js';
import type { SiteRecord } from '../db/storage.js';
import { VOTER_TOKEN_PATTERN, type PollView } from '../../shared/polls.js';
import {
  commentsPage,
  errorPage,
  pollPage,
  withLang,
  type CommentValues,
  type FieldError,
} from './pages.js';
import {
  CommentForm,
  CommentsPageQuery,
  CommentsPostQuery,
  LangQuery,
  PollPageParams,
  PollPageQuery,
  SitePageParams,
  VoteForm,
} from './schemas.js';
import { pickLang, type Lang } from './strings.js';

/** The pages' policy: nothing but our stylesheet, images from us or `data:` (the captcha), forms to us. */
export const NOJS_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'";

const VOTER_COOKIE = 'civic_voter';
const VOTER = new RegExp(VOTER_TOKEN_PATTERN);
const YEAR_S = 365 * 86_400;
/** A comment of 3000 Vietnamese characters is up to 27 KB form-encoded (the JSON API's limit is 16 KB). */
const COMMENT_BODY_LIMIT = 64 * 1024;

/** Errors of a vote shown on the poll page after the redirect (others get the error page). */
const VOTE_ERRORS = new Set([
  'invalid_choices',
  'invalid_voter',
  'poll_closed',
  'poll_not_open',
  'poll_changed',
  'vote_limit',
  'captcha_required',
  'captcha_invalid',
  'captcha_expired',
  'captcha_used',
  'captcha_mismatch',
]);

/** Which field of the comment form an error code belongs to. */
const COMMENT_FIELD: Record<string, string> = {
  invalid_name: 'name',
  invalid_email: 'email',
  invalid_title: 'title',
  invalid_content: 'content',
  captcha_required: 'captcha',
  captcha_invalid: 'captcha',
  captcha_expired: 'captcha',
  captcha_used: 'captcha',
  captcha_mismatch: 'captcha',
};
const targetOf = (field: string) =>
  field === 'captcha' ? 'code' : field === 'form' ? 'name' : field;

const langOf = (req: FastifyRequest): Lang =>
  pickLang((req.query as { lang?: string } | undefined)?.lang, req.headers['accept-language']);

/** Sends a page with the pages' security headers. */
function page(reply: FastifyReply, status: number, lang: Lang, body: string): FastifyReply {
  return reply
    .status(status)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Content-Language', lang)
    .header('Content-Security-Policy', NOJS_CSP)
    .header('Cache-Control', 'no-store')
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'same-origin')
    .send(body);
}

/**
 * The Origin check of the JSON API's writes, for a form: the Origin must be this server's own (from
 * its configuration, `PUBLIC_URL`, never from `Host`) or one of the site's allowed origins. A browser too old to send Origin sends a Referer: its origin
 * is checked the same way. Neither (or `Origin: null`) is refused: a 403, nothing changed.
 */
export function checkFormOrigin(req: FastifyRequest, site: SiteRecord): void {
  let from = req.headers.origin;
  if (from === undefined && req.headers.referer) {
    try {
      from = new URL(req.headers.referer).origin;
    } catch {
      from = undefined;
    }
  }
  if (from === undefined)
    throw new HttpError(403, 'origin_required', 'The form was sent without Origin or Referer');
  if (!originAllowed(site, from, serverOrigin(req.server.civic.config)))
    throw new HttpError(403, 'origin_not_allowed', `Origin ${from} is not allowed for this site`);
}

function readVoter(req: FastifyRequest): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== VOTER_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (VOTER.test(value)) return value;
  }
  return undefined;
}

/** The voter token, for this poll's page only (HttpOnly, SameSite=Lax, Secure over HTTPS). */
function setVoter(req: FastifyRequest, reply: FastifyReply, path: string, token: string): void {
  reply.header(
    'Set-Cookie',
    `${VOTER_COOKIE}=${token}; Path=${path}; Max-Age=${YEAR_S}; HttpOnly${req.protocol === 'https' ? '; Secure' : ''}; SameSite=Lax`,
  );
}

/** Every field error of the comment against the API's own schema (`NewCommentBody`), one per field. */
function commentErrors(input: CommentInput): FieldError[] {
  const errors: FieldError[] = [];
  for (const e of Value.Errors(NewCommentBody, input)) {
    const field = e.path.split('/')[1] ?? '';
    if (!field || errors.some((x) => x.field === field)) continue;
    const code = (FIELD_CODES as Record<string, string>)[field] ?? 'invalid_request';
    errors.push({ field, target: targetOf(field), code });
  }
  return errors;
}

/**
 * The no-JavaScript pages of a site, `/s/:site/…`: `GET`/`POST /polls/:poll` and
 * `GET`/`POST /comments?thread=…`. Forms post `application/x-www-form-urlencoded`; a success is a
 * 303 back to the page with a notice, an error the page again with its message (or the error
 * page). The polls, comments and captcha services do the work, with the JSON API's rules.
 */
export const nojsRoutes: Routes = async (app) => {
  const { polls, captcha, comments: store } = app;
  const { sites } = app.civic;
  const sharedLimit = app.civic.limit;
  const limitTokens = newVoterLimit(app);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_req, body, done) => {
      // A null prototype: a field named `__proto__` is just a field (and refused by the schema).
      const form = Object.create(null) as Record<string, string | string[]>;
      for (const [key, value] of new URLSearchParams(body as string)) {
        const seen = form[key];
        form[key] = seen === undefined ? value : [seen, value].flat();
      }
      done(null, form);
    },
  );

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const lang = langOf(req);
    let known = knownError(err);
    if (!known && isRedisError(err)) known = new HttpError(503, 'unavailable', 'unavailable');
    if (!known) {
      req.log.error({ err }, 'request failed');
      known = new HttpError(500, 'internal', 'Internal server error');
    }
    // A refused form links back to its page (the URL it was posted to).
    const back = req.method === 'POST' ? req.url : undefined;
    return page(reply, known.statusCode, lang, errorPage(lang, known.code, back));
  });

  // ---- polls ----

  app.get(
    '/polls/:poll',
    { onRequest: sharedLimit, schema: { params: PollPageParams, querystring: PollPageQuery } },
    async (req, reply) => {
      const site = await sites.get(req.params.site);
      const { poll: id } = req.params;
      const url = `/s/${site.id}/polls/${id}`;
      let token = readVoter(req);
      /** The poll's public view (what `GET /polls/:poll` answers), for this voter. */
      const read = async (voter?: string): Promise<PollView> =>
        JSON.parse((await polls.read(site.id, id, voter)).json) as PollView;
      let view: PollView | undefined;
      if (token) {
        try {
          view = await read(token);
        } catch (err) {
          if (!(err instanceof HttpError && err.code === 'invalid_voter')) throw err;
        }
      }
      if (!view) {
        // First visit (or a token of another poll): a new voter token in a cookie of this page,
        // under the API's limit of new voter tokens.
        await limitTokens(req, reply);
        token = await polls.newVoter(site.id, id);
        setVoter(req, reply, url, token);
        view = await read();
      }
      const lang = langOf(req);
      const { voted, error } = req.query;
      // A poll that requires proof shows the captcha image (action `vote`) with its form.
      let proof: { id: string; image: string; length: number } | null = null;
      if (view.requireProof && view.status === 'open' && !view.voted) {
        const challenge = await captcha.issue(site, 'vote', req.ip);
        if (challenge.id && challenge.image)
          proof = { id: challenge.id, image: challenge.image, length: challenge.length ?? 6 };
      }
      return page(
        reply,
        200,
        lang,
        pollPage({
          lang,
          timeZone: site.timeZone,
          url,
          poll: view,
          voted: voted === '1' ? 'new' : voted === 'again' ? 'again' : undefined,
          error,
          proof,
        }),
      );
    },
  );

  app.post(
    '/polls/:poll',
    {
      onRequest: sharedLimit,
      schema: { params: PollPageParams, querystring: LangQuery, body: VoteForm },
    },
    async (req, reply) => {
      const site = await sites.get(req.params.site);
      checkFormOrigin(req, site);
      const { poll: id } = req.params;
      const lang = req.query.lang;
      const back = (query: string) => {
        const url = `/s/${site.id}/polls/${id}?${query}`;
        return reply.redirect(lang ? withLang(url, lang) : url, 303);
      };
      reply.header('Cache-Control', 'no-store');
      const token = readVoter(req);
      if (!token) return back('error=no_voter');
      const { choice, captcha_id: captchaId, code = '' } = req.body;
      const choices = choice === undefined ? [] : [choice].flat();
      const typed = code.trim();
      const proof = (t: string | undefined) => captcha.consume(site, 'vote', t);
      try {
        const result = await polls.vote(
          site.id,
          id,
          {
            choices,
            voter: token,
            captcha: typed && captchaId ? `c1.${captchaId}.${typed}` : undefined,
          },
          req.ip,
          proof,
        );
        return back(result.counted ? 'voted=1' : 'voted=again');
      } catch (err) {
        if (err instanceof HttpError && VOTE_ERRORS.has(err.code)) return back(`error=${err.code}`);
        throw err;
      }
    },
  );

  // ---- comments ----

  /** The comment page of `thread`, with a new captcha challenge. */
  async function showComments(
    reply: FastifyReply,
    status: number,
    site: SiteRecord,
    thread: string,
    lang: Lang,
    ip: string,
    extra: {
      cursor?: string;
      sent?: 'pending' | 'approved';
      values?: CommentValues;
      errors?: FieldError[];
    } = {},
  ): Promise<FastifyReply> {
    const url = `/s/${site.id}/comments?thread=${encodeURIComponent(thread)}`;
    const [challenge, { rows, total }] = await Promise.all([
      captcha.issue(site, 'comment', ip),
      store.listApproved(site.id, thread, COMMENT_PAGE_SIZE, readCursor(extra.cursor)),
    ]);
    const next = nextCursor(rows, COMMENT_PAGE_SIZE);
    return page(
      reply,
      status,
      lang,
      commentsPage({
        lang,
        timeZone: site.timeZone,
        url,
        thread,
        captcha:
          challenge.id && challenge.image
            ? { id: challenge.id, image: challenge.image, length: challenge.length ?? 6 }
            : null,
        comments: rows.map(publicView),
        total,
        older: next ? withLang(`${url}&cursor=${next}`, lang) : undefined,
        sent: extra.sent,
        values: extra.values,
        errors: extra.errors,
      }),
    );
  }

  app.get(
    '/comments',
    {
      // Each view issues a captcha challenge: the limit of `POST /captcha`.
      config: { rateLimit: { max: ISSUE_PER_MINUTE, timeWindow: 60_000 } },
      schema: { params: SitePageParams, querystring: CommentsPageQuery },
    },
    async (req, reply) => {
      const site = await sites.get(req.params.site);
      const { thread, sent, cursor } = req.query;
      return showComments(reply, 200, site, thread, langOf(req), req.ip, { sent, cursor });
    },
  );

  app.post(
    '/comments',
    {
      bodyLimit: COMMENT_BODY_LIMIT,
      config: { rateLimit: { max: COMMENT_POSTS_PER_MINUTE, timeWindow: 60_000 } },
      schema: { params: SitePageParams, querystring: CommentsPostQuery, body: CommentForm },
    },
    async (req, reply) => {
      const site = await sites.get(req.params.site);
      checkFormOrigin(req, site);
      const { thread } = req.query;
      const lang = langOf(req);
      const f = req.body;
      const values: CommentValues = {
        name: f.name ?? '',
        email: f.email ?? '',
        title: f.title ?? '',
        content: f.content ?? '',
      };
      const code = (f.code ?? '').trim();
      const input: CommentInput = {
        ...values,
        captcha: code && f.captcha_id ? `c1.${f.captcha_id}.${code}` : undefined,
        website: f.website || undefined,
      };
      const errors = commentErrors(input);
      if (errors.length)
        return showComments(reply, 400, site, thread, lang, req.ip, { values, errors });
      try {
        const result = await postComment(app, site, thread, input, req.ip, reply);
        const url = `/s/${site.id}/comments?thread=${encodeURIComponent(thread)}&sent=${result.status}`;
        return reply
          .header('Cache-Control', 'no-store')
          .redirect(req.query.lang ? withLang(url, req.query.lang) : url, 303);
      } catch (err) {
        if (!(err instanceof HttpError) || err.statusCode >= 500) throw err;
        const field = COMMENT_FIELD[err.code] ?? 'form';
        return showComments(reply, err.statusCode, site, thread, lang, req.ip, {
          values,
          errors: [{ field, target: targetOf(field), code: err.code }],
        });
      }
    },
  );
};
