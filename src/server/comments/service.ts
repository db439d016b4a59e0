/**
 * Comment helpers shared by the public and the admin routes: views (what each side may see),
 * the opaque cursor and input clean-up.
 */
import { channel } from 'node:diagnostics_channel';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type {
  AdminComment,
  CommentPage,
  NewCommentResponse,
  PublicComment,
} from '../../shared/comments.js';
import { decodeCursor, encodeCursor } from '../core/cursor.js';
import { HttpError } from '../core/errors.js';
import { cleanLine, cleanText } from '../core/text.js';
import { ipPrefix } from '../core/net.js';
import type { SiteRecord } from '../db/storage.js';
import type { CommentCursor, CommentRow } from './store.js';

/** Posts per minute per IP prefix (shared by the instances through Redis with REDIS_URL): far below the read limit. */
export const COMMENT_POSTS_PER_MINUTE = 5;
/** Posts per hour per site and IP-hash, counted in the database (holds across instances). */
export const COMMENT_POSTS_PER_HOUR = 20;
const HOUR_MS = 3_600_000;

/** A new comment as a visitor sends it (the JSON body, or the no-JavaScript form's fields). */
export interface CommentInput {
  name: string;
  email?: string;
  title?: string;
  content: string;
  /** The `<civic-captcha>` token: `c1.<id>.<code>` or `p1.…`. */
  captcha?: string;
  /** The honeypot: must stay empty. */
  website?: string;
}

/**
 * Posts a comment: clean-up, required fields, honeypot, ban, the hourly limit per network (its
 * `Retry-After` set on `reply`), the captcha (checked and consumed on the server, every time),
 * then stored as approved or pending as the site says. Throws an {@link HttpError} naming the
 * problem; nothing is stored then.
 */
export async function postComment(
  app: FastifyInstance,
  site: SiteRecord,
  thread: string,
  body: CommentInput,
  ip: string,
  reply: FastifyReply,
): Promise<NewCommentResponse> {
  const { comments: store, captcha } = app;
  const name = cleanLine(body.name);
  const title = cleanLine(body.title);
  const content = cleanText(body.content);
  if (!name) throw new HttpError(400, 'invalid_name', 'Invalid field "name": is required');
  if (!content) throw new HttpError(400, 'invalid_content', 'Invalid field "content": is required');
  // Honeypot: refused with a clear error rather than silently dropped, so a person whose
  // browser auto-filled it learns why; the captcha below is what actually stops bots.
  if (body.website)
    throw new HttpError(
      400,
      'spam_detected',
      'Invalid field "website": this field must stay empty',
    );

  const prefix = ipPrefix(ip);
  if (await store.isBanned(site.id, prefix))
    throw new HttpError(403, 'banned', 'Comments from this network are blocked on this site');
  const { hash, day } = await store.ipHash(site.id, prefix);
  const now = app.civic.now();
  const recent = await store.postedSince(site.id, hash, now - HOUR_MS);
  if (recent.count >= COMMENT_POSTS_PER_HOUR) {
    const retry = Math.max(1, Math.ceil((recent.oldest + HOUR_MS - now) / 1000));
    reply.header('Retry-After', String(retry));
    throw new HttpError(
      429,
      'rate_limited',
      `Too many comments from this network; retry in ${retry} s`,
    );
  }

  const check = await captcha.consume(site, 'comment', body.captcha);
  if (!check.ok) throw new HttpError(400, check.code, check.message);

  const settings = await store.settings(site.id);
  const status = settings?.autoApprove ? 'approved' : 'pending';
  const row = await store.create({
    site: site.id,
    thread,
    name,
    email: cleanLine(body.email),
    title,
    content,
    status,
    ipHash: hash,
    saltDay: day,
  });
  // A published comment drops the cached pages of its thread on every instance.
  if (status === 'approved') await app.civic.changed(site.id, 'comments', row.thread);
  if (status === 'pending' && commentWaiting.hasSubscribers)
    commentWaiting.publish({
      civic: app.civic,
      site: site.id,
      thread: row.thread,
      id: row.id,
    } satisfies CommentWaiting);
  return status === 'approved' ? { status, comment: publicView(row) } : { status };
}

/** What {@link commentWaiting} carries: a comment just stored as pending (no personal data). */
export interface CommentWaiting {
  /** The app's `app.civic`, so that a listener hears only its own app. */
  civic: object;
  site: string;
  thread: string;
  id: string;
}

/**
 * Published once a comment is stored as pending; the notify feature listens (comments know
 * nothing of it). Listeners must not throw or wait: they queue their work.
 */
export const commentWaiting = channel('civic-widgets:comment-waiting');

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

/** The public view: never the e-mail, the IP-hash, the status or the search text. */
export function publicView(row: CommentRow): PublicComment {
  const view: PublicComment = {
    id: row.id,
    name: row.name,
    title: row.title,
    content: row.content,
    createdAt: iso(row.created_at),
  };
  if (row.reply !== null && row.replied_at !== null)
    view.reply = { content: row.reply, createdAt: iso(row.replied_at) };
  return view;
}

/** The moderators' view: adds thread, e-mail, status and whether the network is banned (never the hash). */
export function adminView(row: CommentRow, banned: boolean): AdminComment {
  return { ...publicView(row), thread: row.thread, email: row.email, status: row.status, banned };
}

/** `base64url("<created_at>.<id>")` of the last row, when the page is full. */
export function nextCursor(rows: CommentRow[], limit: number): CommentPage['next'] {
  const last = rows[limit - 1];
  return rows.length >= limit && last ? encodeCursor(Number(last.created_at), last.id) : null;
}

/** Decodes a cursor from {@link nextCursor}; 400 `invalid_cursor` for anything else. */
export function readCursor(cursor: string | undefined): CommentCursor | undefined {
  const at = decodeCursor(cursor, '"cursor"');
  return at && { createdAt: at.ms, id: at.id };
}

/** The text helpers of core/text.ts: one-line fields and the content. */
export { cleanLine, cleanText } from '../core/text.js';
