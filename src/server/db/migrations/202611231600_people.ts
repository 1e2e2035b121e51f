import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // The most specific unit whose catchment holds the postal code: the longest matching code or
    // prefix wins, then the deeper unit. NULL when no unit's catchment matches.
    `create function draht_route_postal_code(code text) returns uuid
      language sql stable as $$
        select o.id
        from org_units o
        cross join lateral unnest(o.postal_codes) as pc(prefix)
        where o.archived_at is null and code is not null and code like pc.prefix || '%'
        order by length(pc.prefix) desc,
                 (select max(t.depth) from org_tree t where t.descendant_id = o.id) desc,
                 o.id
        limit 1
      $$`,

    `create table people (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references org_units (id),
      home_org_id uuid references org_units (id),
      first_name text not null default '',
      last_name text not null default '',
      title text,
      gender text,
      pronouns text,
      birth_date date,
      street text,
      house_number text,
      postal_code text,
      city text,
      country text not null default 'DE',
      member_number text,
      membership_status text not null default 'interested'
        check (membership_status in ('member', 'supporter', 'interested', 'former')),
      joined_on date,
      left_on date,
      do_not_call boolean not null default false,
      do_not_email boolean not null default false,
      do_not_post boolean not null default false,
      source text not null default 'manual',
      source_detail text,
      custom_fields jsonb not null default '{}',
      search_text text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create unique index people_member_number_key on people (member_number) where member_number is not null`,
    `create index people_org_name_idx on people (org_id, last_name, first_name, id)`,
    `create index people_name_idx on people (last_name, first_name, id)`,
    `create index people_postal_code_idx on people (postal_code text_pattern_ops)`,
    `create index people_search_trgm_idx on people using gin (search_text gin_trgm_ops)`,
    `create index people_routed_idx on people (postal_code) where home_org_id is null`,

    `create table person_emails (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references people (id) on delete cascade,
      email text not null,
      is_primary boolean not null default false,
      status text not null default 'valid' check (status in ('valid', 'bounced', 'invalid'))
    )`,
    `create index person_emails_person_idx on person_emails (person_id)`,
    `create index person_emails_email_idx on person_emails (lower(email))`,

    `create table person_phones (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references people (id) on delete cascade,
      raw text not null,
      e164 text,
      type text not null default 'landline' check (type in ('mobile', 'landline')),
      status text not null default 'valid' check (status in ('valid', 'invalid', 'outdated')),
      is_primary boolean not null default false
    )`,
    `create index person_phones_person_idx on person_phones (person_id)`,
    `create index person_phones_e164_idx on person_phones (e164)`,

    `create table custom_fields (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references org_units (id) on delete cascade,
      key text not null,
      label text not null,
      type text not null check (type in ('text', 'number', 'date', 'boolean', 'single_choice', 'multiple_choice')),
      options jsonb not null default '[]',
      created_at timestamptz not null default now(),
      unique (org_id, key)
    )`,

    `create table tags (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references org_units (id) on delete cascade,
      name text not null,
      color text not null default 'gray',
      group_name text,
      created_at timestamptz not null default now()
    )`,
    `create unique index tags_org_name_key on tags (org_id, lower(name))`,

    `create table person_tags (
      person_id uuid not null references people (id) on delete cascade,
      tag_id uuid not null references tags (id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (person_id, tag_id)
    )`,
    `create index person_tags_tag_idx on person_tags (tag_id, person_id)`,

    `create table notes (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references people (id) on delete cascade,
      author_id uuid references users (id) on delete set null,
      text text not null,
      created_at timestamptz not null default now()
    )`,
    `create index notes_person_idx on notes (person_id, created_at desc)`,

    // Everything that happened with a person; every module adds to it through timeline.add().
    `create table timeline_events (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references people (id) on delete cascade,
      at timestamptz not null default now(),
      kind text not null,
      actor_user_id uuid references users (id) on delete set null,
      data jsonb not null default '{}'
    )`,
    `create index timeline_events_person_idx on timeline_events (person_id, at desc, id desc)`,

    // Change events for data-change mails (created / updated / departed / moved).
    `create table person_changes (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references people (id) on delete cascade,
      org_id uuid not null,
      kind text not null check (kind in ('created', 'updated', 'departed', 'moved')),
      fields text[] not null default '{}',
      source text not null,
      at timestamptz not null default now(),
      notified_at timestamptz
    )`,
    `create index person_changes_org_idx on person_changes (org_id, at desc)`,

    // Ids of people merged away point to the person they were merged into.
    `create table person_redirects (
      old_id uuid primary key,
      new_id uuid not null references people (id) on delete cascade
    )`,
  ]);
}
