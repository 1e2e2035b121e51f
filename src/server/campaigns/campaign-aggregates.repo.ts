import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { answerRows, type Dimension, type GroupedRow, type StatsScope } from './campaign-stats.repo.ts';

/**
 * The evaluation read from the aggregates the calls triggers keep (migration …_call_aggregates:
 * `call_counts`, `call_people`, `call_answer_counts`; ARCHITECTURE "Evaluation aggregates")
 * instead of the calls: thousands of rows instead of a million, the same figures as the
 * statements over calls in campaign-stats.repo.ts. Days and hours are stored in the campaign's
 * time zone; a period or a caller filter needs the calls themselves (`usesAggregates`).
 */

/** Whether the aggregates answer this scope: without a period and a caller filter. */
export const usesAggregates = (s: StatsScope) => !s.from && !s.to && !s.callerId;

/** `regions`: unit → child region of the scope (or the scope itself for units directly in it). */
const regionsCte = (s: StatsScope) => sql`
    regions as (
      select t.descendant_id as org_id, ch.id as region_id
      from org_units ch join org_tree t on t.ancestor_id = ch.id
      where ch.parent_id = ${s.orgId}::uuid
    )`;

/** `<name>`: the rows of `table` in scope, with their region and call centre (after `regions`). */
function inScope(s: StatsScope, table: string, name: string, columns: string, where?: RawBuilder<SqlBool>) {
  const conditions: RawBuilder<SqlBool>[] = [
    sql<SqlBool>`x.org_id in (select descendant_id from org_tree where ancestor_id = ${s.orgId}::uuid)`,
  ];
  if (s.assignmentId) conditions.push(sql<SqlBool>`x.assignment_id = ${s.assignmentId}::uuid`);
  if (where) conditions.push(where);
  return sql`
    ${sql.id(name)} as (
      select ${sql.raw(columns)}, coalesce(r.region_id, ${s.orgId}::uuid) as region_id, a.call_centre_id
      from ${sql.table(table)} x
      join call_assignments a on a.id = x.assignment_id and a.campaign_id = ${s.campaignId}::uuid
      left join regions r on r.org_id = x.org_id
      where ${sql.join(conditions, sql` and `)}
    )`;
}

/** `regions` and `<name>`. */
const scoped = (s: StatsScope, table: string, name: string, columns: string, where?: RawBuilder<SqlBool>) =>
  sql`${regionsCte(s)}, ${inScope(s, table, name, columns, where)}`;

const COLUMNS = 'x.dim, x.key, x.calls, x.reached, x.event_sign_ups, x.newsletter, x.follow_ups_open';

const SUMS = sql`sum(calls)::int as calls, sum(reached)::int as reached,
  sum(event_sign_ups)::int as "eventSignUps", sum(newsletter)::int as newsletter,
  sum(follow_ups_open)::int as "followUpsOpen"`;

/**
 * groupedCounts from `call_counts`: each dimension's rows, regions, call centres and the total.
 * Callers come from the `caller_all` rows (one per assignment and caller) when no call of the
 * assignments in view lies outside the region looked at (the federal view), else from the
 * per-unit `caller` rows of the region.
 */
export async function groupedCounts(db: Db, s: StatsScope): Promise<GroupedRow[]> {
  const assignment = s.assignmentId ? sql`and x.assignment_id = ${s.assignmentId}::uuid` : sql``;
  const res = await sql<GroupedRow>`
    with ${regionsCte(s)},
    ${inScope(s, 'call_counts', 'k', COLUMNS, sql<SqlBool>`x.dim in ('day', 'hour', 'outcome')`)},
    outside as (
      select exists (
        select 1 from call_counts x
        join call_assignments a on a.id = x.assignment_id and a.campaign_id = ${s.campaignId}::uuid
        where x.dim = 'outcome' ${assignment}
          and x.org_id not in (select descendant_id from org_tree where ancestor_id = ${s.orgId}::uuid)
      ) as found
    ),
    ca as (
      select x.key, x.calls, x.reached, x.event_sign_ups, x.newsletter, x.follow_ups_open
      from call_counts x
      join call_assignments a on a.id = x.assignment_id and a.campaign_id = ${s.campaignId}::uuid
      where x.dim = 'caller_all' ${assignment} and not (select found from outside)
    ),
    ${inScope(s, 'call_counts', 'kc', COLUMNS, sql<SqlBool>`x.dim = 'caller' and (select found from outside)`)}
    select dim as set, key, ${SUMS} from k group by dim, key having sum(calls) > 0
    union all
    select 'caller', nullif(key, ''), ${SUMS} from ca group by key having sum(calls) > 0
    union all
    select 'caller', nullif(key, ''), ${SUMS} from kc group by key having sum(calls) > 0
    union all
    select 'region', region_id::text, ${SUMS} from k where dim = 'outcome' group by region_id having sum(calls) > 0
    union all
    select 'centre', call_centre_id::text, ${SUMS} from k where dim = 'outcome' group by call_centre_id
      having sum(calls) > 0
    union all
    select 'total', null, ${sql`coalesce(sum(calls), 0)::int as calls, coalesce(sum(reached), 0)::int as reached,
      coalesce(sum(event_sign_ups), 0)::int as "eventSignUps", coalesce(sum(newsletter), 0)::int as newsletter,
      coalesce(sum(follow_ups_open), 0)::int as "followUpsOpen"`}
    from k where dim = 'outcome'`.execute(db);
  return res.rows;
}

