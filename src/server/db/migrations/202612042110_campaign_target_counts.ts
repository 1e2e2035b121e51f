import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

/**
 * Target figures of a campaign per unit (issue 18 §1; ARCHITECTURE "Evaluation aggregates"): the
 * categories of every target person counted by the unit they live in, computed by the job
 * `campaign-targets-refresh` (after outcomes, every minute for open campaigns) with the same
 * statement the dashboard ran live. A region's figures are the sum over its subtree.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    `create table campaign_target_snapshots (
      campaign_id uuid primary key references campaigns (id) on delete cascade,
      computed_at timestamptz not null
    )`,
    `create table campaign_target_counts (
      campaign_id uuid not null references campaign_target_snapshots (campaign_id) on delete cascade,
      org_id uuid not null references org_units (id) on delete cascade,
      counts jsonb not null,
      primary key (campaign_id, org_id)
    )`,
    'create index campaign_target_counts_org_idx on campaign_target_counts (org_id)',
  ]);
}
