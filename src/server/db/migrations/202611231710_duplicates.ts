import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // Lower-case name with German umlauts spelled out, so "Müller" and "Mueller" compare equal
    // and pg_trgm sees letters only (its word splitting depends on the locale otherwise).
    `create function draht_name_key(first_name text, last_name text) returns text
      language sql immutable parallel safe as $$
        select trim(replace(replace(replace(replace(lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '')),
          'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss'))
      $$`,

    // Pairs of people who may be the same person. No foreign keys on purpose: a merged pair keeps
    // its row (status merged) after the merged-away person is gone; the scan removes rows of
    // erased people.
    `create table duplicate_candidates (
      id uuid primary key default gen_random_uuid(),
      person_a uuid not null,
      person_b uuid not null,
      score real not null,
      reasons text[] not null default '{}',
      status text not null default 'open' check (status in ('open', 'merged', 'dismissed')),
      scanned_at timestamptz not null default now(),
      decided_at timestamptz,
      decided_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      check (person_a < person_b),
      unique (person_a, person_b)
    )`,
    `create index duplicate_candidates_person_b_idx on duplicate_candidates (person_b)`,
    `create index duplicate_candidates_open_idx on duplicate_candidates (score desc, id) where status = 'open'`,

    // Scan requests: the job claims queued ones; the UI shows the latest per unit.
    `create table duplicate_scans (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references org_units (id) on delete cascade,
      requested_by uuid references users (id) on delete set null,
      status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
      pairs integer,
      error text,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz
    )`,
    `create index duplicate_scans_org_idx on duplicate_scans (org_id, created_at desc)`,
    `create index duplicate_scans_queued_idx on duplicate_scans (created_at) where status = 'queued'`,

    // Blocking keys of the name comparison (birth date or postal code + initial of the last name).
    `create index people_dup_birth_idx on people (birth_date, (left(draht_name_key('', last_name), 1)))
      where birth_date is not null`,
    `create index people_dup_postal_idx on people (postal_code, (left(draht_name_key('', last_name), 1)))
      where postal_code is not null`,
  ]);
}
