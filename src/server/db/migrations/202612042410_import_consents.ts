import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // A newsletter consent column in an import: the organizer's statement of the legal basis
    // ("Die Einwilligungen liegen schriftlich vor …"), the unit the consents are for, and how many
    // double opt-ins the run started.
    `alter table imports
       add column consent_legal_basis text check (char_length(consent_legal_basis) <= 500),
       add column consent_org_id uuid references org_units(id) on delete set null,
       add column consents_requested integer not null default 0`,
  ]);
}
