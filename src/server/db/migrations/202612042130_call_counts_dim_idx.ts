import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

/**
 * `call_counts` by dimension: the federal view reads the few `people`, `outcome`, `day`, `hour`
 * and `caller_all` rows without going over the many per-unit `caller` rows (issue 18 §1).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    'create index call_counts_dim_idx on call_counts (dim, assignment_id)',
    'analyze call_counts',
  ]);
}
