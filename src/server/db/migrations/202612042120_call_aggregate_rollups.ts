import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

/**
 * Evaluation aggregates, second step (issue 18 §1; ARCHITECTURE "Evaluation aggregates"): two
 * roll-ups the federal dashboard reads instead of one row per person or per caller and unit.
 * - `call_counts` dimension `people` (key ''): how many people were called per (assignment,
 *   unit) — the rows of `call_people` there — kept when a `call_people` row comes or goes; and
 *   `call_people.units`, how many (assignment, unit) rows the person has, so the rare person
 *   counted in two units of one region is subtracted once (`units > 1`, own index).
 * - `call_counts` dimension `caller_all`: calls per (assignment, caller) over all units, stored
 *   under the assignment's unit; read only when every call of the assignments in view lies in the
 *   region looked at (the federal view), else the per-unit `caller` rows.
 * The trigger functions and `rebuild_call_aggregates` are replaced by ones maintaining these too;
 * the migration recounts.
 */

/** Per assignment its time zone: the campaign owner's unit's, else the assignment unit's. */
const ZONES = `select a.id as assignment_id, a.org_id as unit, coalesce(
    (select o.time_zone from campaigns cp join org_units o on o.id = cp.org_id where cp.id = a.campaign_id),
    (select o.time_zone from org_units o where o.id = a.org_id)) as zone
  from call_assignments a where a.id in (select assignment_id from src)`;

/**
 * The rows of `source` whose assignment and unit still exist: a cascade (assignment or unit
 * deleted) has removed their aggregate rows already, and inserting them again would fail.
 */
const live = (source: string) => `select s.* from (${source}) s
  where exists (select 1 from call_assignments a where a.id = s.assignment_id)
    and exists (select 1 from org_units o where o.id = s.org_id)`;

/**
 * The statements applying the deltas of `source` (rows of calls with a sign `s`): one upsert per
 * table, its rows in key order (two transactions lock shared rows in the same order: no deadlock).
 */
function applyDeltas(source: string) {
  const counts = `
    with src as (${live(source)}),
    zones as (${ZONES}),
    c as (
      select src.*, z.unit, src.ended_at at time zone z.zone as local_at
      from src join zones z using (assignment_id)
    ),
    dims as (
      select c.assignment_id, case when d.dim = 'caller_all' then c.unit else c.org_id end as org_id,
             d.dim, d.key, c.s,
             (c.outcome = 'reached')::int as reached, cardinality(c.event_ids) as events,
             c.newsletter::int as newsletter,
             (c.follow_up_reason is not null and c.follow_up_resolved_at is null)::int as follow_up
      from c cross join lateral (values
        ('day', to_char(c.local_at, 'YYYY-MM-DD')),
        ('hour', extract(hour from c.local_at)::int::text),
        ('outcome', c.outcome),
        ('caller', coalesce(c.caller_id::text, '')),
        ('caller_all', coalesce(c.caller_id::text, ''))) d(dim, key)
    )
    select assignment_id, org_id, dim, key, sum(s)::int as calls, sum(s * reached)::int as reached,
           sum(s * events)::int as event_sign_ups, sum(s * newsletter)::int as newsletter,
           sum(s * follow_up)::int as follow_ups_open
    from dims group by 1, 2, 3, 4
    having sum(s) <> 0 or sum(s * reached) <> 0 or sum(s * events) <> 0 or sum(s * newsletter) <> 0
        or sum(s * follow_up) <> 0`;
  const people = `
    with src as (${live(source)})
    select assignment_id, org_id, coalesce(person_id, id) as person_key, sum(s)::int as calls
    from src where org_id is not null
    group by 1, 2, 3 having sum(s) <> 0`;
  // The same expansion as answerCounts: one row per chosen value (the first marked), or one row
  // per answer with its scalar value (null for free text, which counts only as answered).
  const answers = `
    with src as (${live(source)})
    select src.assignment_id, src.org_id, x ->> 'questionId' as question_id, v.value,
           sum(src.s * v.first::int)::int as answered,
           sum(src.s * (v.value is not null)::int)::int as count
    from src
    cross join lateral jsonb_array_elements(src.answers) x
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
    where src.org_id is not null and src.answers <> '[]'::jsonb
    group by 1, 2, 3, 4
    having sum(src.s * v.first::int) <> 0 or sum(src.s * (v.value is not null)::int) <> 0`;
  return `
    insert into call_counts as t ${counts}
      order by 1, 2, 3, 4
      on conflict (assignment_id, org_id, dim, key) do update set calls = t.calls + excluded.calls,
        reached = t.reached + excluded.reached, event_sign_ups = t.event_sign_ups + excluded.event_sign_ups,
        newsletter = t.newsletter + excluded.newsletter, follow_ups_open = t.follow_ups_open + excluded.follow_ups_open;
    with ins as (
      insert into call_people as t (assignment_id, org_id, person_key, calls) ${people}
        order by 1, 2, 3
        on conflict (assignment_id, org_id, person_key) do update set calls = t.calls + excluded.calls
        returning t.assignment_id, t.org_id, (t.xmax = 0) as inserted
    )
    insert into call_counts as t
      select assignment_id, org_id, 'people', '', count(*)::int, 0, 0, 0, 0 from ins where inserted
      group by 1, 2 order by 1, 2
      on conflict (assignment_id, org_id, dim, key) do update set calls = t.calls + excluded.calls;
    insert into call_answer_counts as t ${answers}
      order by 1, 2, 3, 4
      on conflict (assignment_id, org_id, question_id, value) do update
        set answered = t.answered + excluded.answered, count = t.count + excluded.count;`;
}

