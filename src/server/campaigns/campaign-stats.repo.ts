import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * Evaluation of a campaign over its recorded calls, in SQL. Every query reads the calls of the
 * campaign's assignments whose person lived, at call time, in the subtree of the region looked at
 * (`calls.org_id`, kept after erasure), optionally narrowed by period, assignment and caller.
 * A call's "region" is the child unit of the region looked at that contains it (or the region
 * itself for people directly in it): the drill-down Bund → Land → Kreis → Ort.
 */
export interface StatsScope {
  campaignId: string;
  orgId: string;
  timeZone: string;
  from?: string;
  to?: string;
  assignmentId?: string;
  callerId?: string;
}

/** `regions` (unit → child region) and `base` (the calls in scope, with local time and region). */
function baseCte(s: StatsScope) {
  const conditions: RawBuilder<SqlBool>[] = [
    sql<SqlBool>`c.org_id in (select descendant_id from org_tree where ancestor_id = ${s.orgId}::uuid)`,
  ];
  if (s.from) conditions.push(sql<SqlBool>`(c.ended_at at time zone ${s.timeZone})::date >= ${s.from}::date`);
  if (s.to) conditions.push(sql<SqlBool>`(c.ended_at at time zone ${s.timeZone})::date <= ${s.to}::date`);
  if (s.assignmentId) conditions.push(sql<SqlBool>`c.assignment_id = ${s.assignmentId}::uuid`);
  if (s.callerId) conditions.push(sql<SqlBool>`c.caller_id = ${s.callerId}::uuid`);
  return sql`
    regions as (
      select t.descendant_id as org_id, ch.id as region_id
      from org_units ch join org_tree t on t.ancestor_id = ch.id
      where ch.parent_id = ${s.orgId}::uuid
    ),
    base as (
      select c.id, c.outcome, c.caller_id, c.person_id, c.answers, c.event_ids, c.newsletter,
             (c.follow_up_reason is not null and c.follow_up_resolved_at is null) as open_follow_up,
             (c.ended_at at time zone ${s.timeZone}) as local_at,
             coalesce(r.region_id, ${s.orgId}::uuid) as region_id, a.call_centre_id
      from calls c
      join call_assignments a on a.id = c.assignment_id and a.campaign_id = ${s.campaignId}::uuid
      left join regions r on r.org_id = c.org_id
      where ${sql.join(conditions, sql` and `)}
    )`;
}

export interface GroupedRow {
  set: 'total' | 'day' | 'hour' | 'outcome' | 'caller' | 'region' | 'centre';
  key: string | null;
  calls: number;
  reached: number;
  eventSignUps: number;
  newsletter: number;
  followUpsOpen: number;
}

/** Calls counted by day, hour, outcome, caller, region and call centre, plus the total, in one pass. */
export async function groupedCounts(db: Db, s: StatsScope): Promise<GroupedRow[]> {
  const res = await sql<GroupedRow>`
    with ${baseCte(s)},
    keyed as (
      select b.outcome, b.caller_id, b.region_id, b.call_centre_id, b.event_ids, b.newsletter, b.open_follow_up,
             b.local_at::date as day, extract(hour from local_at)::int as hour
      from base b
    )
    select case
             when grouping(day) = 0 then 'day'
             when grouping(hour) = 0 then 'hour'
             when grouping(outcome) = 0 then 'outcome'
             when grouping(caller_id) = 0 then 'caller'
             when grouping(region_id) = 0 then 'region'
             when grouping(call_centre_id) = 0 then 'centre'
             else 'total'
           end as set,
           coalesce(day::text, hour::text, outcome, caller_id::text, region_id::text, call_centre_id::text) as key,
           count(*)::int as calls,
           (count(*) filter (where outcome = 'reached'))::int as reached,
           coalesce(sum(cardinality(event_ids)), 0)::int as "eventSignUps",
           (count(*) filter (where newsletter))::int as newsletter,
           (count(*) filter (where open_follow_up))::int as "followUpsOpen"
    from keyed
    group by grouping sets ((day), (hour), (outcome), (caller_id), (region_id), (call_centre_id), ())`.execute(
    db,
  );
  return res.rows;
}

/**
 * People called per region, counted apart from `groupedCounts`: a distinct count inside grouping
 * sets sorts every set (5.5 s instead of well under one at 1,000,000 calls). An erased person's
 * calls count one person each (their id is gone).
 */
export async function peopleByRegion(db: Db, s: StatsScope) {
  const res = await sql<{ regionId: string; people: number }>`
    with ${baseCte(s)}
    select region_id as "regionId", count(*)::int as people
    from (select distinct region_id, coalesce(person_id, id) as who from base) called
    group by region_id`.execute(db);
  return new Map(res.rows.map((r) => [r.regionId, r.people]));
}

/**
 * Answers per question and value (choices of multiple-choice answers counted one by one), in one
 * pass: each answer yields one row per chosen value, the first of them marked, so "answered"
 * counts answers and the value counts count choices. Free text counts only as answered. Returns
 * a row with `value: null` per question holding how often it was answered.
 */
