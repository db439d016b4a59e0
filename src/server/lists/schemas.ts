/** JSON schemas (TypeBox) of slogan lists (`<civic-marquee source>`) and link lists (`<civic-link-list source>`). */
import { Type, type Static } from '@sinclair/typebox';
import { Items, PRINTABLE, Slug, Text } from '../core/schemas.js';

export const ListParams = Type.Object({ list: Slug }, { additionalProperties: false });

const ListItemId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' });
const ListUrl = Type.String({ minLength: 1, maxLength: 2048, pattern: PRINTABLE });
export const SloganInput = Type.Object(
  { id: Type.Optional(ListItemId), text: Text(500), href: Type.Optional(ListUrl) },
  { additionalProperties: false },
);
export const LinkInput = Type.Object(
  {
    id: Type.Optional(ListItemId),
    text: Text(300),
    href: ListUrl,
    group: Type.Optional(Text(100)),
    image: Type.Optional(ListUrl),
    alt: Type.Optional(Text(300)),
  },
  { additionalProperties: false },
);
type LinkInput = Static<typeof LinkInput>;
/** An item as the admin sends it: a link, or a slogan (only `text` and an optional `href`). */
export type ItemInput = LinkInput | (Omit<LinkInput, 'href'> & { href?: string });

const Version = Type.Optional(Type.Integer({ minimum: 1 }));
const bodies = <T extends typeof SloganInput | typeof LinkInput>(item: T) => {
  const fields = { title: Type.Optional(Text(200, 0)), items: Type.Array(item, { maxItems: 100 }) };
  return {
    create: Type.Object({ id: Slug, ...fields }, { additionalProperties: false }),
    update: Type.Object({ ...fields, version: Version }, { additionalProperties: false }),
  };
};
/** `POST /admin/sites/{site}/{slogans|links}` and `PUT …/{list}` bodies, per kind. */
export const ListBodies = { slogans: bodies(SloganInput), links: bodies(LinkInput) };

/** `PUT …/{list}/order`: every item id of the list, once, in the new order. */
export const ListOrderBody = Type.Object(
  { order: Type.Array(ListItemId, { maxItems: 100 }), version: Version },
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
export const PublicListView = Type.Object({
  id: Type.String(),
  title: Type.String(),
  items: Type.Array(ListItemView),
});
export const AdminListView = Type.Object({
  id: Type.String(),
  title: Type.String(),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  items: Type.Array(ListItemView),
});
export type AdminListView = Static<typeof AdminListView>;
export const AdminListList = Items(AdminListView);
