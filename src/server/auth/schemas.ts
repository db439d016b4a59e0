/** JSON schemas (TypeBox) of the auth API and of the users and tokens admin API. */
import { Type, type Static } from '@sinclair/typebox';
import { describePattern } from '../core/errors.js';
import { Nullable, Slug, Text } from '../core/schemas.js';
import { MAX_PASSWORD } from './password.js';

export const EMAIL = describePattern(
  '^[^\\s@]+@[^\\s@.]+(\\.[^\\s@.]+)+$',
  'is not an e-mail address',
);
export const Email = Type.String({ minLength: 3, maxLength: 254, pattern: EMAIL });
export const Role = Type.Union([Type.Literal('admin'), Type.Literal('editor')]);
const Sites = Type.Array(Slug, { maxItems: 500 });
/** Only the length is checked by the schema: the service names the problem (≥ 12 characters…). */
const Password = Type.String({ maxLength: MAX_PASSWORD });
const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{16}$' });

export const LoginBody = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 254 }), password: Password },
  { additionalProperties: false },
);

export const MeView = Type.Object({
  email: Type.String(),
  name: Type.String(),
  role: Role,
  /** An editor's sites; every site for an admin. */
  sites: Type.Array(Type.String()),
});
export type MeView = Static<typeof MeView>;

export const PasswordChangeBody = Type.Object(
  { currentPassword: Password, newPassword: Password },
  { additionalProperties: false },
);

export const UserView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Role,
  sites: Type.Array(Type.String()),
  /** A disabled account cannot sign in; its sessions have ended. */
  disabled: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type UserView = Static<typeof UserView>;

export const NewUserBody = Type.Object(
  {
    email: Email,
    name: Type.Optional(Text(100)),
    role: Role,
    sites: Type.Optional(Sites),
    password: Password,
  },
  { additionalProperties: false },
);

export const UserPatchBody = Type.Object(
  {
    name: Type.Optional(Text(100)),
    role: Type.Optional(Role),
    sites: Type.Optional(Sites),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const PasswordBody = Type.Object({ password: Password }, { additionalProperties: false });

export const UserParams = Type.Object({ user: Id }, { additionalProperties: false });

export const TokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Role,
  sites: Type.Array(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Nullable(Type.String()),
});
export type TokenView = Static<typeof TokenView>;

/** A new token: the only answer that carries its secret. */
export const NewTokenView = Type.Composite([TokenView, Type.Object({ token: Type.String() })]);

export const NewTokenBody = Type.Object(
  {
    name: Type.String({
      pattern: describePattern(
        '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$',
        'must be letters, digits, ".", "_" or "-" (at most 63)',
      ),
    }),
    role: Role,
    sites: Type.Optional(Sites),
  },
  { additionalProperties: false },
);

export const TokenParams = Type.Object({ token: Id }, { additionalProperties: false });
