import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // Phone campaigns: an assignment calls the people of a saved list (within its unit's subtree).
    `create table call_assignments (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references org_units (id) on delete cascade,
      title text not null,
      description text,
      target_query_id uuid not null references queries (id) on delete restrict,
      visible_fields text[] not null default '{firstName,lastName,phones,postalCode,city}',
      script text not null default '',
      questions jsonb not null default '[]',
      max_attempts integer not null default 3 check (max_attempts between 1 and 50),
      cooldown_hours integer not null default 24 check (cooldown_hours between 0 and 8760),
      calling_hours jsonb not null,
      lock_minutes integer not null default 10 check (lock_minutes between 1 and 240),
      starts_on date,
      ends_on date,
      status text not null default 'draft' check (status in ('draft', 'open', 'paused', 'closed')),
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create index call_assignments_org_idx on call_assignments (org_id)`,
    `create index call_assignments_query_idx on call_assignments (target_query_id)`,

    `create table call_assignment_callers (
      assignment_id uuid not null references call_assignments (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      prioritised_tag_ids uuid[] not null default '{}',
      excluded_tag_ids uuid[] not null default '{}',
      created_at timestamptz not null default now(),
      primary key (assignment_id, user_id)
    )`,
    `create index call_assignment_callers_user_idx on call_assignment_callers (user_id)`,

    // The claim: one row per person being called right now. Its id is the call id "next" hands
    // out; the unique constraints make a double claim impossible, whatever the isolation level.
    `create table call_locks (
      id uuid primary key,
      assignment_id uuid not null references call_assignments (id) on delete cascade,
      person_id uuid not null references people (id) on delete cascade,
      caller_id uuid not null references users (id) on delete cascade,
      claimed_at timestamptz not null default now(),
      locked_until timestamptz not null,
      unique (assignment_id, person_id),
      unique (assignment_id, caller_id)
    )`,

    // Queue state per person and assignment, updated with every outcome (what "next" orders and
    // skips by). Per-person state: erased with the person.
    `create table call_targets (
      assignment_id uuid not null references call_assignments (id) on delete cascade,
      person_id uuid not null references people (id) on delete cascade,
      attempts integer not null default 0,
      last_attempt_at timestamptz,
      last_outcome text,
      done boolean not null default false,
      reached boolean not null default false,
      cooldown_until timestamptz,
      call_back_at timestamptz,
      call_back_caller_id uuid references users (id) on delete set null,
      primary key (assignment_id, person_id)
    )`,
    `create index call_targets_call_back_idx on call_targets (assignment_id, call_back_at)
      where call_back_at is not null`,

    // One row per attempt. Erasing a person nulls person_id; assignment, caller, outcome, time and
    // the person's unit at call time stay, so counts survive.
    `create table calls (
      id uuid primary key,
      client_id text not null,
      assignment_id uuid not null references call_assignments (id) on delete cascade,
      person_id uuid references people (id) on delete set null,
      org_id uuid references org_units (id) on delete set null,
      caller_id uuid references users (id) on delete set null,
      started_at timestamptz not null,
      ended_at timestamptz not null default now(),
      outcome text not null check (outcome in ('reached', 'no_answer', 'busy', 'voicemail', 'call_back',
        'wrong_number', 'number_outdated', 'not_interested', 'do_not_call', 'other')),
      call_back_at timestamptz,
      answers jsonb not null default '[]',
      note text
    )`,
    `create index calls_assignment_person_idx on calls (assignment_id, person_id, ended_at)`,
    `create index calls_assignment_ended_idx on calls (assignment_id, ended_at)`,
    `create index calls_person_idx on calls (person_id) where person_id is not null`,
  ]);
}
