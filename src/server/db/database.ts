import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import {
  CamelCasePlugin,
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  PGliteDialect,
  PostgresDialect,
} from 'kysely';
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

// Same values from both drivers: bigint (int8) as a number, date as its 'YYYY-MM-DD' text
// (a calendar date has no time zone; turning it into a Date would shift it).
const INT8 = 20;
const DATE = 1082;
const parsers: Record<number, (v: string) => unknown> = { [INT8]: (v) => Number(v), [DATE]: (v) => v };
const pgTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    parsers[oid] ?? pg.types.getTypeParser(oid, format as 'text'),
};

export function newPGlite(dataDir?: string, loadDataDir?: Blob): PGlite {
  return new PGlite({
    dataDir,
    loadDataDir,
    extensions: { pg_trgm },
    parsers,
  });
}

/**
 * Session settings of every connection: typo-tolerant search ("Schnieder" finds "Schneider")
 * needs a lower word-similarity threshold than pg_trgm's default 0.6.
 */
async function onCreateConnection(connection: DatabaseConnection) {
  await connection.executeQuery(CompiledQuery.raw('set pg_trgm.word_similarity_threshold = 0.4'));
}

/**
 * PostgreSQL also switches JIT compilation off: our reporting statements have estimated costs
 * above its thresholds but run in tens of milliseconds, and compiling them took 190–600 ms each
 * (measured by `npm run bench -- evaluation`).
 */
async function onCreatePostgresConnection(connection: DatabaseConnection) {
  await onCreateConnection(connection);
  await connection.executeQuery(CompiledQuery.raw('set jit = off'));
}

export function kyselyFor(dialect: PGliteDialect | PostgresDialect): Db {
  return new Kysely<Database>({ dialect, plugins: [new CamelCasePlugin()] });
}

export async function openPostgres(connectionString: string, max = 10): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString, max, types: pgTypes });
  pool.on('error', () => {
    /* a dropped idle connection is replaced on the next query */
  });
  const db = kyselyFor(new PostgresDialect({ pool, onCreateConnection: onCreatePostgresConnection }));
  return { db, kind: 'postgres', connectionString, close: () => db.destroy() };
}

export async function openPGlite(pglite: PGlite, release: () => void = () => {}): Promise<DatabaseHandle> {
  await pglite.waitReady;
  const db = kyselyFor(new PGliteDialect({ pglite, onCreateConnection }));
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
export async function openDatabase(opts: {
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
}): Promise<DatabaseHandle> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize);
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
