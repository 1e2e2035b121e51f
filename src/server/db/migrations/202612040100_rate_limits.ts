import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // Request counters of the rate limits (per route and client address), shared by every
    // instance: one row per key and window, counted up with an upsert.
    `create table rate_limit_counters (
      key text primary key,
      count integer not null,
      resets_at timestamptz not null
    )`,
    `create index rate_limit_counters_resets_idx on rate_limit_counters (resets_at)`,
  ]);
}
