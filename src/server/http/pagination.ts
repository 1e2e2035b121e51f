import { AppError } from './errors.ts';

/** Keyset cursors: an opaque base64url of the sort key of the last item. */
export function encodeCursor(parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | undefined {
  if (!cursor) return undefined;
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.length === arity) return parts;
  } catch {
    /* fall through */
  }
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
