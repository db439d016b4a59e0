/** JSON schemas (TypeBox) of the comment routes, public and admin. */
import { Type, type TSchema } from '@sinclair/typebox';
import {
  COMMENT_MAX,
  EMAIL_PATTERN,
  LINE_PATTERN,
  TEXT_PATTERN,
  THREAD_MAX,
  THREAD_PATTERN,
} from '../../shared/comments.js';
import { describePattern } from '../core/errors.js';
import { Nullable } from '../core/schemas.js';

const LINE = describePattern(LINE_PATTERN, 'contains control characters');
const TEXT = describePattern(TEXT_PATTERN, 'contains control characters');
const EMAIL = describePattern(EMAIL_PATTERN, 'is not an e-mail address');
const THREAD = describePattern(
  THREAD_PATTERN,
  'a thread is 1–200 URL path characters, sent as one encoded path segment',
);
const CURSOR = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const ID = Type.String({ pattern: '^[A-Za-z0-9_-]{16}$' });

/** The public routes' schema failures name their field in the code (`invalid_email`), for the widget. */
export const FIELD_CODES = {
  name: 'invalid_name',
  email: 'invalid_email',
  title: 'invalid_title',
  content: 'invalid_content',
  captcha: 'captcha_invalid',
  thread: 'invalid_thread',
  cursor: 'invalid_cursor',
};

export const ThreadParams = Type.Object(
  { thread: Type.String({ minLength: 1, maxLength: THREAD_MAX, pattern: THREAD }) },
  { additionalProperties: false },
);

export const CursorQuery = Type.Object(
  { cursor: Type.Optional(CURSOR) },
  { additionalProperties: false },
);

const Content = Type.String({ minLength: 1, maxLength: COMMENT_MAX.content, pattern: TEXT });

export const NewCommentBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: COMMENT_MAX.name, pattern: LINE }),
    email: Type.String({ minLength: 1, maxLength: COMMENT_MAX.email, pattern: EMAIL }),
    title: Type.Optional(Type.String({ maxLength: COMMENT_MAX.title, pattern: LINE })),
    content: Content,
    // Optional here so that a missing token gets the captcha's own `captcha_required`.
    captcha: Type.Optional(Type.String({ maxLength: 1024 })),
    website: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

const Reply = Type.Optional(Type.Object({ content: Type.String(), createdAt: Type.String() }));

export const PublicCommentView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  title: Type.String(),
  content: Type.String(),
  createdAt: Type.String(),
  reply: Reply,
});

/** A page of comments: `items`, the total, and the cursor of the next page. */
const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), next: Nullable(Type.String()) });

export const PendingView = Type.Object({ status: Type.Literal('pending') });
export const ApprovedView = Type.Object({
  status: Type.Literal('approved'),
  comment: PublicCommentView,
});

// Admin

const STATUS = Type.Union([
  Type.Literal('pending'),
  Type.Literal('approved'),
  Type.Literal('rejected'),
]);

export const CommentParams = Type.Object({ id: ID }, { additionalProperties: false });

export const AdminListQuery = Type.Object(
  {
    status: Type.Optional(STATUS),
    q: Type.Optional(Type.String({ maxLength: 200, pattern: LINE })),
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
  reply: Reply,
  /** The network this comment came from is banned on the site right now. */
  banned: Type.Boolean(),
});

export const CommentPageView = Page(PublicCommentView);
export const AdminCommentPage = Page(AdminCommentView);

export const BulkBody = Type.Object(
  {
    action: Type.Union([Type.Literal('approve'), Type.Literal('reject'), Type.Literal('delete')]),
    ids: Type.Array(ID, { minItems: 1, maxItems: 100, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const ChangedView = Type.Object({ changed: Type.Integer() });

export const ReplyBody = Type.Object({ content: Content }, { additionalProperties: false });

export const BanBody = Type.Object(
  { days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })) },
  { additionalProperties: false },
);
export const BanView = Type.Object({
  banned: Type.Boolean(),
  expiresAt: Type.Optional(Type.String()),
});

export const PurgeBody = Type.Object(
  { olderThanDays: Type.Integer({ minimum: 0, maximum: 3650 }) },
  { additionalProperties: false },
);
export const PurgeView = Type.Object({ purged: Type.Integer() });

export const CommentSettingsBody = Type.Object(
  { autoApprove: Type.Boolean(), purgeDays: Type.Integer({ minimum: 0, maximum: 3650 }) },
  { additionalProperties: false },
);
