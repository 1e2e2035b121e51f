import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // The same key as 202612042300 without an expression (PostgreSQL 15: NULLS NOT DISTINCT), so the
    // merge of two people (people/merge.repo.ts: plain unique indexes) sees it and never trips on it.
    `drop index consents_person_channel_purpose_org_key`,
    `create unique index consents_person_channel_purpose_org_key on consents
      (person_id, channel, purpose, org_id) nulls not distinct`,
  ]);
}
