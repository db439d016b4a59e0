/** JSON schemas (TypeBox) of the captcha routes: issuance, server-to-server verification, admin. */
import { Type } from '@sinclair/typebox';
import { Nullable, Slug } from '../core/schemas.js';
import { CAPTCHA_MODES } from './store.js';

const Action = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,31}$' });

export const CaptchaBody = Type.Object(
  { action: Type.Optional(Action) },
  { additionalProperties: false },
);

export const CaptchaView = Type.Object({
  mode: Type.String(),
  id: Nullable(Type.String()),
  image: Nullable(Type.String()),
  length: Nullable(Type.Integer()),
  pow: Nullable(
    Type.Object({
      algorithm: Type.String(),
      challenge: Type.String(),
      maxnumber: Type.Integer(),
      salt: Type.String(),
      signature: Type.String(),
    }),
  ),
  expiresAt: Type.String(),
});

export const VerifyBody = Type.Object(
  {
    site: Slug,
    secret: Type.String({ minLength: 1, maxLength: 200 }),
    token: Type.String({ maxLength: 1024 }),
    action: Type.Optional(Action),
  },
  { additionalProperties: false },
);

export const VerifyView = Type.Object({
  success: Type.Boolean(),
  action: Type.Optional(Type.String()),
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});

export const ModeBody = Type.Object(
  { mode: Type.Union(CAPTCHA_MODES.map((m) => Type.Literal(m))) },
  { additionalProperties: false },
);
export const ModeView = Type.Object({ mode: Type.String() });
export const SecretView = Type.Object({ secret: Type.String() });
