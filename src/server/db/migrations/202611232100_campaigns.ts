import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // A national (or state) phone campaign: script, question catalogue, target definition and
    // default rules; sub-units join as call centres and get call assignments generated.
    `create table campaigns (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references org_units (id) on delete cascade,
      title text not null,
      description text,
      starts_at timestamptz,
      ends_at timestamptz,
      script text not null default '',
      questions jsonb not null default '[]',
      target_filter jsonb not null,
      rules jsonb not null,
      visible_fields text[] not null,
      allow_opt_in boolean not null default false,
      status text not null default 'open' check (status in ('draft', 'open', 'paused', 'closed')),
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create index campaigns_org_idx on campaigns (org_id)`,
    // Every definition a question ever had (national or regional): answers given under an old
    // version stay readable after the question is edited or removed.
    `create table campaign_question_versions (
      campaign_id uuid not null references campaigns (id) on delete cascade,
      question_id text not null,
      version integer not null,
      call_centre_id uuid,
      definition jsonb not null,
      created_at timestamptz not null default now(),
      primary key (campaign_id, question_id, version)
    )`,
    `create table call_centres (
      id uuid primary key default gen_random_uuid(),
      campaign_id uuid not null references campaigns (id) on delete cascade,
      org_id uuid not null references org_units (id) on delete cascade,
      split_by text not null default 'none' check (split_by in ('none', 'district', 'local')),
      questions jsonb not null default '[]',
      script_addendum text not null default '',
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (campaign_id, org_id)
    )`,
    `alter table call_assignments add constraint call_assignments_campaign_fk
      foreign key (campaign_id) references campaigns (id) on delete cascade`,
    `alter table call_assignments add column call_centre_id uuid references call_centres (id) on delete cascade`,
    // A generated assignment targets the campaign's filter, not a saved list; a "rest" assignment
    // of a split call centre leaves out the subtrees its sibling assignments call.
    `alter table call_assignments alter column target_query_id drop not null`,
    `alter table call_assignments add column excluded_org_ids uuid[] not null default '{}'`,
    `alter table call_assignments add constraint call_assignments_target_check
      check (target_query_id is not null or campaign_id is not null)`,
    `create index call_assignments_call_centre_idx on call_assignments (call_centre_id)
      where call_centre_id is not null`,
    // Evaluation reads calls by assignment and time; erasure keeps the row but drops what was
    // personal in it (the note, free-text answers are marked "free" when recorded).
    `create index calls_ended_idx on calls (ended_at)`,
    `create function scrub_calls_of_erased_person() returns trigger language plpgsql as $$
    begin
      update calls set note = null,
        answers = coalesce((select jsonb_agg(a) from jsonb_array_elements(answers) a
                            where not coalesce((a ->> 'free')::boolean, false)), '[]'::jsonb)
      where person_id = old.id;
      return old;
    end $$`,
    `create trigger people_scrub_calls before delete on people
      for each row execute function scrub_calls_of_erased_person()`,
  ]);
}
