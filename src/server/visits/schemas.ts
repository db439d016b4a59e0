/** JSON schemas (TypeBox) of the visit routes. */
import { Type } from '@sinclair/typebox';
import { PRINTABLE } from '../core/schemas.js';

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export const VisitBody = Type.Object(
  {
    page: Type.String({ minLength: 1, maxLength: 2048, pattern: PRINTABLE }),
    session: Type.String({ pattern: UUID }),
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
