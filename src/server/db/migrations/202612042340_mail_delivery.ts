import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // The delivery worker's rate limits count the claims of the last second (global and per
    // receiving domain, across all mailings and worker instances).
    `create index mailing_recipients_claimed_idx on mailing_recipients (claimed_at) include (domain)
      where claimed_at is not null`,
    // The sweeper finds rows a crashed worker left in 'sending'.
    `create index mailing_recipients_sending_idx on mailing_recipients (claimed_at) where status = 'sending'`,
  ]);
}
