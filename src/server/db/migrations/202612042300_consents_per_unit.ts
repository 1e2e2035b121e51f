import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // A consent is given to a unit: a newsletter mailing of a unit reaches people with a granted
    // consent of that unit or one above it. So one row per person, channel, purpose AND unit — a
    // Kreis asking someone who already agreed to an Ortsverband's newsletter asks for its own.
    `drop index consents_person_channel_purpose_key`,
    `create unique index consents_person_channel_purpose_org_key on consents
      (person_id, channel, purpose, coalesce(org_id, '00000000-0000-0000-0000-000000000000'::uuid))`,
    `create index consent_events_consent_idx on consent_events (consent_id, at)`,
  ]);
}
