/**
 * Comment DTOs and the limits both sides check (the widget before sending, the server always).
 * Types and pure constants only: nothing here may import client or server code.
 */

/** Longest accepted value of each field, in characters (code points). */
export const COMMENT_MAX = { name: 80, email: 254, title: 150, content: 3000 } as const;

/** The fields of the comment form, in form order. */
export type CommentField = keyof typeof COMMENT_MAX;

/** Comments per page of `GET /threads/{thread}/comments`. */
export const COMMENT_PAGE_SIZE = 10;

/** Longest thread id (the widget's `thread`, default `location.pathname`). */
export const THREAD_MAX = 200;

/**
 * Thread ids: URL path characters (letters of any script, digits, `/ - . _ ~ : @ ! $ & ' ( ) * + , ; = %`),
 * no spaces or control characters. The widget sends one as ONE path segment (`encodeURIComponent`).
 */
export const THREAD_PATTERN = "^[\\p{L}\\p{M}\\p{N}/._~:@!$&'()*+,;=%-]+$";

/** Single-line fields (name, e-mail, title): no control characters at all. */
export const LINE_PATTERN = '^[^\\u0000-\\u001f\\u007f-\\u009f]*$';

/** Content: no control characters except tab, line feed and carriage return. */
export const TEXT_PATTERN = '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$';

/** A plausible e-mail address (the server only stores it; it is never shown). */
export const EMAIL_PATTERN = '^[^\\s@]+@[^\\s@.]+(\\.[^\\s@.]+)+$';

/** The agency's official answer under a comment. */
export interface CommentReply {
  content: string;
  /** ISO 8601. */
  createdAt: string;
}

/** A comment as the public API shows it: never an e-mail, an IP or a hash of either. */
export interface PublicComment {
  id: string;
  name: string;
  /** May be empty. */
  title: string;
  content: string;
  /** ISO 8601. */
  createdAt: string;
  reply?: CommentReply;
}

/** `GET /threads/{thread}/comments`: approved comments, newest first. */
export interface CommentPage {
  items: PublicComment[];
  /** Approved comments in the thread. */
  total: number;
  /** Opaque cursor of the next page; null on the last page. */
  next: string | null;
}

/** Where a comment stands in moderation. */
export type CommentStatus = 'pending' | 'approved' | 'rejected';

/** A comment as the moderation API shows it: the public view plus thread, e-mail, status and ban. */
export interface AdminComment extends PublicComment {
  thread: string;
  email: string;
  status: CommentStatus;
  /** Whether the network the comment came from is banned on the site. */
  banned: boolean;
}

/** `GET /admin/sites/{site}/comments`: one page of the moderation list. */
export interface AdminCommentPage {
  items: AdminComment[];
  total: number;
  next: string | null;
}

/** Body of `POST /threads/{thread}/comments`. */
export interface NewCommentRequest {
  name: string;
  email: string;
  title: string;
  content: string;
  /** The `<civic-captcha>` token. */
  captcha: string;
  /** Honeypot: hidden from people; anything in it refuses the post. */
  website?: string;
}

/** 202 `{status:'pending'}`, or 201 with the comment when the site approves automatically. */
export type NewCommentResponse =
  { status: 'pending' } | { status: 'approved'; comment: PublicComment };
