import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // A goal list: people in it count as done and leave the queue (default: reached here).
    `alter table call_assignments add column goal_query_id uuid references queries (id) on delete restrict`,
    // Assignments of one campaign (the campaigns table lands with the campaign module) skip people
    // reached by another open assignment of the same campaign within the last N days (0 = off).
    `alter table call_assignments add column campaign_id uuid`,
    `alter table call_assignments add column reached_elsewhere_days integer not null default 30
      check (reached_elsewhere_days between 0 and 3650)`,
    `create index call_assignments_campaign_idx on call_assignments (campaign_id) where campaign_id is not null`,
    // Events offered for invitation (ids of the events module), and whether callers see the notes
    // of earlier attempts in this assignment.
    `alter table call_assignments add column event_ids uuid[] not null default '{}'`,
    `alter table call_assignments add column show_previous_notes boolean not null default false`,

    // What a reached call produced besides answers: event invitations accepted, newsletter
    // interest, and a follow-up for the organizers (open until resolved).
    `alter table calls add column event_ids uuid[] not null default '{}'`,
    `alter table calls add column newsletter boolean not null default false`,
    `alter table calls add column follow_up_reason text`,
    `alter table calls add column follow_up_resolved_at timestamptz`,
    `alter table calls add column follow_up_resolved_by uuid references users (id) on delete set null`,
    `create index calls_open_follow_ups_idx on calls (assignment_id, ended_at)
      where follow_up_reason is not null and follow_up_resolved_at is null`,

    // Invitation links: a new volunteer registers as a caller of exactly this assignment.
    `create table call_invite_links (
      id uuid primary key default gen_random_uuid(),
      assignment_id uuid not null references call_assignments (id) on delete cascade,
      token_hash text not null unique,
      expires_at timestamptz not null,
      max_uses integer check (max_uses between 1 and 10000),
      uses integer not null default 0,
      revoked_at timestamptz,
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now()
    )`,
    `create index call_invite_links_assignment_idx on call_invite_links (assignment_id)`,

    // Consent per person and channel (newsletter now; the mailer adds double opt-in confirmation).
    // 'pending' = interest recorded, confirmation outstanding.
    `create table consents (
      person_id uuid not null references people (id) on delete cascade,
      channel text not null check (channel in ('newsletter')),
      status text not null check (status in ('pending', 'granted', 'revoked')),
      source text not null check (source in ('call', 'form', 'import', 'manual')),
      source_ref text,
      recorded_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      confirmed_at timestamptz,
      primary key (person_id, channel)
    )`,
  ]);
}
