import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // The consent record the mailer and forms need: what for (purpose), to which unit, under which
    // text, granted / revoked when, and the proof (who, where, how: IP, form, mail confirmation).
    `alter table consents add column id uuid not null default gen_random_uuid()`,
    `alter table consents add column purpose text not null default 'newsletter'`,
    `alter table consents add column org_id uuid references org_units (id) on delete set null`,
    `alter table consents add column text_version text`,
    `alter table consents add column proof jsonb not null default '{}'`,
    `alter table consents add column granted_at timestamptz`,
    `alter table consents add column revoked_at timestamptz`,
    `update consents set granted_at = confirmed_at where status = 'granted'`,
    `alter table consents drop constraint consents_pkey`,
    `alter table consents add primary key (id)`,
    `create unique index consents_person_channel_purpose_key on consents (person_id, channel, purpose)`,
    `alter table consents drop constraint consents_channel_check`,
    `alter table consents add constraint consents_channel_check
      check (channel in ('newsletter', 'email', 'phone', 'sms', 'post'))`,
  ]);
}
