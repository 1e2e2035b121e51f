import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { CamelCasePlugin, Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './lock.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Db;
  kind: DatabaseKind;
  /** Set on the embedded database (the job queue talks to it directly). */
  pglite?: PGlite;
  /** Set on PostgreSQL (the job queue opens its own pool with it). */
  connectionString?: string;
  close(): Promise<void>;
}

// bigint (int8) arrives as a string from pg and as a number from PGlite: numbers everywhere.
const INT8 = 20;
const pgTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
};

export function newPGlite(dataDir?: string, loadDataDir?: Blob): PGlite {
  return new PGlite({
    dataDir,
    loadDataDir,
    extensions: { pg_trgm },
    parsers: { [INT8]: (v: string) => Number(v) },
  });
}

export function kyselyFor(dialect: PGliteDialect | PostgresDialect): Db {
  return new Kysely<Database>({ dialect, plugins: [new CamelCasePlugin()] });
}

export async function openPostgres(connectionString: string, max = 10): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString, max, types: pgTypes });
  pool.on('error', () => {
    /* a dropped idle connection is replaced on the next query */
  });
  const db = kyselyFor(new PostgresDialect({ pool }));
  return { db, kind: 'postgres', connectionString, close: () => db.destroy() };
}

export async function openPGlite(pglite: PGlite, release: () => void = () => {}): Promise<DatabaseHandle> {
  await pglite.waitReady;
  const db = kyselyFor(new PGliteDialect({ pglite }));
  return {
    db,
    kind: 'pglite',
    pglite,
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
      release();
    },
  };
}

/** DATABASE_URL → PostgreSQL; otherwise the embedded PGlite in DATA_DIR/pglite, locked to this process. */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string }): Promise<DatabaseHandle> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl);
  const release = lockDataDir(opts.dataDir);
  try {
    const dir = path.join(opts.dataDir, 'pglite');
    fs.mkdirSync(dir, { recursive: true });
    return await openPGlite(newPGlite(dir), release);
  } catch (err) {
    release();
    throw err;
  }
}
