import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // One uploaded file and its run. org_id is null only while the upload streams in.
    `create table imports (
      id uuid primary key default gen_random_uuid(),
      org_id uuid references org_units (id) on delete cascade,
      created_by uuid references users (id) on delete set null,
      file_name text not null,
      file_size bigint not null default 0,
      format text not null default 'csv' check (format in ('csv', 'xlsx')),
      encoding text,
      delimiter text,
      header_row integer not null default 0,
      columns text[] not null default '{}',
      suggested_mapping jsonb not null default '{}',
      mapping jsonb not null default '{}',
      mode text not null default 'update' check (mode in ('create', 'update', 'sync')),
      status text not null default 'uploading'
        check (status in ('uploading', 'pending', 'running', 'done', 'failed')),
      total integer not null default 0,
      error_rows integer not null default 0,
      duplicate_member_numbers text[] not null default '{}',
      departures integer,
      departures_confirmed integer,
      next_row integer not null default 0,
      created integer not null default 0,
      updated integer not null default 0,
      unchanged integer not null default 0,
      departed integer not null default 0,
      failed integer not null default 0,
      message text,
      locked_until timestamptz,
      started_at timestamptz,
      finished_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create index imports_org_idx on imports (org_id, created_at desc)`,
    `create index imports_running_idx on imports (locked_until) where status = 'running'`,

    // The file itself, in 1 MiB pieces: every stateless instance can read it.
    `create table import_file_chunks (
      import_id uuid not null references imports (id) on delete cascade,
      seq integer not null,
      data bytea not null,
      primary key (import_id, seq)
    )`,

    // Problems of rows (skipped), written in the same transaction as their batch.
    `create table import_errors (
      import_id uuid not null references imports (id) on delete cascade,
      row_number integer not null,
      column_name text,
      problem text not null,
      value text
    )`,
    `create index import_errors_import_idx on import_errors (import_id, row_number)`,

    // People this import matched or created: same-person-twice checks and sync departures.
    `create table import_seen (
      import_id uuid not null references imports (id) on delete cascade,
      person_id uuid not null,
      primary key (import_id, person_id)
    )`,

    // Matching by first + last name + birth date, case-insensitive.
    `create index people_lower_name_birth_idx on people (lower(last_name), lower(first_name), birth_date)`,
  ]);
}
