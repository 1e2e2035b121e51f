import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * The evaluation aggregates of calls (`call_counts`, `call_people`, `call_answer_counts`; migration
 * …_call_aggregates): triggers on calls keep them, these recount them from the calls.
 */

/** Recounts the aggregates of the given assignments (all when left out) from their calls. */
export async function rebuildCallAggregates(db: Db, assignmentIds?: string[]) {
  await sql`select rebuild_call_aggregates(${assignmentIds ?? null}::uuid[])`.execute(db);
  await sql`analyze call_counts`.execute(db);
  await sql`analyze call_people`.execute(db);
  await sql`analyze call_answer_counts`.execute(db);
}

export interface AggregateSnapshot {
  counts: string[];
  people: string[];
  answers: string[];
}

/** Every non-zero aggregate row as text, sorted (for comparing stored aggregates with a recount). */
export async function snapshotCallAggregates(db: Db): Promise<AggregateSnapshot> {
  const counts = await sql<{ r: string }>`
    select concat_ws('|', assignment_id, org_id, dim, key, calls, reached, event_sign_ups, newsletter,
                     follow_ups_open) as r
    from call_counts
    where calls <> 0 or reached <> 0 or event_sign_ups <> 0 or newsletter <> 0 or follow_ups_open <> 0
    order by 1`.execute(db);
  const people = await sql<{ r: string }>`
    select concat_ws('|', assignment_id, org_id, person_key, calls, units) as r from call_people
    where calls <> 0 order by 1`.execute(db);
  const answers = await sql<{ r: string }>`
    select concat_ws('|', assignment_id, org_id, question_id, coalesce(value, '<null>'), answered, count) as r
    from call_answer_counts where answered <> 0 or count <> 0 order by 1`.execute(db);
  return {
    counts: counts.rows.map((x) => x.r),
    people: people.rows.map((x) => x.r),
    answers: answers.rows.map((x) => x.r),
  };
}
