import { randomUUID } from 'node:crypto';
import { type Expression, type RawBuilder, type SqlBool, sql, type Updateable } from 'kysely';
import {
  TARGET_CATEGORIES,
  type TargetCategory,
  type TargetCategoryCounts,
  targetTotals,
} from '../../shared/calls.ts';
import type { Db } from '../db/database.ts';
import type { CallAssignmentsTable } from '../db/schema.ts';
import { unitsInLineWith } from '../orgs/orgs.repo.ts';
import { peopleFilter } from '../people/people.repo.ts';

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

// ---- the queue -------------------------------------------------------------------------------

export function findLockOfCaller(db: Db, assignmentId: string, callerId: string) {
  return db
    .selectFrom('callLocks')
    .selectAll()
    .where('assignmentId', '=', assignmentId)
    .where('callerId', '=', callerId)
    .executeTakeFirst();
}

/** Extends the caller's lock in the assignment; undefined when they hold none. */
export function extendLock(db: Db, assignmentId: string, callerId: string, lockMinutes: number) {
  return db
    .updateTable('callLocks')
    .set({ lockedUntil: sql`now() + ${lockMinutes}::int * interval '1 minute'` })
    .where('assignmentId', '=', assignmentId)
    .where('callerId', '=', callerId)
    .returning(['id', 'personId', 'lockedUntil'])
    .executeTakeFirst();
}

export interface ClaimOptions {
  assignmentId: string;
  orgId: string;
  callerId: string;
  target: Expression<SqlBool>;
  /** The goal list: people in it are done. */
  goal?: Expression<SqlBool>;
  /** Skip people reached by another open assignment of this campaign within the days (0 = off). */
  campaign?: { id: string; reachedWithinDays: number; callCentreId: string | null };
  maxAttempts: number;
  lockMinutes: number;
  prioritisedTagIds: string[];
  excludedTagIds: string[];
}

/** People reached by another open assignment of the campaign in the last `days` days. */
function reachedElsewhere(assignmentId: string, campaign: ClaimOptions['campaign']) {
  if (!campaign) return sql<SqlBool>`false`;
  // One call centre per person: someone another call centre of the campaign called is theirs.
  const otherCentre = campaign.callCentreId
    ? sql<SqlBool>`exists (
        select 1 from calls c3 join call_assignments a3 on a3.id = c3.assignment_id
        where c3.person_id = p.id and a3.campaign_id = ${campaign.id}::uuid
          and a3.call_centre_id <> ${campaign.callCentreId}::uuid)`
    : sql<SqlBool>`false`;
  if (campaign.reachedWithinDays <= 0) return otherCentre;
  return sql<SqlBool>`(${otherCentre} or exists (
    select 1 from calls c2 join call_assignments a2 on a2.id = c2.assignment_id
    where c2.person_id = p.id and c2.outcome = 'reached'
      and c2.ended_at > now() - ${campaign.reachedWithinDays}::int * interval '1 day'
      and a2.campaign_id = ${campaign.id}::uuid and a2.id <> ${assignmentId}::uuid and a2.status = 'open'))`;
}

/** The phases of the queue, tried in this order by "next". */
export const CLAIM_PHASES = ['callBack', 'prioritised', 'fresh'] as const;
export type ClaimPhase = (typeof CLAIM_PHASES)[number];

/**
 * Claims the next person of one queue phase for the caller in ONE statement: walk the
 * assignment's call_targets in queue order (an index for the main phase), skip rows another claim
 * is locking right now and people the rules exclude, lock the row taken, insert the call lock (or
 * take over an expired one). Phases: due call-backs (the caller who took them first), then people
 * with a prioritised tag of the caller, then everyone else — never called first, then the oldest
 * last attempt.
 *
 * Locking the call_targets row is what makes a stale read harmless: an outcome updates that row,
 * so a claim that read the person as callable before the outcome re-checks the new row (done,
 * attempts, cooldown) when it locks it. The unique (assignment, person) lock catches the rest; the
 * loser gets no row and the service tries again.
 */
