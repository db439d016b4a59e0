/** Kysely row types of the comments (`0005_comments`). */
import type { ColumnType } from 'kysely';
import type { CommentStatus } from '../../shared/comments.js';
import type { Int8 } from '../db/database.js';

export type { CommentStatus };

/** `comments`: one row per comment. Times are epoch milliseconds. */
export interface CommentsTable {
  /** Random, URL-safe, 16 characters. */
  id: string;
  site: string;
  thread: string;
  name: string;
  /** Stored for the moderators; never in a public response or a log line. */
  email: string;
  title: string;
  content: string;
  status: CommentStatus;
  created_at: Int8;
  /** HMAC(salt of the day, site + IP prefix): for bans and rate limits, never the IP itself. */
  ip_hash: string;
  /** Day (UTC `YYYY-MM-DD`) of the salt behind `ip_hash` (`daily_salts`, scope `comment`). */
  salt_day: string;
  /** Name, title and content folded (lower case, no diacritics) for moderator search. */
  search: string;
  reply: string | null;
  replied_at: Int8<number | null> | null;
}

/** `comment_bans`: an IP-hash refused on one site until `expires_at`. */
export interface CommentBansTable {
  site: string;
  ip_hash: string;
  salt_day: string;
  created_at: Int8;
  expires_at: Int8;
}

/** Columns `0005_comments` adds to `sites`. */
export interface SiteCommentsColumns {
  /** 1: new comments are approved at once; 0 (default): they wait for a moderator. */
  comments_auto_approve: ColumnType<number | string, number | undefined, number>;
  /** Pending comments older than this many days are deleted; 0 keeps them. */
  comments_purge_days: ColumnType<number | string, number | undefined, number>;
}

export interface CommentTables {
  comments: CommentsTable;
  comment_bans: CommentBansTable;
  sites: SiteCommentsColumns;
}
