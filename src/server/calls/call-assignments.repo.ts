import { type SqlBool, sql, type Updateable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { CallAssignmentsTable } from '../db/schema.ts';
import { unitsInLineWith } from '../orgs/orgs.repo.ts';

/** SQL of call assignments, their callers and the assignments of national campaigns. */

type AssignmentPatch = Updateable<CallAssignmentsTable>;

// ---- assignments -----------------------------------------------------------------------------

export function insertAssignment(
  db: Db,
  row: {
    orgId: string;
    title: string;
    description: string | null;
    targetQueryId: string | null;
    campaignId?: string;
    callCentreId?: string;
    excludedOrgIds?: string[];
    visibleFields: string[];
    script: string;
    questions: unknown[];
    maxAttempts: number;
    cooldownHours: number;
    callingHours: unknown;
    lockMinutes: number;
    startsOn: string | null;
    endsOn: string | null;
    status: 'draft' | 'open' | 'paused' | 'closed';
    goalQueryId: string | null;
    reachedElsewhereDays: number;
    eventIds: string[];
    showPreviousNotes: boolean;
    createdBy: string;
  },
) {
  return db
    .insertInto('callAssignments')
    .values({
      ...row,
      questions: JSON.stringify(row.questions),
      callingHours: JSON.stringify(row.callingHours),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function findAssignment(db: Db, id: string) {
  return db.selectFrom('callAssignments').selectAll().where('id', '=', id).executeTakeFirst();
}
export type AssignmentRecord = NonNullable<Awaited<ReturnType<typeof findAssignment>>>;

/** Assignments of a unit and its subtree. */
export function findAssignmentsInSubtree(db: Db, orgId: string) {
  return db
    .selectFrom('callAssignments')
    .selectAll()
    .where('orgId', 'in', (eb) =>
      eb.selectFrom('orgTree').select('descendantId').where('ancestorId', '=', orgId),
    )
    .orderBy('createdAt', 'desc')
    .execute();
}

export function updateAssignmentRow(db: Db, id: string, patch: AssignmentPatch) {
  return db
    .updateTable('callAssignments')
    .set({ ...patch, updatedAt: new Date() })
    .where('id', '=', id)
    .execute();
}

// ---- callers ---------------------------------------------------------------------------------

export function findCallers(db: Db, assignmentIds: string[]) {
  if (!assignmentIds.length) return Promise.resolve([]);
  return db
    .selectFrom('callAssignmentCallers as c')
    .innerJoin('users as u', 'u.id', 'c.userId')
    .select(['c.assignmentId', 'c.userId', 'u.name', 'u.email', 'c.prioritisedTagIds', 'c.excludedTagIds'])
    .where('c.assignmentId', 'in', assignmentIds)
    .orderBy('u.name')
    .execute();
}

export function findCaller(db: Db, assignmentId: string, userId: string) {
  return db
    .selectFrom('callAssignmentCallers')
    .selectAll()
    .where('assignmentId', '=', assignmentId)
    .where('userId', '=', userId)
    .executeTakeFirst();
}

export function upsertCaller(
  db: Db,
  row: { assignmentId: string; userId: string; prioritisedTagIds: string[]; excludedTagIds: string[] },
) {
  return db
    .insertInto('callAssignmentCallers')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['assignmentId', 'userId']).doUpdateSet({
        prioritisedTagIds: row.prioritisedTagIds,
        excludedTagIds: row.excludedTagIds,
      }),
    )
    .execute();
}

export async function deleteCaller(db: Db, assignmentId: string, userId: string): Promise<boolean> {
  const res = await db
    .deleteFrom('callAssignmentCallers')
    .where('assignmentId', '=', assignmentId)
    .where('userId', '=', userId)
    .executeTakeFirst();
  await db
    .deleteFrom('callLocks')
    .where('assignmentId', '=', assignmentId)
    .where('callerId', '=', userId)
    .execute();
  return Number(res.numDeletedRows) > 0;
}

/** Does the user hold any role on the unit, above it or below it? */
export async function userIsMemberNear(db: Db, userId: string, orgId: string): Promise<boolean> {
  const row = await db
    .selectFrom('memberships as m')
    .select('m.orgId')
    .where('m.userId', '=', userId)
    .where('m.orgId', 'in', unitsInLineWith(orgId))
    .executeTakeFirst();
  return !!row;
}

/**
 * The rule for taking part in an assignment, the same as for being added as its caller: a role on
 * a unit in line with the assignment's unit (the unit, one above or one below it).
 */
const roleInLineWith = (userId: string, assignmentOrgColumn: string) => sql<SqlBool>`exists (
  select 1 from memberships m
  join org_tree t on (t.ancestor_id = m.org_id and t.descendant_id = ${sql.ref(assignmentOrgColumn)})
                  or (t.descendant_id = m.org_id and t.ancestor_id = ${sql.ref(assignmentOrgColumn)})
  where m.user_id = ${userId}::uuid)`;

/** The open assignments a user was added to as a caller and still holds a role for (all: superadmins). */
export function findAssignmentsOfCaller(db: Db, userId: string, opts: { anyUnit: boolean }) {
  return db
    .selectFrom('callAssignmentCallers as c')
    .innerJoin('callAssignments as a', 'a.id', 'c.assignmentId')
    .innerJoin('orgUnits as o', 'o.id', 'a.orgId')
    .$if(!opts.anyUnit, (q) => q.where(roleInLineWith(userId, 'a.org_id')))
    .select(['a.id', 'a.orgId', 'o.name as orgName', 'a.title', 'a.description', 'a.status'])
    .where('c.userId', '=', userId)
    .where('a.status', '=', 'open')
    .orderBy('a.title')
    .execute();
}

/**
 * Removes the user's caller rows in assignments they hold no role for any more (roleInLineWith) and
 * their claims in those assignments. Superadmins keep theirs.
 */
export async function deleteCallerRowsWithoutRole(db: Db, userId: string): Promise<number> {
  const { rows } = await sql<{ assignmentId: string }>`
    with gone as (
      delete from call_assignment_callers c
      using call_assignments a
      where c.assignment_id = a.id and c.user_id = ${userId}
        and not (select u.is_superadmin from users u where u.id = ${userId})
        and not ${roleInLineWith(userId, 'a.org_id')}
      returning c.assignment_id
    ), freed as (
      delete from call_locks l using gone
      where l.assignment_id = gone.assignment_id and l.caller_id = ${userId}
    )
    select assignment_id from gone`.execute(db);
  return rows.length;
}

// ---- campaign assignments --------------------------------------------------------------------

/** What a campaign assignment inherits: the campaign's part and its call centre's part. */
export function findCampaignParts(db: Db, campaignId: string, callCentreId: string | null) {
  return db
    .selectFrom('campaigns as c')
    .leftJoin('callCentres as cc', (j) =>
      j.on('cc.id', '=', callCentreId).onRef('cc.campaignId', '=', 'c.id'),
    )
    .select([
      'c.id',
      'c.title',
      'c.script',
      'c.questions',
      'c.targetFilter',
      'c.rules',
      'c.visibleFields',
      'c.orgId',
      'c.status',
      'cc.scriptAddendum',
      'cc.questions as centreQuestions',
    ])
    .where('c.id', '=', campaignId)
    .executeTakeFirst();
}
