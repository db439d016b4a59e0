/** TypeBox building blocks every feature's `schemas.ts` uses. */
import { Type, type TOptional, type TSchema } from '@sinclair/typebox';
import { describePattern } from './errors.js';

/** Printable text: no C0/C1 control characters. */
export const PRINTABLE = describePattern(
  '^[^\\u0000-\\u001f\\u007f-\\u009f]*$',
  'contains control characters',
);

/** Ids in paths: a site, a poll, a list (`khau-hieu`). */
export const SLUG = '^[a-z0-9][a-z0-9-]{0,62}$';
export const Slug = Type.String({ pattern: SLUG });

/** Printable text of `minLength`…`maxLength` characters. */
export const Text = (maxLength: number, minLength = 1) =>
  Type.String({ minLength, maxLength, pattern: PRINTABLE });

export const SiteParams = Type.Object({ site: Slug }, { additionalProperties: false });

/** Path parameters of a site's resource: `{ site, [name]: id }`. */
export const SiteResourceParams = <K extends string, T extends TSchema>(name: K, id: T) =>
  Type.Object({ site: Slug, [name]: id } as { site: typeof Slug } & { [P in K]: T }, {
    additionalProperties: false,
  });

export const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Every property of `o`, optional. */
export const optional = <T extends Record<string, TSchema>>(o: T) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Type.Optional(v)])) as {
    [K in keyof T]: TOptional<T[K]>;
  };

/** `{ items: [...] }`, the shape of every admin listing. */
export const Items = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });

/** A 204 answer. */
export const NoContent = Type.Null();
