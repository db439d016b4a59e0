/** JSON schemas (TypeBox) of the audit log API. */
import { Type, type Static } from '@sinclair/typebox';
import { describePattern } from '../core/errors.js';
import { Nullable, Slug } from '../core/schemas.js';

export const AuditQuery = Type.Object(
  {
    site: Type.Optional(Slug),
    /** `poll.update`, or a group of actions: `poll` (every `poll.…`). */
    action: Type.Optional(
      Type.String({
        maxLength: 100,
        pattern: describePattern(
          '^[a-z][a-z-]*(\\.[a-z][a-z-]*)*$',
          'is not an action (e.g. "poll" or "poll.update")',
        ),
      }),
    ),
    /** Who: a user's e-mail (ignoring case), `token:<name>`, `ADMIN_TOKEN`, `cli`. */
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.String({ pattern: '^(?:[1-9]|[1-9][0-9]|1[0-9][0-9]|200)$' })),
  },
  { additionalProperties: false },
);

export const AuditView = Type.Object({
  id: Type.String(),
  at: Type.String(),
  /** The user's e-mail, `token:<name>`, `ADMIN_TOKEN` or `cli`. */
  actor: Type.String(),
  userId: Nullable(Type.String()),
  action: Type.String(),
  site: Nullable(Type.String()),
  target: Nullable(Type.String()),
  before: Type.Optional(Type.Unknown()),
  after: Type.Optional(Type.Unknown()),
});
export type AuditView = Static<typeof AuditView>;

export const AuditPage = Type.Object({
  items: Type.Array(AuditView),
  next: Nullable(Type.String()),
});
