import type { ColumnType } from 'kysely';
import type { CaptchaChallengesTable, CaptchaPowUsedTable, SiteCaptchaColumns } from './captcha-schema.js';
import type { CommentBansTable, CommentSaltsTable, CommentsTable, SiteCommentColumns } from './comments-schema.js';
import type { PollIpCountsTable, PollOptionsTable, PollsTable, PollTalliesTable, PollVotesTable, ServerSecretsTable } from './poll-tables.js';

/**
 * A 64-bit integer column. better-sqlite3 returns a number, pg returns a string (int8), so reads
 * go through `Number()`; writes take a number.
 */
export type Int8<Insert = number> = ColumnType<number | string, Insert, number>;

/** `sites`: one row per embedding site. Times are epoch milliseconds on both engines. */
export interface SitesTable {
  id: string;
  name: string;
  /** JSON array of exact origins. */
  origins: string;
  legacy_offset: Int8<number | undefined>;
  time_zone: ColumnType<string, string | undefined, string>;
  created_at: ColumnType<number | string, number, never>;
  // comments (0005_comments)
  comments_auto_approve: SiteCommentColumns['comments_auto_approve'];
  comments_purge_days: SiteCommentColumns['comments_purge_days'];
  // captcha (0004_captcha)
  captcha_mode: SiteCaptchaColumns['captcha_mode'];
  captcha_secret: SiteCaptchaColumns['captcha_secret'];
}

/** `visit_days`: visits of one site on one local day (`YYYY-MM-DD`). */
export interface VisitDaysTable {
  site: string;
  day: string;
  count: Int8;
}

/** `visit_sessions`: presence for "online now", epoch-ms `last_seen`. */
export interface VisitSessionsTable {
  site: string;
  session: string;
  last_seen: Int8;
}

/** `lists`: slogan lists and link lists (migration `0003_lists`); `items` is a JSON array. */
export interface ListsTable {
  site: string;
  /** `slogans` or `links`. */
  kind: string;
  id: string;
  title: string;
  items: string;
  version: Int8;
  created_at: Int8;
  updated_at: Int8;
}

/** The Kysely database type (tables created by `migrations/index.ts`). */
export interface Database {
  lists: ListsTable;
  sites: SitesTable;
  visit_days: VisitDaysTable;
  visit_sessions: VisitSessionsTable;
  comments: CommentsTable;
  comment_bans: CommentBansTable;
  comment_salts: CommentSaltsTable;
  server_secrets: ServerSecretsTable;
  polls: PollsTable;
  poll_options: PollOptionsTable;
  poll_votes: PollVotesTable;
  poll_ip_counts: PollIpCountsTable;
  poll_tallies: PollTalliesTable;
  captcha_challenges: CaptchaChallengesTable;
  captcha_pow_used: CaptchaPowUsedTable;
}
