import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

// ---- invitation links of call assignments ------------------------------------------------------

export function insertInviteLink(
  db: Db,
  row: {
    assignmentId: string;
    tokenHash: string;
    expiresAt: Date;
    maxUses: number | null;
    createdBy: string;
  },
) {
  return db
    .insertInto('callInviteLinks')
    .values(row)
    .returning(['id', 'expiresAt', 'maxUses'])
    .executeTakeFirstOrThrow();
}

export function findInviteLinks(db: Db, assignmentId: string) {
  return db
    .selectFrom('callInviteLinks')
    .select(['id', 'expiresAt', 'maxUses', 'uses', 'revokedAt', 'createdAt'])
    .where('assignmentId', '=', assignmentId)
    .orderBy('createdAt', 'desc')
    .limit(200)
    .execute();
}

/** Revokes a link of the assignment; false when there is no such link (already revoked: true). */
export async function revokeInviteLink(db: Db, assignmentId: string, linkId: string): Promise<boolean> {
  const res = await db
    .updateTable('callInviteLinks')
    .set({ revokedAt: sql<Date>`coalesce(revoked_at, now())` })
    .where('id', '=', linkId)
    .where('assignmentId', '=', assignmentId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * A usable link: known, not revoked, not expired, not used up, its assignment not closed and its
 * unit not archived.
 */
export function findUsableInviteLink(db: Db, tokenHash: string) {
  return db
    .selectFrom('callInviteLinks as l')
    .innerJoin('callAssignments as a', 'a.id', 'l.assignmentId')
    .innerJoin('orgUnits as o', 'o.id', 'a.orgId')
    .select([
      'l.id',
      'l.assignmentId',
      'l.createdBy',
      'a.title as assignmentTitle',
      'a.orgId',
      'o.name as orgName',
    ])
    .where('l.tokenHash', '=', tokenHash)
    .where('l.revokedAt', 'is', null)
    .where('l.expiresAt', '>', sql<Date>`now()`)
    .where((eb) => eb.or([eb('l.maxUses', 'is', null), eb('l.uses', '<', eb.ref('l.maxUses'))]))
    .where('a.status', '<>', 'closed')
    .where('o.archivedAt', 'is', null)
    .executeTakeFirst();
}

/**
 * Takes one use of the link, atomically: the row lock of the update serialises concurrent
 * accepts, and the condition is checked again on the locked row, so `uses` never exceeds
 * `max_uses`. Undefined when the link is no longer usable.
 */
export function consumeInviteLink(db: Db, linkId: string) {
  return db
    .updateTable('callInviteLinks')
    .set((eb) => ({ uses: eb('uses', '+', 1) }))
    .where('id', '=', linkId)
    .where('revokedAt', 'is', null)
    .where('expiresAt', '>', sql<Date>`now()`)
    .where((eb) => eb.or([eb('maxUses', 'is', null), eb('uses', '<', eb.ref('maxUses'))]))
    .returning(['id', 'uses'])
    .executeTakeFirst();
}
