/** JSON schemas (TypeBox) of the poll routes, public and admin. */
import { Type, type TOptional, type TSchema } from '@sinclair/typebox';
import { VOTER_TOKEN_PATTERN } from '../shared/poll-types.js';
import { SiteParams } from './schemas.js';

/** Printable text: no C0/C1 control characters. */
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f-\\u009f]*$';
const SLUG = '^[a-z0-9][a-z0-9-]{0,62}$';

export const PollParams = Type.Object(
  { site: SiteParams.properties.site, poll: Type.String({ pattern: SLUG }) },
  { additionalProperties: false },
);

export const PollQuery = Type.Object(
  { voter: Type.Optional(Type.String({ pattern: VOTER_TOKEN_PATTERN })) },
  { additionalProperties: false },
);

export const VoteBody = Type.Object(
  {
    choices: Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { maxItems: 50 }),
    voter: Type.String({ pattern: VOTER_TOKEN_PATTERN }),
  },
  { additionalProperties: false },
);

const Visibility = Type.Union([Type.Literal('always'), Type.Literal('after_vote'), Type.Literal('after_close'), Type.Literal('never')]);
const Instant = Type.Union([Type.String(), Type.Null()]);

export const PollViewBody = Type.Object({
  id: Type.String(),
  question: Type.String(),
  options: Type.Array(Type.Object({ id: Type.String(), label: Type.String() })),
  multiple: Type.Boolean(),
  maxChoices: Type.Integer(),
  opensAt: Instant,
  closesAt: Instant,
  status: Type.String(),
  resultsVisibility: Type.String(),
  requireProof: Type.Boolean(),
  voted: Type.Boolean(),
  choices: Type.Optional(Type.Array(Type.String())),
  results: Type.Optional(
    Type.Object({
      voters: Type.Integer(),
      options: Type.Array(Type.Object({ id: Type.String(), votes: Type.Integer() })),
    }),
  ),
  voterToken: Type.Optional(Type.String()),
  counted: Type.Optional(Type.Boolean()),
});

// ---- admin ----

/** ISO 8601 date-time with an offset or Z (checked again with Date.parse). */
const DateTime = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})$' });

const settings = {
  question: Type.String({ minLength: 1, maxLength: 500, pattern: PRINTABLE }),
  options: Type.Array(
    Type.Object(
      {
        id: Type.Optional(Type.String({ pattern: SLUG })),
        label: Type.String({ minLength: 1, maxLength: 200, pattern: PRINTABLE }),
      },
      { additionalProperties: false },
    ),
    { minItems: 2, maxItems: 20 },
  ),
  multiple: Type.Boolean(),
  maxChoices: Type.Integer({ minimum: 1, maximum: 20 }),
  opensAt: Type.Union([DateTime, Type.Null()]),
  closesAt: Type.Union([DateTime, Type.Null()]),
  resultsVisibility: Visibility,
  ipCeiling: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
  requireProof: Type.Boolean(),
};
/** Every property of `o`, optional. */
const optional = <T extends Record<string, TSchema>>(o: T) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Type.Optional(v)])) as { [K in keyof T]: TOptional<T[K]> };

export const NewPollBody = Type.Object(
  {
    id: Type.String({ pattern: SLUG }),
    question: settings.question,
    options: settings.options,
    ...optional({
      multiple: settings.multiple,
      maxChoices: settings.maxChoices,
      opensAt: settings.opensAt,
      closesAt: settings.closesAt,
      resultsVisibility: settings.resultsVisibility,
      ipCeiling: settings.ipCeiling,
      requireProof: settings.requireProof,
    }),
  },
  { additionalProperties: false },
);

export const PollPatchBody = Type.Object(optional(settings), { additionalProperties: false, minProperties: 1 });

export const AdminPollView = Type.Object({
  id: Type.String(),
  question: Type.String(),
  options: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), votes: Type.Integer() })),
  multiple: Type.Boolean(),
  maxChoices: Type.Integer(),
  opensAt: Instant,
  closesAt: Instant,
  status: Type.String(),
  resultsVisibility: Type.String(),
  ipCeiling: Type.Integer(),
  requireProof: Type.Boolean(),
  voters: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const ResultsQuery = Type.Object(
  { interval: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('hour')])) },
  { additionalProperties: false },
);

export const AdminResultsBody = Type.Object({
  poll: AdminPollView,
  interval: Type.String(),
  timeZone: Type.String(),
  series: Type.Array(
    Type.Object({
      period: Type.String(),
      voters: Type.Integer(),
      options: Type.Array(Type.Object({ id: Type.String(), votes: Type.Integer() })),
    }),
  ),
});
