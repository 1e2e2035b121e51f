import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, type OrgTree } from '../../../test/factories.ts';
import type { BaseCtx } from '../context.ts';
import { parseDate } from './convert-row.ts';
import { CsvReader } from './read-file.ts';
import { processImport, runPendingImports } from './run-import.ts';

let t: TestApp;
let orgs: OrgTree;
let organizer: Client;
let ctx: BaseCtx;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  organizer = await loginAs(t, 'organizer', orgs.landA);
  ctx = { db: t.db, config: t.config, mail: t.mail, jobs: t.jobs, log: t.app.log, ip: null };
});
afterAll(() => t.close());

/** A multipart/form-data body built by hand: fields first, then the file. */
function multipart(fields: Record<string, string>, file?: { name: string; content: Buffer | string }) {
  const boundary = `----draht${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

function upload(client: Client, orgId: string, name: string, content: Buffer | string) {
  return client.request({ method: 'POST', url: '/api/imports', ...multipart({ orgId }, { name, content }) });
}

const win1252 = (text: string) => Buffer.from(new TextEncoder().encode(text).length ? latin1(text) : []);
function latin1(text: string) {
  // Windows-1252 equals Latin-1 for the German letters used here.
  return Buffer.from(text, 'latin1');
}

/** Uploads, optionally remaps, starts and runs the import to the end; returns the final view. */
async function runImport(
  client: Client,
  orgId: string,
  content: Buffer | string,
  mode: 'create' | 'update' | 'sync',
  opts: { name?: string; mapping?: Record<string, string | null> } = {},
) {
  const up = await upload(client, orgId, opts.name ?? 'mitglieder.csv', content);
  expect(up.statusCode, up.body).toBe(201);
  const created = up.json();
  const mapped = await client.put(`/api/imports/${created.id}/mapping`, {
    mapping: opts.mapping ?? created.suggestedMapping,
    mode,
  });
  expect(mapped.statusCode, mapped.body).toBe(200);
  const analysis = mapped.json();
  const start = await client.post(
    `/api/imports/${created.id}/start`,
    mode === 'sync' ? { confirmDepartures: analysis.departures } : {},
  );
  expect(start.statusCode, start.body).toBe(202);
  await runPendingImports(ctx);
  const view = (await client.get(`/api/imports/${created.id}`)).json();
  return { id: created.id as string, created, analysis, view };
}

const changeCount = async () =>
  Number((await sql<{ n: number }>`select count(*)::int as n from person_changes`.execute(t.db)).rows[0].n);

const HEADER =
  'Mitglieds-Nr.;Anrede;Vorname;Nachname;Straße;Hausnr.;PLZ;Wohnort;E-Mail;Tel. privat;Handy;Geburtsdatum;Eintrittsdatum;Status';

describe('reading files', () => {
  it('reads a Windows-1252 semicolon CSV with umlauts, finds the header below a title and guesses the mapping', async () => {
    const csv = [
      'Mitgliederliste Landesverband;;;;',
      '',
      HEADER,
      'W1001;Frau;Jürgen;Müller;Hauptstraße;5a;01067;Dresden;j.mueller@example.org;0351 1234567;0170 1234567;31.12.1980;01.02.2010;Mitglied',
      'W1002;Herr;Björn;Weiß;Äußere Str.;1;04109;Leipzig;bjoern@example.org;;;1975-05-04;;aktiv',
    ].join('\r\n');
    const res = await upload(organizer, orgs.landA, 'export.csv', win1252(csv));
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      encoding: 'windows-1252',
      delimiter: ';',
      headerRow: 3,
      format: 'csv',
      total: 2,
    });
    expect(body.columns).toContain('Straße');
    expect(body.suggestedMapping).toMatchObject({
      'Mitglieds-Nr.': 'memberNumber',
      Anrede: 'gender',
      Vorname: 'firstName',
      Nachname: 'lastName',
      Straße: 'street',
      'Hausnr.': 'houseNumber',
      PLZ: 'postalCode',
      Wohnort: 'city',
      'E-Mail': 'email',
      'Tel. privat': 'phone',
      Handy: 'mobile',
      Geburtsdatum: 'birthDate',
      Eintrittsdatum: 'joinedOn',
      Status: 'membershipStatus',
    });
    expect(body.preview[0]).toMatchObject({
      rowNumber: 4,
      values: {
        firstName: 'Jürgen',
        lastName: 'Müller',
        street: 'Hauptstraße',
        birthDate: '1980-12-31',
        phone: '+493511234567',
        mobile: '+491701234567',
        membershipStatus: 'member',
        gender: 'female',
      },
      errors: [],
    });
    expect(body.preview[1].values).toMatchObject({ lastName: 'Weiß', street: 'Äußere Str.' });
    expect(body.errors).toEqual([]);
  });

  it('reads a UTF-8 CSV with BOM and commas', async () => {
    const csv = '\uFEFFVorname,Nachname,Email,PLZ\n"Anna","Schütz, geb. Berg",anna@example.org,01069\n';
    const res = await upload(organizer, orgs.landA, 'bom.csv', csv);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ encoding: 'utf-8-bom', delimiter: ',', headerRow: 1 });
    expect(body.columns).toEqual(['Vorname', 'Nachname', 'Email', 'PLZ']);
    expect(body.preview[0].values).toMatchObject({ lastName: 'Schütz, geb. Berg', postalCode: '01069' });
  });

  it('reads an XLSX file with date cells and numeric postal codes', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Mitglieder');
    ws.addRow(['Mitgliedsnummer', 'Vorname', 'Nachname', 'PLZ', 'Geburtsdatum', 'E-Mail']);
    ws.addRow([4711, 'Zoë', 'Ölmann', 1067, new Date(Date.UTC(1990, 2, 15)), 'zoe@example.org']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await upload(organizer, orgs.landA, 'export.xlsx', buf);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ format: 'xlsx', total: 1 });
    expect(body.preview[0].values).toMatchObject({
      memberNumber: '4711',
      firstName: 'Zoë',
      lastName: 'Ölmann',
      postalCode: '01067',
      birthDate: '1990-03-15',
    });
  });

  it('refuses files that are not CSV or XLSX, empty ones and ones without a header row', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]);
    for (const [name, content, reason] of [
      ['bild.png', png, 'not_csv_or_xlsx'],
      ['leer.csv', Buffer.alloc(0), 'file_empty'],
      ['zahlen.csv', '1;2;3\n4;5;6\n', 'no_header_row'],
    ] as const) {
      const res = await upload(organizer, orgs.landA, name, content);
      expect({ name, status: res.statusCode, code: res.json().error?.code }).toEqual({
        name,
        status: 400,
        code: 'validation_failed',
      });
      // A machine-readable reason the web translates.
      expect({ name, details: res.json().error.details }).toEqual({
        name,
        details: [{ path: 'body.file', message: expect.any(String), reason }],
      });
    }
    const rows = await t.db.selectFrom('imports').select('id').where('status', '=', 'uploading').execute();
    expect(rows).toEqual([]);
  });

  it('answers 413 for a file over the limit and keeps nothing of it', async () => {
    const small = await createTestApp({ env: { IMPORT_MAX_BYTES: '2000' } });
    try {
      const tree = await makeOrgTree(small.db);
      const admin = await loginAs(small, 'admin', tree.landA);
      const big = `${HEADER}\n${'1;Herr;Max;Muster;Weg;1;01067;Dresden;max@example.org;;;;;\n'.repeat(100)}`;
      const res = await upload(admin, tree.landA, 'gross.csv', big);
      expect(res.statusCode).toBe(413);
      expect(res.json().error.code).toBe('payload_too_large');
      const chunks = await small.db.selectFrom('importFileChunks').select('seq').execute();
      expect(chunks).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('reports a row with a broken quote and reads the rest', () => {
    const reader = new CsvReader(';');
    const records = reader.push('a;b\n1;"x"y\n2;"offen\n3;z\n', true);
    expect(records).toEqual([
      { rowNumber: 1, cells: ['a', 'b'] },
      { rowNumber: 2, broken: '1;"x"y' },
      { rowNumber: 3, broken: '2;"offen' },
      { rowNumber: 4, cells: ['3', 'z'] },
    ]);
    const tolerant = new CsvReader(';').push(`a;b\n1;"nie zu\n${'x;y\n'.repeat(30)}`, true);
    expect(tolerant[1]).toEqual({ rowNumber: 2, broken: '1;"nie zu' });
    expect(tolerant).toHaveLength(32);
    const multiline = new CsvReader(',').push('a,b\r\n"Zeile 1\r\nZeile 2",x\r\n3,4', true);
    expect(multiline).toEqual([
      { rowNumber: 1, cells: ['a', 'b'] },
      { rowNumber: 2, cells: ['Zeile 1\r\nZeile 2', 'x'] },
      { rowNumber: 4, cells: ['3', '4'] },
    ]);
  });

  it('parses German and ISO dates; two-digit years pivot on the current year', () => {
    const today = new Date('2026-06-01');
    expect(parseDate('31.12.1980', today)).toBe('1980-12-31');
    expect(parseDate('1.2.1980', today)).toBe('1980-02-01');
    expect(parseDate('31.12.80', today)).toBe('1980-12-31');
    expect(parseDate('01.01.19', today)).toBe('2019-01-01');
    expect(parseDate('1980-12-31', today)).toBe('1980-12-31');
    expect(parseDate('31.02.1980', today)).toBeNull();
    expect(parseDate('gestern', today)).toBeNull();
  });
});

