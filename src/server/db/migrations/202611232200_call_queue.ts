import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // The queue is materialised: every target has a call_targets row (added by a sync when the
    // assignment is first called, when people changed, and every few minutes), so "next" walks
    // an index in queue order instead of sorting the whole list, and locks the row it takes.
    `alter table call_assignments add column targets_synced_at timestamptz`,
    `create index call_targets_queue_idx on call_targets (assignment_id, last_attempt_at nulls first, person_id)
      where not done and call_back_at is null`,
  ]);
}
