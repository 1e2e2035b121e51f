import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { TestProject } from 'vitest/node';
import { newPGlite, openPGlite, openPostgres } from '../src/server/db/database.ts';
import { prepareDatabase } from '../src/server/runtime.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite: path of a dumped, migrated data dir. PostgreSQL: name of a migrated template database. */
    dbTemplate: { kind: 'pglite'; file: string } | { kind: 'postgres'; url: string; template: string };
  }
}

/** Migrates once per run; every test file then starts from a copy (see test/db.ts). */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `draht_tpl_${process.pid}_${Date.now()}`;
    const admin = await openPostgres(url, 1);
    await sql.raw(`create database ${template}`).execute(admin.db);
    const tpl = await openPostgres(withDatabase(url, template), 1);
    await prepareDatabase(tpl);
    await tpl.close();
    project.provide('dbTemplate', { kind: 'postgres', url, template });
    return async () => {
      await sql.raw(`drop database if exists ${template} with (force)`).execute(admin.db);
      await admin.close();
    };
  }
  const handle = await openPGlite(newPGlite());
  await prepareDatabase(handle);
  const dump = await handle.pglite!.dumpDataDir('none');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'draht-test-')), 'template.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide('dbTemplate', { kind: 'pglite', file });
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
