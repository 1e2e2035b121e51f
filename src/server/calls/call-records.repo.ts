import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import {
  TARGET_CATEGORIES,
  type TargetCategory,
  type TargetCategoryCounts,
  targetTotals,
} from '../../shared/calls.ts';
import type { Db } from '../db/database.ts';
import { type ClaimOptions, reachedElsewhere } from './call-queue.repo.ts';

/** SQL of call records: the attempts, the queue state they leave, progress figures, organizer and caller views. */

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
