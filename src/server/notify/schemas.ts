/** JSON schemas (TypeBox) of the notification settings API. */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from '../core/schemas.js';

export const NotifyBody = Type.Object(
  {
    /** http(s) URL that receives a signed POST per waiting comment; null: no webhook. */
    webhookUrl: Nullable(Type.String({ minLength: 1, maxLength: 2048 })),
    /** Whether the site's moderators get e-mails. */
    emails: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type NotifyBody = Static<typeof NotifyBody>;

export const NotifyView = Type.Object({
  webhookUrl: Nullable(Type.String()),
  emails: Type.Boolean(),
  /** Whether the webhook has a signing secret (the secret is shown only when made). */
  hasSecret: Type.Boolean(),
  /** The new signing secret, only in the answer that created it. */
  secret: Type.Optional(Type.String()),
});

export const SecretView = Type.Object({ secret: Type.String() });
