import { randomUUID } from 'node:crypto';
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { unitsInLineWith } from '../orgs/orgs.repo.ts';
import { peopleFilter } from '../people/people.repo.ts';

/** SQL of the call queue: claims and locks, the materialised targets, the person on the phone, "log a call". */

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
export function reachedElsewhere(assignmentId: string, campaign: ClaimOptions['campaign']) {
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