export async function answerCounts(db: Db, s: StatsScope) {
  const res = await sql<{ questionId: string; value: string | null; answered: number; count: number }>`
    with ${baseCte(s)}
    select x ->> 'questionId' as "questionId", v.value,
           (count(*) filter (where v.first))::int as answered,
           (count(*) filter (where v.value is not null))::int as count
    from base b
    cross join lateral jsonb_array_elements(b.answers) x
    cross join lateral (
      select e.value, e.ord = 1 as first
      from jsonb_array_elements_text(
        case when jsonb_typeof(x -> 'value') = 'array' then x -> 'value' else '[]'::jsonb end
      ) with ordinality as e(value, ord)
      union all
      select case when coalesce((x ->> 'free')::boolean, false) or jsonb_typeof(x -> 'value') = 'array'
                  then null else x ->> 'value' end, true
      where jsonb_typeof(x -> 'value') <> 'array' or jsonb_array_length(x -> 'value') = 0
    ) v
    group by 1, 2`.execute(db);
  return answerRows(res.rows);
}

/**
 * Rows of (question, value, answered, count) as answerCounts returns them: one row per chosen value
 * and one `value: null` row per question with how often it was answered.
 */
export function answerRows(
  counted: { questionId: string; value: string | null; answered: number; count: number }[],
) {
  const answered = new Map<string, number>();
  const rows: { questionId: string; value: string | null; count: number }[] = [];
  for (const r of counted) {
    answered.set(r.questionId, (answered.get(r.questionId) ?? 0) + r.answered);
    if (r.value !== null && r.count > 0)
      rows.push({ questionId: r.questionId, value: r.value, count: r.count });
  }
  for (const [questionId, count] of answered) rows.push({ questionId, value: null, count });
  return rows;
}

export type Dimension =
  | { kind: 'region' | 'outcome' | 'day' | 'hour' | 'caller' }
  /** `order`: how its answers are listed (the service sorts by it). */
  | { kind: 'question'; id: string; order?: string[] };

function dimension(d: Dimension, alias: string): { join: RawBuilder<unknown>; expr: RawBuilder<string> } {
  switch (d.kind) {
    case 'region':
      return { join: sql``, expr: sql<string>`b.region_id::text` };
    case 'outcome':
      return { join: sql``, expr: sql<string>`b.outcome` };
    case 'day':
      return { join: sql``, expr: sql<string>`to_char(b.local_at, 'YYYY-MM-DD')` };
    case 'hour':
      return { join: sql``, expr: sql<string>`extract(hour from b.local_at)::int::text` };
    case 'caller':
      return { join: sql``, expr: sql<string>`coalesce(b.caller_id::text, '')` };
    case 'question':
      return {
        join: sql`cross join lateral (
          select coalesce(e.v, x ->> 'value') as v
          from jsonb_array_elements(b.answers) x
          left join lateral jsonb_array_elements_text(
            case when jsonb_typeof(x -> 'value') = 'array' then x -> 'value' else '[]'::jsonb end) e(v) on true
          where x ->> 'questionId' = ${d.id} and (jsonb_typeof(x -> 'value') <> 'array' or e.v is not null)
        ) ${sql.id(alias)}`,
        expr: sql<string>`${sql.id(alias)}.v`,
      };
  }
}

/** Calls counted by two dimensions. */
export async function crosstabCounts(db: Db, s: StatsScope, rows: Dimension, columns: Dimension) {
  const r = dimension(rows, 'qr');
  const c = dimension(columns, 'qc');
  const res = await sql<{ r: string; k: string; n: number }>`
    with ${baseCte(s)}
    select ${r.expr} as r, ${c.expr} as k, count(*)::int as n
    from base b ${r.join} ${c.join}
    group by 1, 2`.execute(db);
  return res.rows;
}

/**
 * The regions of `orgId` the campaign covers, called or not: its active child units that lie in,
 * or contain, a call centre's or an assignment's unit (so a region that lags shows with zeros).
 */
export async function coveredRegions(db: Db, campaignId: string, orgId: string): Promise<string[]> {
  const res = await sql<{ id: string }>`
    with units as (
      select org_id from call_centres where campaign_id = ${campaignId}::uuid
      union select org_id from call_assignments where campaign_id = ${campaignId}::uuid
    )
    select ch.id from org_units ch
    where ch.parent_id = ${orgId}::uuid and ch.archived_at is null
      and exists (
        select 1 from units u join org_tree t
          on (t.ancestor_id = ch.id and t.descendant_id = u.org_id)
          or (t.ancestor_id = u.org_id and t.descendant_id = ch.id)
      )`.execute(db);
  return res.rows.map((r) => r.id);
}

/** Which of the units lie in, or contain, `orgId` (a call centre overlaps the region looked at). */
export async function unitsInLineWith(db: Db, ids: string[], orgId: string): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const res = await sql<{ id: string }>`
    select distinct u.id from unnest(${ids}::uuid[]) u(id) join org_tree t
      on (t.ancestor_id = u.id and t.descendant_id = ${orgId}::uuid)
      or (t.ancestor_id = ${orgId}::uuid and t.descendant_id = u.id)`.execute(db);
  return new Set(res.rows.map((r) => r.id));
}

export function findOrgNames(db: Db, ids: string[]) {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom('orgUnits').select(['id', 'name']).where('id', 'in', ids).execute();
}

/** Which of the units have active children (for the drill-down). */
export async function unitsWithChildren(db: Db, ids: string[]) {
  if (!ids.length) return new Set<string>();
  const rows = await db
    .selectFrom('orgUnits')
    .select('parentId')
    .where('parentId', 'in', ids)
    .where('archivedAt', 'is', null)
    .distinct()
    .execute();
  return new Set(rows.map((r) => r.parentId as string));
}

export function findUserNames(db: Db, ids: string[]) {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();
}