const COLUMNS = `id, assignment_id, org_id, person_id, caller_id, ended_at, outcome, answers, event_ids,
  newsletter, follow_up_reason, follow_up_resolved_at`;

/**
 * Rows the old calls leave at zero go (an erased person's id, a deleted caller's id must not stay
 * behind as a key).
 */
const CLEAN_UP = `
    with del as (
      delete from call_people t where t.calls = 0
        and (t.assignment_id, t.org_id, t.person_key) in (
          select assignment_id, org_id, coalesce(person_id, id) from old_calls)
      returning t.assignment_id, t.org_id
    )
    update call_counts t set calls = t.calls - d.n
      from (select assignment_id, org_id, count(*)::int as n from del group by 1, 2) d
      where (t.assignment_id, t.org_id, t.dim, t.key) = (d.assignment_id, d.org_id, 'people', '');
    delete from call_counts t
      where t.calls = 0 and t.reached = 0 and t.event_sign_ups = 0 and t.newsletter = 0 and t.follow_ups_open = 0
        and (t.assignment_id, t.org_id) in (select assignment_id, org_id from old_calls);
    delete from call_answer_counts t where t.answered = 0 and t.count = 0
      and (t.assignment_id, t.org_id) in (select assignment_id, org_id from old_calls);`;

/** `call_people.units` of the persons of `source`, counted again (after rows came or went). */
const units = (source: string) => `
    update call_people t set units = u.n
      from (select person_key, count(*)::int as n from call_people
            where person_key in (select coalesce(person_id, id) from (${source}) s)
            group by person_key) u
      where t.person_key = u.person_key and t.units <> u.n;`;

function triggerFunction(name: string, source: string, cleanUp = '') {
  return `create or replace function ${name}() returns trigger language plpgsql as $fn$
    begin
      ${applyDeltas(source)}
      ${cleanUp}
      ${units(source)}
      return null;
    end $fn$`;
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  const all = `select ${COLUMNS}, 1 as s from calls where ids is null or assignment_id = any(ids)`;
  await runStatements(db, [
    'alter table call_counts drop constraint call_counts_dim_check',
    `alter table call_counts add constraint call_counts_dim_check
      check (dim in ('day', 'hour', 'outcome', 'caller', 'caller_all', 'people'))`,
    'alter table call_people add column units integer not null default 1',
    'create index call_people_person_idx on call_people (person_key)',
    'create index call_people_multi_idx on call_people (assignment_id) where units > 1',
    triggerFunction('call_aggregates_insert', `select ${COLUMNS}, 1 as s from new_calls`),
    triggerFunction(
      'call_aggregates_update',
      `select ${COLUMNS}, -1 as s from old_calls union all select ${COLUMNS}, 1 as s from new_calls`,
      CLEAN_UP,
    ),
    triggerFunction('call_aggregates_delete', `select ${COLUMNS}, -1 as s from old_calls`, CLEAN_UP),
    `create or replace function rebuild_call_aggregates(ids uuid[] default null) returns void
    language plpgsql as $fn$
    begin
      lock table calls in share row exclusive mode;
      delete from call_counts where ids is null or assignment_id = any(ids);
      delete from call_people where ids is null or assignment_id = any(ids);
      delete from call_answer_counts where ids is null or assignment_id = any(ids);
      ${applyDeltas(all)}
      ${units(all)}
    end $fn$`,
    'select rebuild_call_aggregates()',
    'analyze call_counts',
    'analyze call_people',
  ]);
}
