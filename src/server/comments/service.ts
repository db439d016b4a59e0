/**
 * Comment helpers shared by the public and the admin routes: views (what each side may see),
 * the opaque cursor and input clean-up.
 */
import { channel } from 'node:diagnostics_channel';
import type { AdminComment, CommentPage, PublicComment } from '../../shared/comments.js';
import { decodeCursor, encodeCursor } from '../core/cursor.js';
import type { CommentCursor, CommentRow } from './store.js';

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
