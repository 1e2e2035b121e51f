import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

/**
 * The evaluation aggregates are counters updated in place by every outcome. With half of each
 * page free an update stays on its page (HOT: no index entry, the old version pruned when the
 * page is next read), so the tables stay their own size without VACUUM — this machine runs
 * PostgreSQL with autovacuum off, and a 10,000,000-call bench left `call_counts` at 9× its live
 * rows in dead versions (issue 18 §1, bench/RESULTS.md).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    'alter table call_counts set (fillfactor = 50)',
    'alter table call_people set (fillfactor = 50)',
    'alter table call_answer_counts set (fillfactor = 50)',
    'alter table campaign_target_counts set (fillfactor = 50)',
    'alter table campaign_target_snapshots set (fillfactor = 50)',
  ]);
}
