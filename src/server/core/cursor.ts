/** The opaque page cursor shared by the paged lists: `base64url("<ms>.<id>")`. */
import { HttpError } from './errors.js';

/** Encodes the position of the last item of a page. */
export function encodeCursor(ms: number, id: string): string {
  return Buffer.from(`${ms}.${id}`).toString('base64url');
}

/**
 * Decodes a cursor from {@link encodeCursor}; 400 `invalid_cursor` for anything else, `where`
 * naming the field in the message (e.g. `"cursor" in the query string`).
 */
export function decodeCursor(
  cursor: string | undefined,
  where: string,
): { ms: number; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{16})$/.exec(
    Buffer.from(cursor, 'base64url').toString('latin1'),
  );
  if (!match)
    throw new HttpError(
      400,
      'invalid_cursor',
      `Invalid field ${where}: not a cursor from a previous page`,
    );
  return { ms: Number(match[1]), id: match[2]! };
}