export async function claimNextTarget(db: Db, o: ClaimOptions, phase: ClaimPhase) {
  const uuids = (ids: string[]) => sql`cast(${`{${ids.join(',')}}`} as uuid[])`;
  if (phase === 'prioritised' && !o.prioritisedTagIds.length) return { claim: undefined, contended: false };
  const due = sql`t.call_back_at is null and t.attempts < ${o.maxAttempts}::int
    and (t.cooldown_until is null or t.cooldown_until <= now())`;
  const [where, order] =
    phase === 'callBack'
      ? [
          sql`t.call_back_at is not null and t.call_back_at <= now()`,
          sql`(t.call_back_caller_id is not distinct from ${o.callerId}::uuid) desc, t.call_back_at, t.person_id`,
        ]
      : phase === 'prioritised'
        ? [
            sql`${due} and exists (select 1 from person_tags pt
              where pt.person_id = t.person_id and pt.tag_id = any(${uuids(o.prioritisedTagIds)}))`,
            sql`t.last_attempt_at nulls first, t.person_id`,
          ]
        : [sql`${due}`, sql`t.last_attempt_at nulls first, t.person_id`];
  const excluded = o.excludedTagIds.length
    ? sql`and not exists (select 1 from person_tags pt where pt.person_id = p.id and pt.tag_id = any(${uuids(o.excludedTagIds)}))`
    : sql``;
  const res = await sql<{ found: number; id: string | null; personId: string; lockedUntil: Date }>`
    with candidate as (
      select t.person_id as id
      from call_targets t
      join people p on p.id = t.person_id
      where t.assignment_id = ${o.assignmentId}::uuid
        and not t.done
        and ${where}
        and p.org_id in (select descendant_id from org_tree where ancestor_id = ${o.orgId}::uuid)
        and ${o.target}
        and not p.do_not_call
        and exists (select 1 from person_phones ph where ph.person_id = p.id and ph.status = 'valid')
        ${o.goal ? sql`and not (${o.goal})` : sql``}
        and not ${reachedElsewhere(o.assignmentId, o.campaign)}
        and not exists (
          select 1 from call_locks l
          where l.assignment_id = ${o.assignmentId}::uuid and l.person_id = t.person_id and l.locked_until > now()
        )
        ${excluded}
      order by ${order}
      limit 1
      for update of t skip locked
    ), claimed as (
      insert into call_locks (id, assignment_id, person_id, caller_id, locked_until)
      select ${randomUUID()}::uuid, ${o.assignmentId}::uuid, c.id, ${o.callerId}::uuid,
             now() + ${o.lockMinutes}::int * interval '1 minute'
      from candidate c
      on conflict (assignment_id, person_id) do update
        set id = excluded.id, caller_id = excluded.caller_id, claimed_at = now(), locked_until = excluded.locked_until
        where call_locks.locked_until <= now()
      returning id, person_id, locked_until
    )
    select (select count(*) from candidate)::int as found,
           claimed.id, claimed.person_id as "personId", claimed.locked_until as "lockedUntil"
    from (select 1) as one left join claimed on true`.execute(db);
  const row = res.rows[0];
  // `found` without a lock: another caller took the person between our read and our insert.
  if (!row?.found) return { claim: undefined, contended: false };
  if (!row.id) return { claim: undefined, contended: true };
  return { claim: { id: row.id, personId: row.personId, lockedUntil: row.lockedUntil }, contended: false };
}

/**
 * Adds a call_targets row for every person of the target list who has none yet (one statement),
 * unless another sync finished after `staleBefore`; concurrent syncs of one assignment wait for
 * each other. Returns whether it ran.
 */
