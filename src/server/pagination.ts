import { z } from 'zod';
import { AppError } from './errors.ts';

/** Keyset cursors: an opaque base64url of the sort key of the last item. */
export function encodeCursor(parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

const text = z
  .string()
  .max(2000)
  .regex(/^[^\u0000]*$/);
/** A timestamp as PostgreSQL prints `timestamptz::text` (or ISO 8601). */
const timestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)?$/);
const uuid = z.uuid();

/** The shapes of every cursor the API hands out; a cursor is decoded only against its shape. */
export const CURSORS = {
  /** [created_at or at as text, id] */
  atId: z.tuple([timestamp, uuid]),
  /** [score, id] */
  scoreId: z.tuple([z.number().finite(), uuid]),
  /** [text, text, id]: names, postal code + name */
  textTextId: z.tuple([text, text, uuid]),
} as const;

/**
 * Decodes a cursor against its shape. Anything else (not base64, not JSON, wrong length or types:
 * a forged cursor) is a 400 naming the parameter, never a database error.
 */
export function decodeCursor<T extends z.ZodTuple>(
  cursor: string | undefined,
  shape: T,
): z.infer<T> | undefined {
  if (!cursor) return undefined;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  const parsed = shape.safeParse(parts);
  if (parsed.success) return parsed.data;
  throw new AppError('validation_failed', 'Invalid cursor.', [
    { path: 'querystring.cursor', message: 'invalid cursor' },
  ]);
}

/** Fetch limit+1 rows, return limit of them and a cursor if there were more. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]) {
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit ? encodeCursor(keyOf(items[items.length - 1])) : null;
  return { items, nextCursor };
}
