import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

const UUID_RE = `'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'`;

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // A 'moved' change row carries the new unit in org_id and (by the writers' convention) the old
    // one in fields[1]; the old unit gets a column of its own so its subtree can find the move.
    `alter table person_changes add column from_org_id uuid`,
    `update person_changes set from_org_id = fields[1]::uuid
      where kind = 'moved' and fields[1] ~ ${UUID_RE}`,
    // Writers that only follow the convention (import batches, merges) get the column filled.
    `create function draht_person_change_from_org() returns trigger language plpgsql as $$
    begin
      if new.kind = 'moved' and new.from_org_id is null and new.fields[1] ~ ${UUID_RE} then
        new.from_org_id := new.fields[1]::uuid;
      end if;
      return new;
    end $$`,
    `create trigger person_changes_from_org before insert on person_changes
      for each row execute function draht_person_change_from_org()`,
    `create index person_changes_from_org_idx on person_changes (from_org_id, at desc)
      where from_org_id is not null`,

    // Per unit: how often its responsible persons get the digest, and what was reported already
    // (everything up to last_digest_until). No row = daily, to the unit's admins, nothing sent yet.
    `create table change_digests (
      org_id uuid primary key references org_units (id) on delete cascade,
      frequency text not null default 'daily' check (frequency in ('off', 'immediate', 'daily', 'weekly')),
      last_digest_until timestamptz,
      last_sent_at timestamptz,
      updated_by uuid references users (id) on delete set null,
      updated_at timestamptz not null default now()
    )`,
    // The chosen responsible persons of a unit (none chosen: its admins).
    `create table change_digest_recipients (
      org_id uuid not null references org_units (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      primary key (org_id, user_id)
    )`,
    `create index change_digest_recipients_user_idx on change_digest_recipients (user_id)`,
  ]);
}
