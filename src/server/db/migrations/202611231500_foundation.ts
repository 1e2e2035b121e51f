import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    `create extension if not exists pg_trgm`,
    `create table users (
      id uuid primary key default gen_random_uuid(),
      email text not null,
      name text not null default '',
      password_hash text,
      locale text not null default 'de' check (locale in ('de', 'en')),
      is_superadmin boolean not null default false,
      totp_secret text,
      totp_pending_secret text,
      totp_enabled_at timestamptz,
      disabled_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create unique index users_email_key on users (lower(email))`,

    `create table org_units (
      id uuid primary key default gen_random_uuid(),
      parent_id uuid references org_units (id),
      kind text not null check (kind in ('federal', 'state', 'district', 'local', 'group')),
      name text not null check (length(name) between 1 and 200),
      slug text not null unique,
      postal_codes text[] not null default '{}',
      time_zone text not null default 'Europe/Berlin',
      archived_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create index org_units_parent_idx on org_units (parent_id)`,
    // Closure table: one row per (ancestor, descendant) pair including (x, x, 0).
    `create table org_tree (
      ancestor_id uuid not null references org_units (id) on delete cascade,
      descendant_id uuid not null references org_units (id) on delete cascade,
      depth int not null check (depth >= 0),
      primary key (ancestor_id, descendant_id)
    )`,
    `create index org_tree_descendant_idx on org_tree (descendant_id, depth)`,

    `create table memberships (
      user_id uuid not null references users (id) on delete cascade,
      org_id uuid not null references org_units (id) on delete cascade,
      role text not null check (role in ('admin', 'organizer', 'caller')),
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      primary key (user_id, org_id)
    )`,
    `create index memberships_org_idx on memberships (org_id)`,

    `create table sessions (
      id text primary key,
      user_id uuid not null references users (id) on delete cascade,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      user_agent text
    )`,
    `create index sessions_user_idx on sessions (user_id)`,

    `create table api_tokens (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      name text not null,
      token_hash text not null unique,
      last_used_at timestamptz,
      created_at timestamptz not null default now()
    )`,
    `create index api_tokens_user_idx on api_tokens (user_id)`,

    `create table totp_recovery_codes (
      user_id uuid not null references users (id) on delete cascade,
      code_hash text not null,
      used_at timestamptz,
      primary key (user_id, code_hash)
    )`,

    `create table login_failures (
      id bigint generated always as identity primary key,
      key text not null,
      at timestamptz not null default now()
    )`,
    `create index login_failures_key_idx on login_failures (key, at)`,

    `create table password_resets (
      token_hash text primary key,
      user_id uuid not null references users (id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    )`,

    `create table invitations (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references org_units (id) on delete cascade,
      email text not null,
      role text not null check (role in ('admin', 'organizer', 'caller')),
      token_hash text not null unique,
      invited_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      accepted_at timestamptz,
      accepted_user_id uuid references users (id) on delete set null,
      revoked_at timestamptz
    )`,
    `create index invitations_org_idx on invitations (org_id, created_at desc)`,

    `create table instruction_versions (
      version int primary key,
      text text not null,
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now()
    )`,
    `create table instruction_confirmations (
      user_id uuid not null references users (id) on delete cascade,
      version int not null references instruction_versions (version),
      confirmed_at timestamptz not null default now(),
      primary key (user_id, version)
    )`,

    // Who did what to whom. No foreign keys: entries outlive the users and units they name.
    `create table audit_log (
      id uuid primary key default gen_random_uuid(),
      at timestamptz not null default now(),
      actor_user_id uuid,
      org_id uuid,
      action text not null,
      target_type text,
      target_id text,
      details jsonb not null default '{}',
      ip text
    )`,
    `create index audit_log_org_at_idx on audit_log (org_id, at desc, id desc)`,
    `create index audit_log_actor_at_idx on audit_log (actor_user_id, at desc)`,
    `create index audit_log_action_at_idx on audit_log (action, at desc)`,

    `create table mail_messages (
      id uuid primary key default gen_random_uuid(),
      created_at timestamptz not null default now(),
      to_address text not null,
      subject text not null,
      text_body text not null,
      html_body text,
      template text not null,
      status text not null check (status in ('queued', 'sent', 'failed', 'outbox')),
      attempts int not null default 0,
      sent_at timestamptz,
      error text
    )`,
    `create index mail_messages_created_idx on mail_messages (created_at desc, id desc)`,
  ]);
}
