import { type Kysely, sql } from 'kysely';

// What migrations use; the migrator that runs them is db/migrator.ts (no import circle).

/** Runs SQL statements one by one (PGlite's extended protocol takes one statement per query). */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function runStatements(db: Kysely<any>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
