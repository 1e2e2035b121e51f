import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Role } from '../db/schema.ts';

export function findMemberships(db: Db, orgIds: string[]) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .select(['m.userId', 'm.orgId', 'u.name', 'u.email', 'm.role', 'm.createdAt'])
    .where('m.orgId', 'in', orgIds)
    .orderBy('u.name')
    .orderBy('u.email')
    .execute();
}

export function findMembership(db: Db, userId: string, orgId: string) {
  return db
    .selectFrom('memberships')
    .selectAll()
    .where('userId', '=', userId)
    .where('orgId', '=', orgId)
    .executeTakeFirst();
}

export function findMembershipByEmail(db: Db, email: string, orgId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .select(['m.userId', 'm.role'])
    .where(sql<string>`lower(u.email)`, '=', email.toLowerCase())
    .where('m.orgId', '=', orgId)
    .executeTakeFirst();
}

export function insertMembership(
  db: Db,
  row: { userId: string; orgId: string; role: Role; createdBy: string | null },
) {
  return db.insertInto('memberships').values(row).execute();
}

export function updateMembershipRole(db: Db, userId: string, orgId: string, role: Role) {
  return db
    .updateTable('memberships')
    .set({ role })
    .where('userId', '=', userId)
    .where('orgId', '=', orgId)
    .executeTakeFirst();
}

export function deleteMembership(db: Db, userId: string, orgId: string) {
  return db
    .deleteFrom('memberships')
    .where('userId', '=', userId)
    .where('orgId', '=', orgId)
    .executeTakeFirst();
}

// Invitations (their link, its expiry and revocation: links/ link_tokens) ------------------------

export function insertInvitation(
  db: Db,
  row: { orgId: string; email: string; role: Role; invitedBy: string },
) {
  return db.insertInto('invitations').values(row).returning(['id']).executeTakeFirstOrThrow();
}

/** Invitations of the address to the unit not accepted yet (a new invitation replaces them). */
export async function findOpenInvitationIds(db: Db, orgId: string, email: string) {
  const rows = await db
    .selectFrom('invitations')
    .select('id')
    .where('orgId', '=', orgId)
    .where('email', '=', email)
    .where('acceptedAt', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

export function findInvitations(db: Db, orgId: string) {
  return db
    .selectFrom('invitations')
    .select(['id', 'orgId', 'email', 'role', 'createdAt', 'acceptedAt'])
    .where('orgId', '=', orgId)
    .orderBy('createdAt', 'desc')
    .limit(200)
    .execute();
}

export function findInvitationById(db: Db, id: string) {
  return db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** An invitation its link may still open: not accepted, its unit not archived. */
export function findOpenInvitation(db: Db, id: string) {
  return db
    .selectFrom('invitations as i')
    .innerJoin('orgUnits as o', 'o.id', 'i.orgId')
    .select(['i.id', 'i.orgId', 'i.email', 'i.role', 'i.invitedBy', 'o.name as orgName'])
    .where('i.id', '=', id)
    .where('i.acceptedAt', 'is', null)
    .where('o.archivedAt', 'is', null)
    .executeTakeFirst();
}

/** Single use: only the first of two racing accepts updates the row. */
export function markInvitationAccepted(db: Db, id: string, userId: string) {
  return db
    .updateTable('invitations')
    .set({ acceptedAt: new Date(), acceptedUserId: userId })
    .where('id', '=', id)
    .where('acceptedAt', 'is', null)
    .executeTakeFirst();
}
