import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

/**
 * Campaign evaluation aggregates (issue 18 §1; ARCHITECTURE "Evaluation aggregates"): what the
 * dashboard, crosstab and export count, kept current by statement-level triggers on `calls` in
 * the transaction of every write (insert, update incl. erasure and follow-up resolution, delete),
 * so no code path can miss them. Each trigger turns the statement's transition table(s) into
 * signed deltas (+1 per new row, −1 per old row), sums them per key and upserts the non-zero ones;
 * rows an update or delete leaves at zero are deleted. `rebuild_call_aggregates` recounts from the calls.
 *
 * - `call_counts` per (assignment, unit at call time, dimension, key), dimension one of `day`
 *   and `hour` (local time of the campaign's unit), `outcome`, `caller` ('' for a deleted user):
 *   calls, reached, event sign-ups, newsletter, open follow-ups. One row per dimension value, not
 *   the cross product: the dashboard shows one dimension at a time.
 * - `call_people` per (assignment, unit, person — the call id once the person is erased): calls,
 *   for "people called per region" (a distinct count).
 * - `call_answer_counts` per (assignment, unit, question, value — null for "answered"): the
 *   answers the way `answerCounts` counts them.
 * Calls without a unit (deleted unit) are in no region's figures and are not counted.
 */

/** Per assignment its time zone: the campaign owner's unit's, else the assignment unit's. */
const ZONES = `select a.id as assignment_id, coalesce(
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
      select src.*, src.ended_at at time zone z.zone as local_at
      from src join zones z using (assignment_id)
    ),
    dims as (
      select c.assignment_id, c.org_id, d.dim, d.key, c.s,
             (c.outcome = 'reached')::int as reached, cardinality(c.event_ids) as events,
             c.newsletter::int as newsletter,
             (c.follow_up_reason is not null and c.follow_up_resolved_at is null)::int as follow_up
      from c cross join lateral (values
        ('day', to_char(c.local_at, 'YYYY-MM-DD')),
        ('hour', extract(hour from c.local_at)::int::text),
        ('outcome', c.outcome),
        ('caller', coalesce(c.caller_id::text, ''))) d(dim, key)
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
    insert into call_people as t ${people}
      order by 1, 2, 3
      on conflict (assignment_id, org_id, person_key) do update set calls = t.calls + excluded.calls;
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
    delete from call_people t where t.calls = 0
      and (t.assignment_id, t.org_id, t.person_key) in (
        select assignment_id, org_id, coalesce(person_id, id) from old_calls);
    delete from call_counts t
      where t.calls = 0 and t.reached = 0 and t.event_sign_ups = 0 and t.newsletter = 0 and t.follow_ups_open = 0
        and (t.assignment_id, t.org_id) in (select assignment_id, org_id from old_calls);
    delete from call_answer_counts t where t.answered = 0 and t.count = 0
      and (t.assignment_id, t.org_id) in (select assignment_id, org_id from old_calls);`;

function triggerFunction(name: string, source: string, cleanUp = '') {
  return `create function ${name}() returns trigger language plpgsql as $fn$
    begin
      ${applyDeltas(source)}
      ${cleanUp}
      return null;
    end $fn$`;
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    `create table call_counts (
      assignment_id uuid not null references call_assignments (id) on delete cascade,
      org_id uuid not null references org_units (id) on delete cascade,
      dim text not null check (dim in ('day', 'hour', 'outcome', 'caller')),
      key text not null,
      calls integer not null,
      reached integer not null,
      event_sign_ups integer not null,
      newsletter integer not null,
      follow_ups_open integer not null,
      primary key (assignment_id, org_id, dim, key)
    )`,
    `create table call_people (
      assignment_id uuid not null references call_assignments (id) on delete cascade,
      org_id uuid not null references org_units (id) on delete cascade,
      person_key uuid not null,
      calls integer not null,
      primary key (assignment_id, org_id, person_key)
    )`,
    `create table call_answer_counts (
      assignment_id uuid not null references call_assignments (id) on delete cascade,
      org_id uuid not null references org_units (id) on delete cascade,
      question_id text not null,
      value text,
      answered integer not null,
      count integer not null,
      unique nulls not distinct (assignment_id, org_id, question_id, value)
    )`,
    // The foreign keys' other side: deleting a unit or an assignment finds its rows by index.
    'create index call_counts_org_idx on call_counts (org_id)',
    'create index call_people_org_idx on call_people (org_id)',
    'create index call_answer_counts_org_idx on call_answer_counts (org_id)',
    // A caller's own calls (the dashboard filtered by caller reads them, not the campaign's).
    'create index calls_caller_idx on calls (caller_id, ended_at)',

    triggerFunction('call_aggregates_insert', `select ${COLUMNS}, 1 as s from new_calls`),
    triggerFunction(
      'call_aggregates_update',
      `select ${COLUMNS}, -1 as s from old_calls union all select ${COLUMNS}, 1 as s from new_calls`,
      CLEAN_UP,
    ),
    triggerFunction('call_aggregates_delete', `select ${COLUMNS}, -1 as s from old_calls`, CLEAN_UP),
    `create trigger calls_aggregates_insert after insert on calls referencing new table as new_calls
      for each statement execute function call_aggregates_insert()`,
    `create trigger calls_aggregates_update after update on calls
      referencing old table as old_calls new table as new_calls
      for each statement execute function call_aggregates_update()`,
    `create trigger calls_aggregates_delete after delete on calls referencing old table as old_calls
      for each statement execute function call_aggregates_delete()`,

    // Recount from the calls: all assignments, or the given ones. Writers of calls wait meanwhile
    // (share row exclusive), so no outcome is counted twice or missed.
    `create function rebuild_call_aggregates(ids uuid[] default null) returns void language plpgsql as $fn$
    begin
      lock table calls in share row exclusive mode;
      delete from call_counts where ids is null or assignment_id = any(ids);
      delete from call_people where ids is null or assignment_id = any(ids);
      delete from call_answer_counts where ids is null or assignment_id = any(ids);
      ${applyDeltas(`select ${COLUMNS}, 1 as s from calls where ids is null or assignment_id = any(ids)`)}
    end $fn$`,
    // Days and hours are local to the campaign's unit: a new time zone recounts its assignments.
    `create function call_aggregates_time_zone() returns trigger language plpgsql as $fn$
    begin
      perform rebuild_call_aggregates(array(
        select a.id from call_assignments a left join campaigns cp on cp.id = a.campaign_id
        where coalesce(cp.org_id, a.org_id) = new.id));
      return null;
    end $fn$`,
    `create trigger org_units_call_aggregates_time_zone after update of time_zone on org_units
      for each row when (old.time_zone is distinct from new.time_zone)
      execute function call_aggregates_time_zone()`,
    'select rebuild_call_aggregates()',
    'analyze call_counts',
    'analyze call_people',
    'analyze call_answer_counts',
  ]);
}
