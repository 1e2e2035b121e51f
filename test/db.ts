import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { type DatabaseHandle, newPGlite, openPGlite, openPostgres } from '../src/server/db/database.ts';
import { withDatabase } from './global-setup.ts';

/**
 * A fresh, migrated database for one test file: PGlite loaded from the migrated dump, or on
 * PostgreSQL (DATABASE_URL set) a new database created from the migrated template.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const tpl = inject('dbTemplate');
  if (tpl.kind === 'pglite') {
    const blob = new Blob([fs.readFileSync(tpl.file)]);
    return openPGlite(newPGlite(undefined, blob));
  }
  const name = `draht_test_${randomBytes(6).toString('hex')}`;
  const admin = await openPostgres(tpl.url, 1);
  await sql.raw(`create database ${name} template ${tpl.template}`).execute(admin.db);
  const handle = await openPostgres(withDatabase(tpl.url, name), 5);
  return {
    ...handle,
    async close() {
      await handle.close();
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
      await admin.close();
    },
  };
}
