/** JSON schemas of the comment routes (TypeBox), public and admin. */
import { Type } from '@sinclair/typebox';
import { COMMENT_MAX, EMAIL_PATTERN, LINE_PATTERN, TEXT_PATTERN, THREAD_MAX, THREAD_PATTERN } from '../shared/comments.js';
import { SiteParams } from './schemas.js';

const site = SiteParams.properties.site;
const CURSOR = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const ID = Type.String({ pattern: '^[A-Za-z0-9_-]{16}$' });

export const ThreadParams = Type.Object(
  { site, thread: Type.String({ minLength: 1, maxLength: THREAD_MAX, pattern: THREAD_PATTERN }) },
  { additionalProperties: false },
);

export const CursorQuery = Type.Object({ cursor: Type.Optional(CURSOR) }, { additionalProperties: false });

export const NewCommentBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: COMMENT_MAX.name, pattern: LINE_PATTERN }),
    email: Type.String({ minLength: 1, maxLength: COMMENT_MAX.email, pattern: EMAIL_PATTERN }),
    title: Type.Optional(Type.String({ maxLength: COMMENT_MAX.title, pattern: LINE_PATTERN })),
    content: Type.String({ minLength: 1, maxLength: COMMENT_MAX.content, pattern: TEXT_PATTERN }),
    // Optional here so that a missing token gets the captcha's own `captcha_required`.
    captcha: Type.Optional(Type.String({ maxLength: 1024 })),
    website: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const PublicCommentView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  title: Type.String(),
  content: Type.String(),
  createdAt: Type.String(),
  reply: Type.Optional(Type.Object({ content: Type.String(), createdAt: Type.String() })),
});

export const CommentPageView = Type.Object({
  items: Type.Array(PublicCommentView),
  total: Type.Integer(),
  next: Type.Union([Type.String(), Type.Null()]),
});

export const PendingView = Type.Object({ status: Type.Literal('pending') });
export const ApprovedView = Type.Object({ status: Type.Literal('approved'), comment: PublicCommentView });

// Admin

const STATUS = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]);

export const CommentParams = Type.Object({ site, id: ID }, { additionalProperties: false });

export const AdminListQuery = Type.Object(
  {
    status: Type.Optional(STATUS),
    q: Type.Optional(Type.String({ maxLength: 200, pattern: LINE_PATTERN })),
    cursor: Type.Optional(CURSOR),
    limit: Type.Optional(Type.String({ pattern: '^(?:[1-9]|[1-9][0-9]|100)$' })),
  },
  { additionalProperties: false },
);

export const AdminCommentView = Type.Object({
  id: Type.String(),
  thread: Type.String(),
  name: Type.String(),
  /** Moderators may write back; the public API never returns it. */
  email: Type.String(),
  title: Type.String(),
  content: Type.String(),
  status: STATUS,
  createdAt: Type.String(),
  reply: Type.Optional(Type.Object({ content: Type.String(), createdAt: Type.String() })),
  /** The network this comment came from is banned on the site right now. */
  banned: Type.Boolean(),
});

export const AdminCommentPage = Type.Object({
  items: Type.Array(AdminCommentView),
  total: Type.Integer(),
  next: Type.Union([Type.String(), Type.Null()]),
});

export const BulkBody = Type.Object(
  {
    action: Type.Union([Type.Literal('approve'), Type.Literal('reject'), Type.Literal('delete')]),
    ids: Type.Array(ID, { minItems: 1, maxItems: 100, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const ChangedView = Type.Object({ changed: Type.Integer() });

export const ReplyBody = Type.Object(
  { content: Type.String({ minLength: 1, maxLength: COMMENT_MAX.content, pattern: TEXT_PATTERN }) },
  { additionalProperties: false },
);

export const BanBody = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })) }, { additionalProperties: false });
export const BanView = Type.Object({ banned: Type.Boolean(), expiresAt: Type.Optional(Type.String()) });

export const PurgeBody = Type.Object({ olderThanDays: Type.Integer({ minimum: 0, maximum: 3650 }) }, { additionalProperties: false });
export const PurgeView = Type.Object({ purged: Type.Integer() });

export const CommentSettingsBody = Type.Object(
  { autoApprove: Type.Boolean(), purgeDays: Type.Integer({ minimum: 0, maximum: 3650 }) },
  { additionalProperties: false },
);
