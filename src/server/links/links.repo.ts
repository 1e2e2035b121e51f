import { type ExpressionBuilder, sql } from 'kysely';
import type { LinkPurpose } from '../../shared/links.ts';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

/** Usable right now: not revoked, not expired, uses left. The one definition, shared by find and consume. */
function usable(eb: ExpressionBuilder<Database, 'linkTokens'>) {
  return eb.and([
    eb('revokedAt', 'is', null),
    eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', sql<Date>`now()`)]),
    eb.or([eb('maxUses', 'is', null), eb('useCount', '<', eb.ref('maxUses'))]),
  ]);
}

export function insertLinkToken(
  db: Db,
  row: {
    purpose: LinkPurpose;
    subjectType: string;
    subjectId: string;
    tokenHash: string;
    expiresAt: Date | null;
    maxUses: number | null;
    createdBy: string | null;
  },
) {
  return db
    .insertInto('linkTokens')
    .values(row)
    .returning(['id', 'expiresAt', 'maxUses', 'createdAt'])
    .executeTakeFirstOrThrow();
}

/** Many links in one multi-row insert (a mailing's batch of unsubscribe links). */
export function insertLinkTokens(
  db: Db,
  rows: {
    purpose: LinkPurpose;
    subjectType: string;
    subjectId: string;
    tokenHash: string;
    expiresAt: Date | null;
    maxUses: number | null;
    createdBy: string | null;
  }[],
) {
  if (!rows.length) return Promise.resolve();
  return db.insertInto('linkTokens').values(rows).execute();
}

/** Any link by its hash, usable or not (for telling a visitor why it no longer works). */
export function findLinkTokenByHash(db: Db, tokenHash: string) {
  return db.selectFrom('linkTokens').selectAll().where('tokenHash', '=', tokenHash).executeTakeFirst();
}

export function findUsableLinkTokenByHash(db: Db, tokenHash: string, purpose: LinkPurpose) {
  return db
    .selectFrom('linkTokens')
    .selectAll()
    .where('tokenHash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where(usable)
    .executeTakeFirst();
}

/**
 * Takes one use, atomically: the row lock of the update serialises concurrent uses and the
 * condition is checked again on the locked row, so `use_count` never exceeds `max_uses`.
 * Undefined when the link is no longer usable.
 */
export function consumeLinkToken(db: Db, id: string) {
  return db
    .updateTable('linkTokens')
    .set((eb) => ({ useCount: eb('useCount', '+', 1), lastUsedAt: sql<Date>`now()` }))
    .where('id', '=', id)
    .where(usable)
    .returning(['id', 'useCount', 'subjectId'])
    .executeTakeFirst();
}

/** The links of some subjects for one purpose, newest first. */
export function findLinkTokensOf(db: Db, purpose: LinkPurpose, subjectIds: string[], limit = 500) {
  if (!subjectIds.length) return Promise.resolve([]);
  return db
    .selectFrom('linkTokens')
    .select(['id', 'subjectId', 'expiresAt', 'maxUses', 'useCount', 'revokedAt', 'createdAt', 'lastUsedAt'])
    .where('purpose', '=', purpose)
    .where('subjectId', 'in', subjectIds)
    .orderBy('createdAt', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Revokes links (already revoked ones keep their time); answers how many links matched. */
export async function revokeLinkTokens(
  db: Db,
  where: { purpose: LinkPurpose; subjectIds: string[]; id?: string },
): Promise<number> {
  if (!where.subjectIds.length) return 0;
  let q = db
    .updateTable('linkTokens')
    .set({ revokedAt: sql<Date>`coalesce(revoked_at, now())` })
    .where('purpose', '=', where.purpose)
    .where('subjectId', 'in', where.subjectIds);
  if (where.id) q = q.where('id', '=', where.id);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Housekeeping for purposes whose links mean nothing once expired (password resets). */
export function deleteExpiredLinkTokens(db: Db, purposes: LinkPurpose[], before: Date) {
  return db
    .deleteFrom('linkTokens')
    .where('purpose', 'in', purposes)
    .where('expiresAt', '<', before)
    .execute();
}