/**
 * People called per region: the people of each (assignment, unit) (`call_counts` dimension
 * `people`) summed, minus the repeats of the few people with rows in several units or
 * assignments (`call_people.units > 1`) inside one region. An erased person's calls count one each.
 */
export async function peopleByRegion(db: Db, s: StatsScope) {
  const res = await sql<{ regionId: string; people: number }>`
    with ${regionsCte(s)},
    ${inScope(s, 'call_counts', 'u', 'x.calls', sql<SqlBool>`x.dim = 'people'`)},
    ${inScope(s, 'call_people', 'm', 'x.person_key', sql<SqlBool>`x.units > 1 and x.calls > 0`)},
    repeats as (
      select region_id, (count(*) - count(distinct person_key))::int as n from m group by region_id
    )
    select u.region_id as "regionId", (sum(u.calls) - coalesce(max(r.n), 0))::int as people
    from u left join repeats r using (region_id)
    group by u.region_id having sum(u.calls) > 0`.execute(db);
  return new Map(res.rows.map((r) => [r.regionId, r.people]));
}

/** answerCounts from `call_answer_counts`, in the same shape. */
export async function answerCounts(db: Db, s: StatsScope) {
  const res = await sql<{ questionId: string; value: string | null; answered: number; count: number }>`
    with ${scoped(s, 'call_answer_counts', 'a', 'x.question_id, x.value, x.answered, x.count')}
    select question_id as "questionId", value, sum(answered)::int as answered, sum(count)::int as count
    from a group by 1, 2
    having sum(answered) <> 0 or sum(count) <> 0`.execute(db);
  return answerRows(res.rows);
}

const COUNT_DIMS = new Set(['outcome', 'day', 'hour', 'caller']);

/**
 * Whether the aggregates hold this pair: the region against itself, an outcome, a day, an hour,
 * a caller or a question (the aggregates are per unit, not per call, so two non-region
 * dimensions need the calls).
 */
export function crosstabFromAggregates(rows: Dimension, columns: Dimension) {
  const other = rows.kind === 'region' ? columns : columns.kind === 'region' ? rows : null;
  return !!other && (other.kind === 'region' || other.kind === 'question' || COUNT_DIMS.has(other.kind));
}

/** crosstabCounts for a pair `crosstabFromAggregates` accepts. */
export async function crosstabCounts(db: Db, s: StatsScope, rows: Dimension, columns: Dimension) {
  const regionFirst = rows.kind === 'region';
  const other = regionFirst ? columns : rows;
  let res: { rows: { region: string; value: string; n: number }[] };
  if (other.kind === 'question') {
    res = await sql<{ region: string; value: string; n: number }>`
      with ${scoped(s, 'call_answer_counts', 'a', 'x.question_id, x.value, x.count')}
      select region_id::text as region, value, sum(count)::int as n
      from a where question_id = ${other.id} and value is not null
      group by 1, 2 having sum(count) > 0`.execute(db);
  } else {
    const dim = other.kind === 'region' ? 'outcome' : other.kind;
    const value = other.kind === 'region' ? sql`region_id::text` : sql`key`;
    res = await sql<{ region: string; value: string; n: number }>`
      with ${scoped(s, 'call_counts', 'k', 'x.dim, x.key, x.calls')}
      select region_id::text as region, ${value} as value, sum(calls)::int as n
      from k where dim = ${dim}
      group by 1, 2 having sum(calls) > 0`.execute(db);
  }
  return res.rows.map((r) =>
    regionFirst ? { r: r.region, k: r.value, n: r.n } : { r: r.value, k: r.region, n: r.n },
  );
}