export async function syncTargets(
  db: Db,
  o: { assignmentId: string; orgId: string; target: Expression<SqlBool>; staleBefore: Date | null },
) {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`call-targets:${o.assignmentId}`}))`.execute(trx);
    const row = await trx
      .selectFrom('callAssignments')
      .select('targetsSyncedAt')
      .where('id', '=', o.assignmentId)
      .executeTakeFirst();
    if (row?.targetsSyncedAt && o.staleBefore && row.targetsSyncedAt > o.staleBefore) return false;
    // Only people who can be called now: someone without a valid phone (or with do-not-call)
    // would sit at the head of the queue index forever and be walked past by every claim. They
    // join when that changes (a person change triggers the next sync).
    const inserted = await sql`
      insert into call_targets (assignment_id, person_id)
      select ${o.assignmentId}::uuid, p.id from people p
      where p.org_id in (select descendant_id from org_tree where ancestor_id = ${o.orgId}::uuid)
        and ${o.target}
        and not p.do_not_call
        and exists (select 1 from person_phones ph where ph.person_id = p.id and ph.status = 'valid')
      on conflict do nothing`.execute(trx);
    // A large insert leaves the planner's statistics behind (an empty table planned as a sort of
    // everything, 150 s per claim at 1,000,000 people): refresh them right away.
    if (Number(inserted.numAffectedRows ?? 0) > ANALYZE_AFTER_ROWS)
      await sql`analyze call_targets`.execute(trx);
    await trx
      .updateTable('callAssignments')
      .set({ targetsSyncedAt: sql`now()` })
      .where('id', '=', o.assignmentId)
      .execute();
    return true;
  });
}

const ANALYZE_AFTER_ROWS = 10_000;

/** Did any person in the unit's subtree change (created, updated, moved) since the time? */
export async function peopleChangedSince(db: Db, orgId: string, since: Date) {
  const row = await db
    .selectFrom('personChanges')
    .select('personId')
    .where('orgId', 'in', (eb) =>
      eb.selectFrom('orgTree').select('descendantId').where('ancestorId', '=', orgId),
    )
    .where('at', '>', since)
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

/** Was the assignment's target list (or its campaign's target) edited since the time? */
export async function targetChangedSince(
  db: Db,
  a: { targetQueryId: string | null; campaignId: string | null },
  since: Date,
) {
  const query = a.targetQueryId
    ? await db
        .selectFrom('queries')
        .select('id')
        .where('id', '=', a.targetQueryId)
        .where('updatedAt', '>', since)
        .executeTakeFirst()
    : undefined;
  const campaign =
    !a.targetQueryId && a.campaignId
      ? await db
          .selectFrom('campaigns')
          .select('id')
          .where('id', '=', a.campaignId)
          .where('updatedAt', '>', since)
          .executeTakeFirst()
      : undefined;
  return !!(query || campaign);
}

/** An assignment of the unit, above it or below it (what smart-search filters may refer to). */
export function findAssignmentInLineWith(db: Db, id: string, orgId: string) {
  return db
    .selectFrom('callAssignments')
    .selectAll()
    .where('id', '=', id)
    .where('orgId', 'in', unitsInLineWith(orgId))
    .executeTakeFirst();
}

/** Open assignments (for the periodic sync). */
export function findOpenAssignments(db: Db) {
  return db.selectFrom('callAssignments').selectAll().where('status', '=', 'open').execute();
}

export function findLockForUpdate(db: Db, id: string) {
  return db.selectFrom('callLocks').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findLock(db: Db, id: string) {
  return db.selectFrom('callLocks').selectAll().where('id', '=', id).executeTakeFirst();
}

export function deleteLock(db: Db, id: string) {
  return db.deleteFrom('callLocks').where('id', '=', id).execute();
}

// ---- calls -----------------------------------------------------------------------------------

export function findCall(db: Db, id: string) {
  return db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertCall(
  db: Db,
  row: {
    id: string;
    clientId: string;
    assignmentId: string;
    personId: string;
    orgId: string;
    callerId: string;
    startedAt: Date;
    /** Default: now (the demo seed records calls of the past). */
    endedAt?: Date;
    outcome: string;
    callBackAt: string | null;
    answers: unknown[];
    note: string | null;
    eventIds: string[];
    newsletter: boolean;
    followUpReason: string | null;
  },
) {
  return db
    .insertInto('calls')
    .values({ ...row, answers: JSON.stringify(row.answers) })
    .execute();
}

/** The first `limit` people of an assignment's queue, with their unit (for the demo history). */
export function findQueuedPeople(db: Db, assignmentId: string, limit: number) {
  return db
    .selectFrom('callTargets as t')
    .innerJoin('people as p', 'p.id', 't.personId')
    .select(['t.personId', 'p.orgId'])
    .where('t.assignmentId', '=', assignmentId)
    .orderBy('t.personId')
    .limit(limit)
    .execute();
}

/** Attempts of a person in an assignment, oldest first. */
export function findHistory(db: Db, assignmentId: string, personId: string) {
  return db
    .selectFrom('calls')
    .select(['endedAt', 'outcome', 'note'])
    .where('assignmentId', '=', assignmentId)
    .where('personId', '=', personId)
    .orderBy('endedAt')
    .execute();
}

/** Updates the queue state of a person after an attempt (or a skip). */
export function upsertTarget(
  db: Db,
  t: {
    assignmentId: string;
    personId: string;
    attempt: boolean;
    outcome: string | null;
    done: boolean;
    reached: boolean;
    cooldownHours: number | null;
    callBackAt: string | null;
    callBackCallerId: string | null;
  },
) {
  const cooldown =
    t.cooldownHours === null ? sql`null` : sql`now() + ${t.cooldownHours}::int * interval '1 hour'`;
  const attempts = t.attempt ? 1 : 0;
  return sql`
    insert into call_targets (assignment_id, person_id, attempts, last_attempt_at, last_outcome, done, reached,
                              cooldown_until, call_back_at, call_back_caller_id)
    values (${t.assignmentId}::uuid, ${t.personId}::uuid, ${attempts}::int,
            ${t.attempt ? sql`now()` : sql`null`}, ${t.outcome}, ${t.done}, ${t.reached}, ${cooldown},
            ${t.callBackAt}::timestamptz, ${t.callBackCallerId}::uuid)
    on conflict (assignment_id, person_id) do update set
      attempts = call_targets.attempts + excluded.attempts,
      last_attempt_at = coalesce(excluded.last_attempt_at, call_targets.last_attempt_at),
      last_outcome = coalesce(excluded.last_outcome, call_targets.last_outcome),
      done = call_targets.done or excluded.done,
      reached = call_targets.reached or excluded.reached,
      cooldown_until = excluded.cooldown_until,
      call_back_at = excluded.call_back_at,
      call_back_caller_id = excluded.call_back_caller_id`.execute(db);
}

// ---- the target person -------------------------------------------------------------------------

export function findTargetPerson(db: Db, id: string) {
  return db
    .selectFrom('people as p')
    .innerJoin('orgUnits as o', 'o.id', 'p.orgId')
    .select([
      'p.id',
      'p.orgId',
      'p.firstName',
      'p.lastName',
      'p.title',
      'p.pronouns',
      'p.postalCode',
      'p.city',
      'p.street',
      'p.houseNumber',
      'p.birthDate',
      'p.memberNumber',
      'p.membershipStatus',
      'p.joinedOn',
      'o.name as orgName',
    ])
    .where('p.id', '=', id)
    .executeTakeFirst();
}

export function findValidPhones(db: Db, personId: string) {
  return db
    .selectFrom('personPhones')
    .select(['id', 'raw', 'e164', 'type'])
    .where('personId', '=', personId)
    .where('status', '=', 'valid')
    .orderBy('isPrimary', 'desc')
    .orderBy('raw')
    .execute();
}

export function findValidEmails(db: Db, personId: string) {
  return db
    .selectFrom('personEmails')
    .select('email')
    .where('personId', '=', personId)
    .where('status', '=', 'valid')
    .orderBy('isPrimary', 'desc')
    .orderBy('email')
    .execute();
}

// ---- progress --------------------------------------------------------------------------------

/**
 * THE definition of a target's category (TARGET_CATEGORIES in shared/calls.ts: the first that
 * applies), over a row with these columns: `goal_met`, `do_not_call`, `reached_elsewhere`,
 * `done_here` (an outcome here ended the person's queue), `has_phone` (a valid number), `in_list`
 * (in the target list now), `attempts`, `max_attempts`, `call_back` (a call-back agreed). The
 * queue's claim applies the same rules (see `claimNextTarget`), so a person counted as open is one
 * the queue can offer.
 */
export const targetCategory = sql<TargetCategory>`case
    when goal_met then 'goalMet'
    when do_not_call then 'doNotCall'
    when reached_elsewhere then 'reachedElsewhere'
    when done_here then 'declined'
    when not has_phone then 'noValidPhone'
    when not in_list then 'leftList'
    when attempts >= max_attempts and not call_back then 'maxAttempts'
    when attempts > 0 then 'inProgress'
    else 'notCalledYet'
  end`;

/** `count(*) filter (where category = …) as "<category>"` for every category (column `category`). */
export const categoryCounts = sql.join(
  TARGET_CATEGORIES.map((c) => sql`(count(*) filter (where category = ${sql.lit(c)}))::int as ${sql.ref(c)}`),
);

/**
 * Whether a person belongs to the targets: in the list now, or called here before (`attempts` of
 * the row). The list is evaluated again only for people called before.
 */
export const targetMembership = (target: Expression<SqlBool>, attempts: RawBuilder<unknown>) => ({
  where: sql<SqlBool>`(${target} or ${attempts} > 0)`,
  inList: sql<SqlBool>`(case when ${attempts} > 0 then coalesce(${target}, false) else true end)`,
});

/**
 * Target figures of an assignment (the people of `targetCategory` within the unit's subtree), in
 * one statement: a count per category, plus who was attempted or reached and who waits.
 */
export async function countTargetProgress(
  db: Db,
  o: {
    assignmentId: string;
    orgId: string;
    target: Expression<SqlBool>;
    goal?: Expression<SqlBool>;
    campaign?: ClaimOptions['campaign'];
    maxAttempts: number;
  },
) {
  const member = targetMembership(o.target, sql`coalesce(t.attempts, 0)`);
  const res = await sql<
    TargetCategoryCounts & { attempted: number; reached: number; cooldown: number; callBackLater: number }
  >`
    with s as (
      select coalesce(t.attempts, 0) as attempts,
             ${o.maxAttempts}::int as max_attempts,
             coalesce(t.done, false) as done_here,
             coalesce(t.reached, false) as reached,
             coalesce(t.reached, false) ${o.goal ? sql`or coalesce(${o.goal}, false)` : sql``} as goal_met,
             ${reachedElsewhere(o.assignmentId, o.campaign)} as reached_elsewhere,
             ${member.inList} as in_list,
             t.call_back_at is not null as call_back,
             t.cooldown_until, t.call_back_at,
             p.do_not_call,
             exists (select 1 from person_phones ph where ph.person_id = p.id and ph.status = 'valid') as has_phone
      from people p
      left join call_targets t on t.assignment_id = ${o.assignmentId}::uuid and t.person_id = p.id
      where p.org_id in (select descendant_id from org_tree where ancestor_id = ${o.orgId}::uuid)
        and ${member.where}
    ), c as (
      select *, ${targetCategory} as category from s
    )
    select ${categoryCounts},
           (count(*) filter (where attempts > 0))::int as attempted,
           (count(*) filter (where reached))::int as reached,
           (count(*) filter (where category in ('inProgress', 'notCalledYet')
                               and call_back_at is null and cooldown_until > now()))::int as cooldown,
           (count(*) filter (where category in ('inProgress', 'notCalledYet') and call_back_at > now()))::int
             as "callBackLater"
    from c`.execute(db);
  const row = res.rows[0];
  return { ...row, ...targetTotals(row) };
}

export async function countOpenFollowUps(db: Db, assignmentId: string) {
  const row = await db
    .selectFrom('calls')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('assignmentId', '=', assignmentId)
    .where('followUpReason', 'is not', null)
    .where('followUpResolvedAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Recorded calls of the assignment by outcome. */
export async function countCallsByOutcome(db: Db, assignmentId: string) {
  const res = await sql<{ outcome: string; n: number; lastCallAt: Date | null }>`
    select outcome, count(*)::int as n, max(ended_at) as "lastCallAt"
    from calls where assignment_id = ${assignmentId}::uuid
    group by outcome`.execute(db);
  return res.rows;
}

/** Calls per caller: everyone who called in the assignment, and every added caller (0 calls). */
export async function countCallsByCaller(db: Db, assignmentId: string) {
  const res = await sql<{
    callerId: string | null;
    name: string | null;
    calls: number;
    reached: number;
    lastCallAt: Date | null;
  }>`
    with agg as (
      select caller_id, count(*)::int as calls,
             (count(*) filter (where outcome = 'reached'))::int as reached,
             max(ended_at) as last_call_at
      from calls where assignment_id = ${assignmentId}::uuid
      group by caller_id
    ), ids as (
      select caller_id as id from agg
      union
      select user_id from call_assignment_callers where assignment_id = ${assignmentId}::uuid
    )
    select ids.id as "callerId", u.name, coalesce(agg.calls, 0)::int as calls,
           coalesce(agg.reached, 0)::int as reached, agg.last_call_at as "lastCallAt"
    from ids
    left join agg on agg.caller_id is not distinct from ids.id
    left join users u on u.id = ids.id
    order by calls desc, u.name nulls last, ids.id`.execute(db);
  return res.rows;
}

// ---- organizer views: recent calls and follow-ups -------------------------------------------

/**
 * Calls of an assignment, newest first (keyset on `ended_at`, `id`), with the person's name for
 * its organizers. `followUps` keeps only calls with a follow-up: open, resolved or all.
 */
export function findCalls(
  db: Db,
  o: {
    assignmentId: string;
    followUps?: 'open' | 'resolved' | 'all';
    callId?: string;
    after?: { at: string; id: string };
    limit: number;
  },
) {
  let q = db
    .selectFrom('calls as c')
    .leftJoin('people as p', 'p.id', 'c.personId')
    .leftJoin('users as u', 'u.id', 'c.callerId')
    .select([
      'c.id',
      'c.endedAt',
      sql<string>`c.ended_at::text`.as('atKey'),
      'c.outcome',
      'c.personId',
      sql<string | null>`case when p.id is null then null else p.first_name || ' ' || p.last_name end`.as(
        'personName',
      ),
      'c.callerId',
      'u.name as callerName',
      'c.note',
      'c.answers',
      'c.eventIds',
      'c.newsletter',
      'c.followUpReason',
      'c.followUpResolvedAt',
    ])
    .where('c.assignmentId', '=', o.assignmentId);
  if (o.followUps) {
    q = q.where('c.followUpReason', 'is not', null);
    if (o.followUps === 'open') q = q.where('c.followUpResolvedAt', 'is', null);
    if (o.followUps === 'resolved') q = q.where('c.followUpResolvedAt', 'is not', null);
  }
  if (o.callId) q = q.where('c.id', '=', o.callId);
  if (o.after)
    q = q.where(sql<SqlBool>`(c.ended_at, c.id) < (${o.after.at}::timestamptz, ${o.after.id}::uuid)`);
  return q
    .orderBy('c.endedAt', 'desc')
    .orderBy('c.id', 'desc')
    .limit(o.limit + 1)
    .execute();
}
export type CallListRow = Awaited<ReturnType<typeof findCalls>>[number];

/** Marks a call's follow-up as handled; undefined when it has none or it was handled already. */
export function resolveFollowUp(db: Db, callId: string, userId: string) {
  return db
    .updateTable('calls')
    .set({ followUpResolvedAt: new Date(), followUpResolvedBy: userId })
    .where('id', '=', callId)
    .where('followUpReason', 'is not', null)
    .where('followUpResolvedAt', 'is', null)
    .returning('id')
    .executeTakeFirst();
}

// ---- callers: own figures, "log a call" ------------------------------------------------------

/** The caller's calls in the assignment since a time. */
export async function countMyCalls(db: Db, assignmentId: string, callerId: string, since: Date) {
  const res = await sql<{ calls: number; reached: number; eventSignUps: number; newsletter: number }>`
    select count(*)::int as calls,
           (count(*) filter (where outcome = 'reached'))::int as reached,
           coalesce(sum(cardinality(event_ids)), 0)::int as "eventSignUps",
           (count(*) filter (where newsletter))::int as newsletter
    from calls
    where assignment_id = ${assignmentId}::uuid and caller_id = ${callerId}::uuid and ended_at >= ${since}`.execute(
    db,
  );
  return res.rows[0];
}

/** Claims one given person for the caller (they called back on their own); undefined when locked. */
export async function claimPerson(
  db: Db,
  o: { callId: string; assignmentId: string; personId: string; callerId: string; lockMinutes: number },
) {
  const res = await sql<{ id: string; personId: string; lockedUntil: Date }>`
    insert into call_locks (id, assignment_id, person_id, caller_id, locked_until)
    values (${o.callId}::uuid, ${o.assignmentId}::uuid, ${o.personId}::uuid, ${o.callerId}::uuid,
            now() + ${o.lockMinutes}::int * interval '1 minute')
    on conflict (assignment_id, person_id) do update
      set id = excluded.id, caller_id = excluded.caller_id, claimed_at = now(), locked_until = excluded.locked_until
      where call_locks.locked_until <= now()
    returning id, person_id as "personId", locked_until as "lockedUntil"`.execute(db);
  return res.rows[0];
}

/** Up to 10 of the assignment's targets matching every search term (for "log a call"). */
export function searchTargets(db: Db, o: { orgId: string; target: Expression<SqlBool>; terms: string[] }) {
  return db
    .selectFrom('people as p')
    .select(['p.id', 'p.firstName', 'p.lastName', 'p.postalCode'])
    .where(peopleFilter({ rootOrgId: o.orgId, terms: o.terms, where: o.target }))
    .orderBy('p.lastName')
    .orderBy('p.firstName')
    .orderBy('p.id')
    .limit(10)
    .execute();
}

/** Is the person one of the assignment's targets (the list ∩ the unit's subtree)? */
export async function isTarget(db: Db, o: { orgId: string; target: Expression<SqlBool>; personId: string }) {
  const row = await db
    .selectFrom('people as p')
    .select('p.id')
    .where(peopleFilter({ rootOrgId: o.orgId, terms: [], where: o.target, personIds: [o.personId] }))
    .executeTakeFirst();
  return !!row;
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