describe('preview problems', () => {
  it('lists bad emails, impossible dates, phone text, missing names and repeated member numbers', async () => {
    const csv = [
      HEADER,
      'P1;;Anna;Alt;;;01067;;keine-mail;;;;;',
      'P2;;Bert;Bunt;;;01067;;;;;31.02.1980;;',
      'P3;;Cora;Cyan;;;01067;;;keine;;;;',
      'P4;;;;;;01067;;;;;;;',
      'P5;;Dora;Doppelt;;;01067;;;;;;;',
      'P5;;Dirk;Doppelt;;;01067;;;;;;;',
      'P6;;Emil;Echt;;;01067;;;;;;;Weltraum',
      'P7;;Fine;Fein;;;01067;;fine@example.org;;;;;',
    ].join('\n');
    const up = await upload(organizer, orgs.landA, 'fehler.csv', csv);
    const { id, suggestedMapping } = up.json();
    const res = await organizer.put(`/api/imports/${id}/mapping`, {
      mapping: suggestedMapping,
      mode: 'create',
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.total).toBe(8);
    expect(body.errorRows).toBe(7);
    expect(body.errors.map((e: { rowNumber: number; problem: string }) => [e.rowNumber, e.problem])).toEqual([
      [2, 'invalid_email'],
      [3, 'invalid_date'],
      [4, 'invalid_phone'],
      [5, 'missing_name'],
      [6, 'duplicate_member_number'],
      [7, 'duplicate_member_number'],
      [8, 'invalid_status'],
    ]);
    expect(body.errors[0]).toMatchObject({ column: 'E-Mail', value: 'keine-mail' });
    expect(body.preview[1].errors[0]).toMatchObject({ column: 'Geburtsdatum', value: '31.02.1980' });
    expect(body.preview[5].errors[0].problem).toBe('duplicate_member_number');

    const start = await organizer.post(`/api/imports/${id}/start`, {});
    expect(start.statusCode).toBe(202);
    await runPendingImports(ctx);
    const view = (await organizer.get(`/api/imports/${id}`)).json();
    expect(view).toMatchObject({ status: 'done', total: 8, processed: 8, created: 1, failed: 7 });
    const people = await t.db
      .selectFrom('people')
      .select('memberNumber')
      .where('memberNumber', 'like', 'P%')
      .execute();
    expect(people.map((p) => p.memberNumber)).toEqual(['P7']);

    const csvRes = await organizer.get(`/api/imports/${id}/errors.csv`);
    expect(csvRes.statusCode).toBe(200);
    expect(csvRes.headers['content-type']).toContain('text/csv');
    const lines = csvRes.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    // The problem columns, then the whole original row under the file's own header.
    expect(lines[0]).toBe(`Zeile;Spalte;Problem;Originalwert;${HEADER}`);
    expect(lines[1]).toBe(
      '2;E-Mail;Keine gültige E-Mail-Adresse;keine-mail;P1;;Anna;Alt;;;01067;;keine-mail;;;;;',
    );
    expect(lines).toContain(
      '4;Tel. privat;Keine gültige Telefonnummer;keine;P3;;Cora;Cyan;;;01067;;;keine;;;;',
    );
    expect(lines.filter((l) => l.includes('mehrfach'))).toEqual([
      '6;Mitglieds-Nr.;Mitgliedsnummer kommt in der Datei mehrfach vor;P5;P5;;Dora;Doppelt;;;01067;;;;;;;',
      '7;Mitglieds-Nr.;Mitgliedsnummer kommt in der Datei mehrfach vor;P5;P5;;Dirk;Doppelt;;;01067;;;;;;;',
    ]);
    expect(lines).toHaveLength(8);

    // Fixed in place and uploaded again, the file is read with the same mapping; the four problem
    // columns are left unmapped.
    const fixed = [lines[0], lines[1].replace(/keine-mail/g, 'anna@example.org')].join('\n');
    const again = (await upload(organizer, orgs.landA, 'fehler-korrigiert.csv', fixed)).json();
    expect(again.errorRows).toBe(0);
    for (const column of ['Zeile', 'Spalte', 'Problem', 'Originalwert'])
      expect(again.suggestedMapping[column]).toBeNull();
    expect(again.suggestedMapping['E-Mail']).toBe('email');
  });

  it('rejects a mapping naming unknown columns or a target twice', async () => {
    const up = await upload(organizer, orgs.landA, 'x.csv', 'Vorname;Nachname\nA;B\n');
    const { id } = up.json();
    const bad = await organizer.put(`/api/imports/${id}/mapping`, {
      mapping: { Vorname: 'lastName', Nachname: 'lastName', Gibtsnicht: 'city' },
      mode: 'update',
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe('running imports', () => {
  const file = (rows: string[]) => [HEADER, ...rows].join('\n');
  const base = [
    'K1;Herr;Karl;Kurz;Weg;1;01067;Dresden;karl@example.org;0351 111111;;01.01.1970;01.01.2000;Mitglied',
    'K2;Frau;Klara;Klein;Weg;2;01069;Dresden;klara@example.org;;0171 2222222;02.02.1972;;Mitglied',
    'K3;;Kai;Kante;Gasse;3;04109;Leipzig;kai@example.org;;;03.03.1973;;Mitglied',
    'K4;;Kim;Kolb;Platz;4;99084;Erfurt;kim@example.org;;;04.04.1974;;Mitglied',
  ];

  it('creates people with emails, phones, placement by postal code, timeline and change events', async () => {
    const before = await changeCount();
    const { view } = await runImport(organizer, orgs.kreisA1, file(base.slice(0, 3)), 'create');
    expect(view).toMatchObject({ status: 'done', total: 3, processed: 3, created: 3, updated: 0, failed: 0 });
    const karl = await t.db
      .selectFrom('people')
      .selectAll()
      .where('memberNumber', '=', 'K1')
      .executeTakeFirstOrThrow();
    expect(karl).toMatchObject({
      orgId: orgs.ortA1a,
      homeOrgId: null,
      firstName: 'Karl',
      birthDate: '1970-01-01',
      membershipStatus: 'member',
      source: 'import',
      gender: 'male',
    });
    // 04109 routes to Kreis A2, outside the import's subtree (Kreis A1): stays in Kreis A1.
    const kai = await t.db
      .selectFrom('people')
      .selectAll()
      .where('memberNumber', '=', 'K3')
      .executeTakeFirstOrThrow();
    expect(kai).toMatchObject({ orgId: orgs.kreisA1, homeOrgId: orgs.kreisA1 });
    const phones = await t.db
      .selectFrom('personPhones')
      .selectAll()
      .where('personId', '=', karl.id)
      .execute();
    expect(phones).toMatchObject([{ e164: '+49351111111', isPrimary: true }]);
    const res = await organizer.get(`/api/people/${karl.id}`);
    expect(res.json().emails).toMatchObject([{ email: 'karl@example.org', isPrimary: true }]);
    const timeline = (await organizer.get(`/api/people/${karl.id}/timeline`)).json();
    expect(timeline.items.map((e: { kind: string }) => e.kind)).toContain('person.created');
    expect((await changeCount()) - before).toBe(3);
    const auditRows = await t.db
      .selectFrom('auditLog')
      .select('action')
      .where('action', 'like', 'import.%')
      .execute();
    expect(auditRows.map((a) => a.action)).toEqual(
      expect.arrayContaining(['import.uploaded', 'import.started', 'import.finished']),
    );
  });

  it('update mode updates changed people, leaves the rest, and a re-run changes nothing', async () => {
    const changed = [
      base[0].replace('Weg;1;', 'Allee;7;'),
      base[1],
      base[2],
      'K5;;Kurt;Neu;Ring;5;01069;Dresden;kurt@example.org;;;05.05.1975;;Mitglied',
    ];
    const before = await changeCount();
    const first = await runImport(organizer, orgs.kreisA1, file(changed), 'update');
    expect(first.view).toMatchObject({ created: 1, updated: 1, unchanged: 2, failed: 0, departed: 0 });
    expect((await changeCount()) - before).toBe(2);
    const karl = await t.db
      .selectFrom('people')
      .selectAll()
      .where('memberNumber', '=', 'K1')
      .executeTakeFirstOrThrow();
    expect(karl.street).toBe('Allee');
    const events = await t.db
      .selectFrom('personChanges')
      .select(['kind', 'fields'])
      .where('personId', '=', karl.id)
      .where('kind', '=', 'updated')
      .execute();
    expect(events).toEqual([{ kind: 'updated', fields: ['street', 'houseNumber'] }]);

    const mid = await changeCount();
    const again = await runImport(organizer, orgs.kreisA1, file(changed), 'update');
    expect(again.view).toMatchObject({ created: 0, updated: 0, unchanged: 4, failed: 0 });
    expect(await changeCount()).toBe(mid);
  });

  it('matches by email, then by name and birth date, when the member number is new', async () => {
    const rows = [
      'K1;Herr;Karl;Kurz;Allee;7;01067;Dresden;karl@example.org;0351 111111;;01.01.1970;01.01.2000;Mitglied',
      ';Frau;Klara;Klein;Weg;2;01069;Dresden;KLARA@example.org;;0171 2222222;02.02.1972;;Mitglied',
      ';;Kai;Kante;Gasse;3;04109;Leipzig;;;;03.03.1973;;Mitglied',
    ];
    const res = await runImport(organizer, orgs.kreisA1, file(rows), 'update');
    expect(res.view).toMatchObject({ created: 0, updated: 0, unchanged: 3, failed: 0 });
    const k2 = await t.db.selectFrom('people').select('id').where('memberNumber', '=', 'K2').execute();
    expect(k2).toHaveLength(1);
  });

  it('sync asks for the departures first, then marks members missing from the file as former', async () => {
    const rows = [
      base[0].replace('Weg;1;', 'Allee;7;'),
      base[1],
      'K5;;Kurt;Neu;Ring;5;01069;Dresden;kurt@example.org;;;05.05.1975;;Mitglied',
    ];
    const up = await upload(organizer, orgs.kreisA1, 'sync.csv', file(rows));
    const { id, suggestedMapping } = up.json();
    const mapped = (
      await organizer.put(`/api/imports/${id}/mapping`, { mapping: suggestedMapping, mode: 'sync' })
    ).json();
    // K3 (missing from the file) and P7 (imported into Ort A1a by an earlier test).
    expect(mapped.departures).toBe(2);
    const refused = await organizer.post(`/api/imports/${id}/start`, {});
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.message).toContain('2 members');
    expect((await organizer.post(`/api/imports/${id}/start`, { confirmDepartures: 5 })).statusCode).toBe(422);
    await runPendingImports(ctx);
    expect((await organizer.get(`/api/imports/${id}`)).json().status).toBe('pending');

    const started = await organizer.post(`/api/imports/${id}/start`, { confirmDepartures: 2 });
    expect(started.statusCode).toBe(202);
    await runPendingImports(ctx);
    const view = (await organizer.get(`/api/imports/${id}`)).json();
    expect(view).toMatchObject({ status: 'done', departed: 2, unchanged: 3, created: 0, updated: 0 });
    const kai = await t.db
      .selectFrom('people')
      .selectAll()
      .where('memberNumber', '=', 'K3')
      .executeTakeFirstOrThrow();
    expect(kai.membershipStatus).toBe('former');
    expect(kai.leftOn).not.toBeNull();
    const departed = await t.db
      .selectFrom('personChanges')
      .select('kind')
      .where('personId', '=', kai.id)
      .execute();
    expect(departed.map((d) => d.kind)).toContain('departed');
    // K4 lives in Land B: never touched by an import into Kreis A1.
  });

  it('resumes after an interruption with the same result as an uninterrupted run', async () => {
    const rows = (prefix: string) =>
      Array.from({ length: 7 }, (_, i) =>
        i === 3
          ? `${prefix}${i};;;;;;;;;;;;;`
          : `${prefix}${i};;Vor${i};Nach${i};Weg;${i};01067;Dresden;${prefix.toLowerCase()}${i}@example.org;;;;;Mitglied`,
      );
    const prepare = async (orgId: string, prefix: string) => {
      const up = (await upload(organizer, orgId, 'resume.csv', file(rows(prefix)))).json();
      await organizer.put(`/api/imports/${up.id}/mapping`, { mapping: up.suggestedMapping, mode: 'update' });
      await organizer.post(`/api/imports/${up.id}/start`, {});
      return up.id as string;
    };
    const interrupted = await prepare(orgs.ortA1b, 'R');
    expect(await processImport(ctx, interrupted, { batchSize: 2, maxBatches: 1 })).toBe('paused');
    const mid = (await organizer.get(`/api/imports/${interrupted}`)).json();
    expect(mid).toMatchObject({ status: 'running', processed: 2, created: 2 });
    // "Restart": the job handler picks the import up again and continues after the committed batch.
    expect(await processImport(ctx, interrupted, { batchSize: 2 })).toBe('done');
    const whole = await prepare(orgs.ortA2a, 'S');
    await processImport(ctx, whole, { batchSize: 2 });
    const pick = (v: Record<string, unknown>) => ({
      status: v.status,
      total: v.total,
      processed: v.processed,
      created: v.created,
      updated: v.updated,
      unchanged: v.unchanged,
      failed: v.failed,
    });
    const a = pick((await organizer.get(`/api/imports/${interrupted}`)).json());
    const b = pick((await organizer.get(`/api/imports/${whole}`)).json());
    expect(a).toEqual(b);
    expect(a).toMatchObject({ status: 'done', total: 7, created: 6, failed: 1 });
    // A stale worker that still thinks it is at batch 1 changes nothing.
    const count = await t.db.selectFrom('people').select('id').where('memberNumber', 'like', 'R%').execute();
    expect(count).toHaveLength(6);
  });

  it('places people by the unit column within the subtree and reports unknown units', async () => {
    const csv = [
      'Mitgliedsnummer;Vorname;Nachname;PLZ;Ortsverband',
      'G1;Gina;Grün;99084;Ort A1b',
      'G2;Gabi;Gelb;01067;Ort B1a',
    ].join('\n');
    const { view } = await runImport(organizer, orgs.landA, csv, 'create');
    expect(view).toMatchObject({ created: 1, failed: 1 });
    const gina = await t.db
      .selectFrom('people')
      .selectAll()
      .where('memberNumber', '=', 'G1')
      .executeTakeFirstOrThrow();
    expect(gina).toMatchObject({ orgId: orgs.ortA1b, homeOrgId: orgs.ortA1b });
  });

  it('lists recent imports of the unit', async () => {
    const res = await organizer.get(`/api/imports?orgId=${orgs.landA}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items.length).toBeGreaterThan(3);
    expect(res.json().items[0]).toHaveProperty('rowsPerSecond');
  });
});

describe('scope', () => {
  it('a sibling unit gets 404, a caller of the unit 403', async () => {
    const up = (await upload(organizer, orgs.kreisA1, 'scope.csv', 'Vorname;Nachname\nA;B\n')).json();
    const sibling = await loginAs(t, 'admin', orgs.kreisA2);
    expect((await sibling.get(`/api/imports/${up.id}`)).statusCode).toBe(404);
    expect((await upload(sibling, orgs.kreisA1, 'x.csv', 'Vorname;Nachname\nA;B\n')).statusCode).toBe(404);
    const caller = await loginAs(t, 'caller', orgs.kreisA1);
    expect((await caller.get(`/api/imports/${up.id}`)).statusCode).toBe(403);
    expect((await upload(caller, orgs.kreisA1, 'x.csv', 'Vorname;Nachname\nA;B\n')).statusCode).toBe(403);
    expect((await sibling.get(`/api/imports?orgId=${orgs.kreisA1}`)).statusCode).toBe(404);
  });
});
