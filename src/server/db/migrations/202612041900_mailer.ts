import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // Instance-wide keys made once (e.g. the salt of the suppression hashes), shared by all instances.
    `create table instance_keys (
      name text primary key,
      value text not null,
      created_at timestamptz not null default now()
    )`,

    // Sender addresses the instance admin allows (the From of mailings; units choose among them).
    `create table mail_sender_addresses (
      id uuid primary key default gen_random_uuid(),
      address text not null unique,
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now()
    )`,

    // Per unit: how its mailings go out. The footer (imprint, postal address) is required before the
    // first mailing. Sub-units without settings of their own use the nearest ancestor's.
    `create table org_mail_settings (
      org_id uuid primary key references org_units (id) on delete cascade,
      sender_name text not null,
      sender_address_id uuid references mail_sender_addresses (id) on delete set null,
      reply_to text,
      footer text not null,
      updated_by uuid references users (id) on delete set null,
      updated_at timestamptz not null default now()
    )`,

    // Reusable mail bodies of a unit.
    `create table mail_templates (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references org_units (id) on delete cascade,
      name text not null,
      subject text not null default '',
      html text not null default '',
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create index mail_templates_org_idx on mail_templates (org_id)`,

    // A mailing: written by a unit, to a saved list, for a purpose. consent_request mailings carry a
    // personal confirmation link per recipient (Einwilligungsanfragen).
    `create table mailings (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references org_units (id) on delete cascade,
      subject text not null,
      html text not null default '',
      purpose text not null check (purpose in ('member_info', 'newsletter', 'consent_request')),
      query_id uuid references queries (id) on delete set null,
      sender_address_id uuid references mail_sender_addresses (id) on delete set null,
      status text not null default 'draft'
        check (status in ('draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled')),
      scheduled_at timestamptz,
      started_at timestamptz,
      finished_at timestamptz,
      paused_reason text,
      total integer,
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create index mailings_org_idx on mailings (org_id, created_at desc, id desc)`,
    `create index mailings_due_idx on mailings (status, scheduled_at)`,

    // One row per (mailing, address), written when sending starts (the frozen recipient list), with
    // its fixed Message-ID, before anything is sent. The worker claims rows with SKIP LOCKED.
    `create table mailing_recipients (
      id uuid primary key default gen_random_uuid(),
      mailing_id uuid not null references mailings (id) on delete cascade,
      person_id uuid references people (id) on delete cascade,
      org_id uuid,
      email text not null,
      domain text not null,
      message_id text not null unique,
      status text not null default 'queued'
        check (status in ('queued', 'sending', 'sent', 'failed', 'bounced', 'cancelled')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      claimed_at timestamptz,
      sent_at timestamptz,
      error text,
      unique (mailing_id, email)
    )`,
    `create index mailing_recipients_queue_idx on mailing_recipients (mailing_id, next_attempt_at)
      where status = 'queued'`,
    `create index mailing_recipients_person_idx on mailing_recipients (person_id)`,
    `alter table mailing_recipients set (autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_scale_factor = 0.05)`,

    // Addresses that must not be mailed (again): unsubscribed (per unit and purpose, or everything:
    // org_id / purpose null), bounced, erased. Only a salted SHA-256 of the lower-cased address, so
    // the list survives erasure and re-imports without keeping the address.
    `create table mail_suppressions (
      id uuid primary key default gen_random_uuid(),
      address_hash text not null,
      org_id uuid references org_units (id) on delete cascade,
      purpose text,
      reason text not null check (reason in ('unsubscribed', 'bounced', 'erased', 'complaint')),
      created_at timestamptz not null default now()
    )`,
    `create unique index mail_suppressions_key on mail_suppressions
      (address_hash, reason, coalesce(org_id, '00000000-0000-0000-0000-000000000000'::uuid), coalesce(purpose, ''))`,

    // The consent ledger: every change of a consent, with its source, text version and hash and
    // the double opt-in proof (confirmation time, confirmation mail's Message-ID, hashed IP).
    `alter table consents drop constraint consents_source_check`,
    `alter table consents add constraint consents_source_check
      check (source in ('call', 'form', 'import', 'manual', 'event', 'consent_request', 'api'))`,
    `alter table consents add column text_hash text`,
    `create table consent_events (
      id uuid primary key default gen_random_uuid(),
      consent_id uuid not null references consents (id) on delete cascade,
      person_id uuid not null references people (id) on delete cascade,
      at timestamptz not null default now(),
      status text not null check (status in ('pending', 'granted', 'revoked')),
      source text not null,
      source_ref text,
      text_version text,
      text_hash text,
      proof jsonb not null default '{}',
      actor_user_id uuid references users (id) on delete set null
    )`,
    `create index consent_events_person_idx on consent_events (person_id, at desc)`,
    `create index consents_org_status_idx on consents (org_id, channel, status)`,
  ]);
}
