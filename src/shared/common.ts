import { z } from 'zod';

export const Uuid = z.uuid();
export const IdParams = z.strictObject({ id: z.uuid() });
export const Locale = z.enum(['de', 'en']);
export const Email = z
  .email()
  .max(254)
  .transform((e) => e.trim().toLowerCase());
export const Password = z.string().min(8, 'at least 8 characters').max(200);
export const IsoDate = z.iso.datetime({ offset: true });

/** `?limit=&cursor=`: default 50, max 500. */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const Ok = z.object({ ok: z.literal(true) });
