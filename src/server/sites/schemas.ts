/** JSON schemas (TypeBox) of the admin sites API. */
import { Type, type Static } from '@sinclair/typebox';
import { Slug, Text } from '../core/schemas.js';

export const SiteBody = Type.Object(
  {
    name: Text(200),
    origins: Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { maxItems: 50 }),
    legacyOffset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 })),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type SiteBody = Static<typeof SiteBody>;

export const NewSiteBody = Type.Composite([Type.Object({ id: Slug }), SiteBody], {
  additionalProperties: false,
});

export const SiteView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  origins: Type.Array(Type.String()),
  legacyOffset: Type.Integer(),
  timeZone: Type.String(),
  createdAt: Type.String(),
});
export type SiteView = Static<typeof SiteView>;

/** `GET /admin/sites/:site/embed`: the script addresses of the site's embed snippet. */
export const EmbedView = Type.Object({
  /** The loader (`<script type="module" src=…>`) at the server's public address. */
  loader: Type.String(),
  /** The classic script for pages that cannot load modules. */
  legacy: Type.String(),
  /**
   * Their Subresource Integrity values (`sha384-…`) from the build's `integrity.json`, when the
   * served build has one: they change with every release.
   */
  loaderIntegrity: Type.Optional(Type.String()),
  legacyIntegrity: Type.Optional(Type.String()),
});
