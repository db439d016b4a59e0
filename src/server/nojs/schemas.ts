/** JSON schemas (TypeBox) of the no-JavaScript pages: path, query strings and form bodies. */
import { Type } from '@sinclair/typebox';

import { Slug } from '../core/schemas.js';
import { ThreadParams } from '../comments/schemas.js';

const Lang = Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')]));
/** An error code carried back by a redirect (`?error=poll_closed`); shown as its message. */
const Code = Type.Optional(Type.String({ pattern: '^[a-z_]{1,40}$' }));
const Thread = ThreadParams.properties.thread;

export const PollPageParams = Type.Object(
  { site: Slug, poll: Slug },
  { additionalProperties: false },
);
export const SitePageParams = Type.Object({ site: Slug }, { additionalProperties: false });

export const PollPageQuery = Type.Object(
  {
    lang: Lang,
    voted: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('again')])),
    error: Code,
  },
  { additionalProperties: false },
);
export const LangQuery = Type.Object({ lang: Lang }, { additionalProperties: false });

/** `choice=o1` (radio) or `choice=o1&choice=o2` (checkboxes); none when nothing was chosen. */
const Choice = Type.String({ minLength: 1, maxLength: 63 });
export const VoteForm = Type.Object(
  {
    choice: Type.Optional(Type.Union([Choice, Type.Array(Choice, { maxItems: 50 })])),
    // The captcha of a poll that requires proof: the challenge and the code typed from its image.
    captcha_id: Type.Optional(Type.String({ maxLength: 64 })),
    code: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const CommentsPageQuery = Type.Object(
  {
    thread: Thread,
    lang: Lang,
    sent: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('approved')])),
    cursor: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
    ),
  },
  { additionalProperties: false },
);
export const CommentsPostQuery = Type.Object(
  { thread: Thread, lang: Lang },
  { additionalProperties: false },
);

/**
 * The comment form as posted: strings only, capped well above the API's limits (so a too-long
 * value is reported on its field by the API's own schema, `NewCommentBody`, checked afterwards).
 */
const Field = (max: number) => Type.Optional(Type.String({ maxLength: max }));
export const CommentForm = Type.Object(
  {
    name: Field(1_000),
    email: Field(1_000),
    title: Field(1_000),
    content: Field(12_000),
    captcha_id: Field(64),
    code: Field(64),
    website: Field(500),
  },
  { additionalProperties: false },
);
