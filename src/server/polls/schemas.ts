/** JSON schemas (TypeBox) of the poll routes, public and admin. */
import { Type, type Static } from '@sinclair/typebox';
import { POLL_ID_PATTERN, POLL_LIMITS, VOTER_TOKEN_PATTERN } from '../../shared/polls.js';
import { Items, Nullable, optional, PRINTABLE, Slug } from '../core/schemas.js';

export const PollParams = Type.Object({ poll: Slug }, { additionalProperties: false });

export const PollQuery = Type.Object(
  { voter: Type.Optional(Type.String({ pattern: VOTER_TOKEN_PATTERN })) },
  { additionalProperties: false },
);

/** `POST /polls/{poll}/voters` takes an empty object (a JSON body: the browser asks first, CORS). */
export const NewVoterBody = Type.Object({}, { additionalProperties: false });
export const NewVoterView = Type.Object({ voterToken: Type.String() });

export const VoteBody = Type.Object(
  {
    choices: Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { maxItems: 50 }),
    voter: Type.String({ pattern: VOTER_TOKEN_PATTERN }),
    /** A captcha token for the action `vote` (a poll with `requireProof` takes no vote without one). */
    captcha: Type.Optional(Type.String({ maxLength: 1024 })),
  },
  { additionalProperties: false },
);
export type VoteBody = Static<typeof VoteBody>;

const Visibility = Type.Union([
  Type.Literal('always'),
  Type.Literal('after_vote'),
  Type.Literal('after_close'),
  Type.Literal('never'),
]);
const Instant = Nullable(Type.String());
const Votes = Type.Array(Type.Object({ id: Type.String(), votes: Type.Integer() }));

/** What the public and the admin view of a poll share (after its options). */
const pollFields = {
  multiple: Type.Boolean(),
  maxChoices: Type.Integer(),
  opensAt: Instant,
  closesAt: Instant,
  status: Type.String(),
  resultsVisibility: Type.String(),
};

export const PollViewBody = Type.Object({
  id: Type.String(),
  question: Type.String(),
  options: Type.Array(Type.Object({ id: Type.String(), label: Type.String() })),
  ...pollFields,
  requireProof: Type.Boolean(),
  voted: Type.Boolean(),
  choices: Type.Optional(Type.Array(Type.String())),
  results: Type.Optional(Type.Object({ voters: Type.Integer(), options: Votes })),
  counted: Type.Optional(Type.Boolean()),
});

// ---- admin ----

/** ISO 8601 date-time with an offset or Z (checked again with Date.parse). */
const DateTime = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})$',
});

const settings = {
  question: Type.String({ minLength: 1, maxLength: POLL_LIMITS.question, pattern: PRINTABLE }),
  options: Type.Array(
    Type.Object(
      {
        id: Type.Optional(Type.String({ pattern: POLL_ID_PATTERN })),
        label: Type.String({
          minLength: 1,
          maxLength: POLL_LIMITS.optionLabel,
          pattern: PRINTABLE,
        }),
      },
      { additionalProperties: false },
    ),
    { minItems: POLL_LIMITS.minOptions, maxItems: POLL_LIMITS.maxOptions },
  ),
  multiple: Type.Boolean(),
  maxChoices: Type.Integer({ minimum: 1, maximum: 20 }),
  opensAt: Nullable(DateTime),
  closesAt: Nullable(DateTime),
  resultsVisibility: Visibility,
  ipCeiling: Type.Integer({ minimum: 0, maximum: POLL_LIMITS.ipCeiling }),
  requireProof: Type.Boolean(),
};
const { question, options, ...rest } = settings;

export const NewPollBody = Type.Object(
  { id: Slug, question, options, ...optional(rest) },
  { additionalProperties: false },
);

export const PollPatchBody = Type.Object(optional(settings), {
  additionalProperties: false,
  minProperties: 1,
});
/** Admin input of poll settings: a new poll's, or a change. */
export type PollInput = Omit<Static<typeof NewPollBody>, 'id'> | Static<typeof PollPatchBody>;

export const AdminPollView = Type.Object({
  id: Type.String(),
  question: Type.String(),
  options: Type.Array(
    Type.Object({ id: Type.String(), label: Type.String(), votes: Type.Integer() }),
  ),
  ...pollFields,
  ipCeiling: Type.Integer(),
  requireProof: Type.Boolean(),
  voters: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type AdminPollView = Static<typeof AdminPollView>;
export const AdminPollList = Items(AdminPollView);

export const ResultsQuery = Type.Object(
  { interval: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('hour')])) },
  { additionalProperties: false },
);

export const AdminResultsBody = Type.Object({
  poll: AdminPollView,
  interval: Type.String(),
  timeZone: Type.String(),
  series: Type.Array(
    Type.Object({ period: Type.String(), voters: Type.Integer(), options: Votes }),
  ),
});
