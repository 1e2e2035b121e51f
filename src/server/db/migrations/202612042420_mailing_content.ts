import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // The laid-out mail (MJML → HTML, plain-text part, one-line subject) with its placeholders
    // still in it, frozen in the transaction that starts sending: the delivery worker only fills
    // in the placeholders and never loads the compose libraries. Null until the mailing starts.
    `alter table mailings
      add column compiled_subject text,
      add column compiled_html text,
      add column compiled_text text`,
  ]);
}
