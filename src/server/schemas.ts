/** JSON schemas of the public API (TypeBox), used for validation and fast serialization. */
import { Type } from '@sinclair/typebox';

/** Printable text: no C0/C1 control characters. */
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f-\\u009f]*$';

export const SiteParams = Type.Object(
  { site: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }) },
  { additionalProperties: false },
);

export const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});

export const VisitBody = Type.Object(
  {
    page: Type.String({ minLength: 1, maxLength: 2048, pattern: PRINTABLE }),
    session: Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' }),
  },
  { additionalProperties: false },
);

const stats = {
  total: Type.Integer(),
  today: Type.Integer(),
  month: Type.Integer(),
  online: Type.Integer(),
};
export const VisitStatsBody = Type.Object(stats);
export const VisitResponseBody = Type.Object({ ...stats, counted: Type.Boolean() });

export const SiteBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, pattern: PRINTABLE }),
    origins: Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { maxItems: 50 }),
    legacyOffset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 })),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export const NewSiteBody = Type.Composite([Type.Object({ id: SiteParams.properties.site }), SiteBody], { additionalProperties: false });
export const SiteView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  origins: Type.Array(Type.String()),
  legacyOffset: Type.Integer(),
  timeZone: Type.String(),
  createdAt: Type.String(),
});
