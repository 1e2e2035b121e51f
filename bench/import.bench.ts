import { sql } from 'kysely';
import { loadConfig } from '../src/server/config.ts';
import type { BaseCtx } from '../src/server/context.ts';
import type { DatabaseHandle } from '../src/server/db/database.ts';
import { analyzeImport } from '../src/server/imports/analyze-import.ts';
import * as repo from '../src/server/imports/imports.repo.ts';
import { dataRecords, processImport } from '../src/server/imports/run-import.ts';
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
  const lines = ['Mitgliederliste Landesverband, Export;;;;', '', HEADER];
  for (let i = 0; i < rows; i++) {
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
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1');
}

/**
 * The import of 100,000 rows in sync mode (upload into the database, check, run in batches of
 * 1,000), against loading the same rows into a bare table in the same run: COPY on PGlite
 * (/dev/blob), multi-row INSERT … SELECT unnest on PostgreSQL (node-pg has no COPY FROM STDIN
 * without pg-copy-streams, which is not a dependency).
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
  const tRun = performance.now();
  await processImport(ctx, id);
  const runMs = performance.now() - tRun;
  const final = (await repo.findImport(db, id))!;
  if (final.status !== 'done') throw new Error(`import ended ${final.status}: ${final.message}`);

  // Baseline: the same parsed rows into a bare table.
  await sql`create table bench_import_baseline (c1 text, c2 text, c3 text, c4 text, c5 text, c6 text, c7 text,
    c8 text, c9 text, c10 text, c11 text, c12 text, c13 text, c14 text, c15 text)`.execute(db);
  let baselineMs: number;
  let baselineKind: string;
  if (handle.pglite) {
    baselineKind = 'COPY FROM /dev/blob';
    const tb = performance.now();
    await handle.pglite.query(
      `copy bench_import_baseline from '/dev/blob' with (format csv, delimiter ';', header false, encoding 'LATIN1')`,
      [],
      { blob: new Blob([new Uint8Array(file.subarray(file.indexOf(HEADER) + HEADER.length + 2))]) },
    );
    baselineMs = performance.now() - tb;
  } else {
    baselineKind = 'multi-row INSERT (unnest, 1,000 rows per statement; no COPY FROM STDIN in node-pg)';
    const parsed: string[][] = [];
    for await (const rec of dataRecords(db, { ...stored, format: 'csv' }))
      if ('cells' in rec) parsed.push(rec.cells);
    const tb = performance.now();
    for (let i = 0; i < parsed.length; i += 1000) {
      const part = parsed.slice(i, i + 1000);
      const cols = Array.from({ length: 15 }, (_, c) => sql`${part.map((r) => r[c] ?? null)}::text[]`);
      await sql`insert into bench_import_baseline select * from unnest(${sql.join(cols)})`.execute(db);
    }
    baselineMs = performance.now() - tb;
  }
  const rate = (final.total / runMs) * 1000;
  const baseRate = (rows / baselineMs) * 1000;
  console.log(
    `bench import: ${Math.round(rate)} rows/s over ${final.total} rows, sync mode, ${final.created} created, ${final.failed} skipped (${(rate / baseRate).toFixed(2)} of baseline ${Math.round(baseRate)} rows/s, ${baselineKind})`,
  );
  console.log(
    `bench import-check: ${((tCheck - t0) / 1000).toFixed(2)} s upload + check of ${(file.length / 1e6).toFixed(1)} MB before the run`,
  );
  console.log(`bench import-rss: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB peak RSS`);

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
  const tRe = performance.now();
  await processImport(ctx, id);
  const reMs = performance.now() - tRe;
  const again = (await repo.findImport(db, id))!;
  console.log(
    `bench import-rerun: ${Math.round((again.total / reMs) * 1000)} rows/s, ${again.unchanged} unchanged, ${again.updated} updated (${(((again.total / reMs) * 1000) / baseRate).toFixed(2)} of baseline)`,
  );
}
