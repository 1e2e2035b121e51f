import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '../src/server/config.ts';
import type { BaseCtx } from '../src/server/context.ts';
import type { DatabaseHandle } from '../src/server/db/database.ts';
import { analyzeImport } from '../src/server/imports/analyze-import.ts';
import * as repo from '../src/server/imports/imports.repo.ts';
import { dataRecords, processImport } from '../src/server/imports/run-import.ts';
import { createAppJobs } from '../src/server/job-modules.ts';
import { createMailService } from '../src/server/mail/mail.service.ts';
import { insertOrg } from '../src/server/orgs/orgs.repo.ts';

const FIRST = [
  'Jürgen',
  'Björn',
  'Käthe',
  'Ute',
  'Sören',
  'Günter',
  'Anna',
  'Max',
  'Lea',
  'Jörg',
  'Zoë',
  'Maik',
];
const LAST = ['Müller', 'Weiß', 'Schäfer', 'Groß', 'Köhler', 'Schmidt', 'Böhm', 'Krüger', 'Öztürk', 'Voß'];
const HEADER =
  'Mitglieds-Nr.;Anrede;Titel;Vorname;Nachname;Straße;Hausnr.;PLZ;Wohnort;E-Mail;Tel. privat;Handy;Geburtsdatum;Eintrittsdatum;Status';

