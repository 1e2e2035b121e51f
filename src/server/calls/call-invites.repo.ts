import type { Db } from '../db/database.ts';

// ---- invitation links of call assignments (the links themselves: links/ link_tokens) ----------

/** What a usable link may open: an assignment that is not closed, in a unit not archived. */
export function findInviteTarget(db: Db, assignmentId: string) {
  return db
    .selectFrom('callAssignments as a')
    .innerJoin('orgUnits as o', 'o.id', 'a.orgId')
    .select(['a.id as assignmentId', 'a.title as assignmentTitle', 'a.orgId', 'o.name as orgName'])
    .where('a.id', '=', assignmentId)
    .where('a.status', '<>', 'closed')
    .where('o.archivedAt', 'is', null)
    .executeTakeFirst();
}
