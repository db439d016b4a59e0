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

// lists: slogan lists (`<civic-marquee source>`) and link lists (`<civic-link-list source>`)
export const ListParams = Type.Object(
  { site: SiteParams.properties.site, list: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }) },
  { additionalProperties: false },
);
const ListItemId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' });
const ListText = (maxLength: number, minLength = 1) => Type.String({ minLength, maxLength, pattern: PRINTABLE });
const ListUrl = Type.String({ minLength: 1, maxLength: 2048, pattern: PRINTABLE });
export const SloganInput = Type.Object(
  { id: Type.Optional(ListItemId), text: ListText(500), href: Type.Optional(ListUrl) },
  { additionalProperties: false },
);
export const LinkInput = Type.Object(
  {
    id: Type.Optional(ListItemId),
    text: ListText(300),
    href: ListUrl,
    group: Type.Optional(ListText(100)),
    image: Type.Optional(ListUrl),
    alt: Type.Optional(ListText(300)),
  },
  { additionalProperties: false },
);
const listFields = (item: typeof SloganInput | typeof LinkInput) => ({
  title: Type.Optional(ListText(200, 0)),
  items: Type.Array(item, { maxItems: 100 }),
});
/** `POST /admin/sites/{site}/{slogans|links}` and `PUT …/{list}` bodies, per kind. */
export const ListBodies = {
  slogans: {
    create: Type.Object({ id: ListParams.properties.list, ...listFields(SloganInput) }, { additionalProperties: false }),
    update: Type.Object({ ...listFields(SloganInput), version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
  },
  links: {
    create: Type.Object({ id: ListParams.properties.list, ...listFields(LinkInput) }, { additionalProperties: false }),
    update: Type.Object({ ...listFields(LinkInput), version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
  },
};
/** `PUT …/{list}/order`: every item id of the list, once, in the new order. */
export const ListOrderBody = Type.Object(
  { order: Type.Array(ListItemId, { maxItems: 100 }), version: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);
const ListItemView = Type.Object({
  id: Type.Optional(Type.String()),
  text: Type.String(),
  href: Type.Optional(Type.String()),
  group: Type.Optional(Type.String()),
  image: Type.Optional(Type.String()),
  alt: Type.Optional(Type.String()),
});
export const PublicListView = Type.Object({ id: Type.String(), title: Type.String(), items: Type.Array(ListItemView) });
export const AdminListView = Type.Object({
  id: Type.String(),
  title: Type.String(),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  items: Type.Array(ListItemView),
});