/** A messy member-system export: Windows-1252, semicolons, title lines, ~1 % bad rows. */
function generateCsv(rows: number): Buffer {
  // Built in pieces of 1,000 lines, so no array of every line and no 12 MB string sits in memory.
  const parts: Buffer[] = [];
  let lines = ['Mitgliederliste Landesverband, Export;;;;', '', HEADER];
  const flush = () => {
    parts.push(Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1'));
    lines = [];
  };
  for (let i = 0; i < rows; i++) {
    if (lines.length >= 1000) flush();
    const pc = `0${1000 + (i % 9000)}`.slice(-5);
    const bad = i % 100 === 37;
    const birth = bad && i % 300 === 37 ? '31.02.1980' : `${1 + (i % 28)}.${1 + (i % 12)}.${1940 + (i % 60)}`;
    const email = bad && i % 300 === 137 ? 'keine' : `m${i}@example.org`;
    const phone = bad && i % 300 === 237 ? 'keine' : `0351 ${100000 + i}`;
    lines.push(
      [
        `M${100000 + i}`,
        i % 2 ? 'Herr' : 'Frau',
        i % 17 === 0 ? 'Dr.' : '',
        FIRST[i % FIRST.length],
        LAST[(i * 7) % LAST.length],
        i % 5 ? 'Hauptstraße' : '"Am Markt; Hinterhaus"',
        String(1 + (i % 200)),
        pc,
        i % 3 ? 'Dresden' : 'Görlitz',
        email,
        phone,
        i % 4 ? '' : `0170 ${1000000 + i}`,
        birth,
        '01.01.2010',
        'Mitglied',
      ].join(';'),
    );
  }
  flush();
  return Buffer.concat(parts);
}

/**
 * The import of 100,000 rows in sync mode (upload into the database, check, run in batches of
 * 5,000), against loading the same rows into a bare table in the same run: COPY on PGlite
 * (/dev/blob), COPY FROM STDIN (pg-copy-streams) on PostgreSQL, plus on PostgreSQL the older
 * baseline of multi-row INSERT … SELECT unnest (1,000 rows per statement, records streamed from the
 * stored file). Peak RSS is sampled during the import run itself.
 */
export async function benchImport(handle: DatabaseHandle, rows = Number(process.env.IMPORT_ROWS ?? 100_000)) {
  const { db } = handle;
  const bund = await insertOrg(db, {
    parentId: null,
    name: 'Bund',
    kind: 'federal',
    slug: 'b',
    postalCodes: [],
  });
  const land = await insertOrg(db, {
    parentId: bund.id,
    name: 'Land',
    kind: 'state',
    slug: 'l',
    postalCodes: ['0'],
  });
  for (let k = 0; k < 10; k++) {
    await insertOrg(db, {
      parentId: land.id,
      name: `Kreis ${k}`,
      kind: 'district',
      slug: `k${k}`,
      postalCodes: [`0${k}`],
    });
  }
  const file = generateCsv(rows);
  const config = loadConfig({ LOG_LEVEL: 'silent', DRAHT_DEMO: '0' });
  const ctx: BaseCtx = {
    db,
    config,
    mail: createMailService(config),
    jobs: createAppJobs(),
    log: { error: () => {} } as unknown as BaseCtx['log'],
    ip: null,
  };

  const t0 = performance.now();
  const { id } = await repo.insertImport(db, {
    orgId: land.id,
    fileName: 'bench.csv',
    suggestedMapping: '{}',
    mapping: '{}',
    format: 'csv',
    encoding: 'windows-1252',
    delimiter: ';',
    headerRow: 1,
    columns: HEADER.split(';'),
    status: 'pending',
  });
  for (let off = 0, seq = 0; off < file.length; off += 1024 * 1024, seq++) {
    await repo.insertChunk(db, id, seq, file.subarray(off, off + 1024 * 1024));
  }
  const { suggestMapping } = await import('../src/server/imports/convert-row.ts');
  const mapping = suggestMapping(HEADER.split(';'), [], []);
  const stored = {
    id,
    orgId: land.id,
    columns: HEADER.split(';'),
    format: 'csv' as const,
    encoding: 'windows-1252',
    delimiter: ';',
    headerRow: 1,
  };
  const { analysis, duplicates } = await analyzeImport(db, stored, mapping, 'sync');
  const tCheck = performance.now();
  await repo.updateImport(db, id, {
    mapping: JSON.stringify(mapping),
    mode: 'sync',
    total: analysis.total,
    duplicateMemberNumbers: duplicates,
    departures: analysis.departures,
    departuresConfirmed: analysis.departures,
    status: 'running',
    startedAt: new Date(),
  });
  const rssBefore = process.memoryUsage.rss();
  const sampler = rssSampler();
  const tRun = performance.now();
  await processImport(ctx, id);
  const runMs = performance.now() - tRun;
  const runPeakRss = sampler.stop();
  const final = (await repo.findImport(db, id))!;
  if (final.status !== 'done') throw new Error(`import ended ${final.status}: ${final.message}`);

  // Baseline: the same parsed rows into a bare table.
  await sql`create table bench_import_baseline (c1 text, c2 text, c3 text, c4 text, c5 text, c6 text, c7 text,
    c8 text, c9 text, c10 text, c11 text, c12 text, c13 text, c14 text, c15 text)`.execute(db);
  const data = file.subarray(file.indexOf(Buffer.from(HEADER, 'latin1')) + HEADER.length + 2);
  const copySql = `copy bench_import_baseline from ${handle.pglite ? "'/dev/blob'" : 'stdin'} with (format csv, delimiter ';', header false, encoding 'LATIN1')`;
  let baselineMs: number;
  let baselineKind: string;
  let insertBaselineMs: number | null = null;
  if (handle.pglite) {
    baselineKind = 'COPY FROM /dev/blob';
    const tb = performance.now();
    await handle.pglite.query(copySql, [], { blob: new Blob([new Uint8Array(data)]) });
    baselineMs = performance.now() - tb;
  } else {
    baselineKind = 'COPY FROM STDIN';
    const client = new pg.Client({ connectionString: handle.connectionString });
    await client.connect();
    try {
      const tb = performance.now();
      await pipeline(Readable.from([data]), client.query(copyFrom(copySql)));
      baselineMs = performance.now() - tb;
    } finally {
      await client.end();
    }
    // The older baseline: multi-row INSERT of the parsed records, streamed (1,000 per statement).
    await sql`truncate bench_import_baseline`.execute(db);
    const ti = performance.now();
    let part: string[][] = [];
    const flush = async () => {
      const cols = Array.from({ length: 15 }, (_, c) => sql`${part.map((r) => r[c] ?? null)}::text[]`);
      await sql`insert into bench_import_baseline select * from unnest(${sql.join(cols)})`.execute(db);
      part = [];
    };
    for await (const rec of dataRecords(db, { ...stored, format: 'csv' })) {
      if (!('cells' in rec)) continue;
      part.push(rec.cells);
      if (part.length === 1000) await flush();
    }
    if (part.length) await flush();
    insertBaselineMs = performance.now() - ti;
  }
  const rate = (final.total / runMs) * 1000;
  const baseRate = (rows / baselineMs) * 1000;
  console.log(
    `bench import: ${Math.round(rate)} rows/s over ${final.total} rows, sync mode, ${final.created} created, ${final.failed} skipped (${(rate / baseRate).toFixed(2)} of baseline ${Math.round(baseRate)} rows/s, ${baselineKind})`,
  );
  console.log(
    `bench import-check: ${((tCheck - t0) / 1000).toFixed(2)} s upload + check of ${(file.length / 1e6).toFixed(1)} MB before the run`,
  );
  if (insertBaselineMs !== null) {
    const insRate = (rows / insertBaselineMs) * 1000;
    console.log(
      `bench import-vs-insert: ${(rate / insRate).toFixed(2)} of multi-row INSERT baseline ${Math.round(insRate)} rows/s (unnest, 1,000 rows per statement)`,
    );
  }
  const mb = (b: number) => Math.round(b / 1024 / 1024);
  console.log(
    `bench import-rss: ${mb(runPeakRss)} MB peak RSS during the run (${mb(rssBefore)} MB before it; process peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB incl. generating the file and the check)`,
  );

  // Re-run of the same file: everything unchanged.
  await repo.updateImport(db, id, {
    status: 'running',
    nextRow: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
  });
  await sql`delete from import_seen where import_id = ${id}`.execute(db);
  await sql`delete from import_errors where import_id = ${id}`.execute(db);
  const reSampler = rssSampler();
  const tRe = performance.now();
  await processImport(ctx, id);
  const reMs = performance.now() - tRe;
  const rePeakRss = reSampler.stop();
  const again = (await repo.findImport(db, id))!;
  console.log(
    `bench import-rerun: ${Math.round((again.total / reMs) * 1000)} rows/s, ${again.unchanged} unchanged, ${again.updated} updated (${(((again.total / reMs) * 1000) / baseRate).toFixed(2)} of baseline), ${Math.round(rePeakRss / 1024 / 1024)} MB peak RSS`,
  );
}

/** Samples the resident set size every 20 ms until stopped; returns the highest value (bytes). */
function rssSampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}
