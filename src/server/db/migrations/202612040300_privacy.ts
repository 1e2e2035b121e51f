import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // Erasure keeps a person's call rows for the counts but drops what was personal in them: the
    // note, free-text answers and now also the follow-up reason (see calls/calls.privacy.ts).
    `create or replace function scrub_calls_of_erased_person() returns trigger language plpgsql as $$
    begin
      update calls set note = null, follow_up_reason = null,
        answers = coalesce((select jsonb_agg(a) from jsonb_array_elements(answers) a
                            where not coalesce((a ->> 'free')::boolean, false)), '[]'::jsonb)
      where person_id = old.id;
      return old;
    end $$`,

    // Rows naming a deleted person without a foreign key (privacy catalogue: erase by trigger).
    // Duplicate pairs go at once instead of at the next scan; a merged pair stays as history while
    // its other person exists (a merge deletes the merged-away person, the kept one remains).
    // import_seen is the working state of running imports (finished ones are cleared).
    `create function erase_person_traces() returns trigger language plpgsql as $$
    begin
      delete from duplicate_candidates c
      where (c.person_a = old.id or c.person_b = old.id)
        and not (c.status = 'merged' and exists (
          select 1 from people p
          where p.id = case when c.person_a = old.id then c.person_b else c.person_a end));
      delete from import_seen where person_id = old.id;
      return old;
    end $$`,
    `create trigger people_erase_traces before delete on people
      for each row execute function erase_person_traces()`,

    // The original cells of skipped rows, stored with their batch: the error CSV shows them after
    // the uploaded file is deleted (when the import finishes). Deleted by the retention clean-up.
    `create table import_error_rows (
      import_id uuid not null references imports (id) on delete cascade,
      row_number integer not null,
      cells text[] not null,
      primary key (import_id, row_number)
    )`,

    // The seen lists of finished imports are never read again.
    `delete from import_seen where import_id in (select id from imports where status in ('done', 'failed'))`,
  ]);
}
