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
    /** Folder where every test app writes its log (searched for leaked tokens at the end). */
    logDir: string;
  }
}

/**
 * A token as `newToken()` makes them (256 bits base64url, maybe prefixed), standing alone. No log
 * line of the whole run may hold one: secrets in URLs are redacted (http/log-redaction.ts).
 */
const TOKEN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/;

export function findLeakedTokens(logDir: string): string[] {
  const leaks: string[] = [];
  for (const file of fs.readdirSync(logDir)) {
    for (const line of fs.readFileSync(path.join(logDir, file), 'utf8').split('\n')) {
      if (TOKEN.test(line)) leaks.push(`${file}: ${line.slice(0, 300)}`);
    }
  }
  return leaks;
}

/** Migrates once per run; every test file then starts from a copy (see test/db.ts). */
export default async function setup(project: TestProject) {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'draht-test-logs-'));
  project.provide('logDir', logDir);
  const checkLogs = () => {
    const leaks = findLeakedTokens(logDir);
    fs.rmSync(logDir, { recursive: true, force: true });
    if (leaks.length) throw new Error(`Tokens leaked into the logs of this test run:\n${leaks.join('\n')}`);
  };
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
      checkLogs();
    };
  }
  const handle = await openPGlite(newPGlite());
  await prepareDatabase(handle);
  const dump = await handle.pglite!.dumpDataDir('none');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'draht-test-')), 'template.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide('dbTemplate', { kind: 'pglite', file });
  return () => {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    checkLogs();
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
