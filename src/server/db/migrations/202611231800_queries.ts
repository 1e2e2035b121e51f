import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // Saved smart-search lists ("Listen"): a filter tree evaluated in the subtree of org_id, either
    // on every use (dynamic) or once, keeping the people found then (snapshot).
    `create table queries (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references org_units (id) on delete cascade,
      owner_id uuid references users (id) on delete set null,
      name text not null,
      description text,
      mode text not null default 'dynamic' check (mode in ('dynamic', 'snapshot')),
      filter jsonb not null,
      snapshot_at timestamptz,
      snapshot_count integer,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create index queries_org_idx on queries (org_id, lower(name))`,

    `create table query_snapshot_members (
      query_id uuid not null references queries (id) on delete cascade,
      person_id uuid not null references people (id) on delete cascade,
      primary key (query_id, person_id)
    )`,
    `create index query_snapshot_members_person_idx on query_snapshot_members (person_id)`,

    // Smart-search filters: age ranges (birth date), relative dates, statuses.
    `create index people_birth_date_idx on people (birth_date) where birth_date is not null`,
  ]);
}
