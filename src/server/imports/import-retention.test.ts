import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, type OrgTree } from '../../../test/factories.ts';
import type { BaseCtx } from '../context.ts';
import { DAY_MS } from '../privacy/catalogue.ts';
import { IMPORT_ERRORS_RETENTION_DAYS } from './imports.privacy.ts';
import { deleteExpiredImportDetails } from './imports.service.ts';
import { processImport } from './run-import.ts';

/** What an import keeps of the member file, and for how long (imports.privacy.ts). */

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

function upload(orgId: string, name: string, content: string) {
  const boundary = `----draht${randomBytes(8).toString('hex')}`;
  const payload = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="orgId"\r\n\r\n${orgId}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n${content}\r\n--${boundary}--\r\n`,
  );
  return organizer.request({
    method: 'POST',
    url: '/api/imports',
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

/** Uploads and starts an import of `rows` (member number, first name, last name, email). */
async function startImport(orgId: string, rows: string[]) {
  const csv = ['Mitgliedsnummer;Vorname;Nachname;E-Mail', ...rows].join('\n');
  const up = await upload(orgId, 'mitglieder.csv', csv);
  expect(up.statusCode, up.body).toBe(201);
  const { id, suggestedMapping } = up.json();
  expect(
    (await organizer.put(`/api/imports/${id}/mapping`, { mapping: suggestedMapping, mode: 'update' }))
      .statusCode,
  ).toBe(200);
  const start = await organizer.post(`/api/imports/${id}/start`, {});
  expect(start.statusCode, start.body).toBe(202);
  return id as string;
}

const stored = async (importId: string) => ({
  chunks: (await t.db.selectFrom('importFileChunks').select('seq').where('importId', '=', importId).execute())
    .length,
  seen: (await t.db.selectFrom('importSeen').select('personId').where('importId', '=', importId).execute())
    .length,
  errors: (
    await t.db.selectFrom('importErrors').select('rowNumber').where('importId', '=', importId).execute()
  ).length,
  errorRows: (
    await t.db.selectFrom('importErrorRows').select('rowNumber').where('importId', '=', importId).execute()
  ).length,
});

const errorCsvLines = async (importId: string) => {
  const res = await organizer.get(`/api/imports/${importId}/errors.csv`);
  expect(res.statusCode).toBe(200);
  return res.body
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
};

describe('the member file of an import', () => {
  it('stays while the import runs (resumable) and goes when it finishes; the error CSV keeps the rows', async () => {
    const id = await startImport(orgs.kreisA1, [
      'F1;Fritz;Fuchs;fritz@example.org',
      'F2;Frieda;Falk;keine-mail',
      'F3;Fabian;Frost;fabian@example.org',
      'F4;Fee;Fink;fee@example.org',
    ]);
    expect(await processImport(ctx, id, { batchSize: 2, maxBatches: 1 })).toBe('paused');
    // Interrupted after the first batch: the file and the seen list are still there to resume.
    expect(await stored(id)).toEqual({ chunks: 1, seen: 1, errors: 1, errorRows: 1 });

    expect(await processImport(ctx, id, { batchSize: 2 })).toBe('done');
    expect((await organizer.get(`/api/imports/${id}`)).json()).toMatchObject({
      status: 'done',
      created: 3,
      failed: 1,
    });
    expect(await stored(id)).toEqual({ chunks: 0, seen: 0, errors: 1, errorRows: 1 });
    // The skipped row with its original cells, without the file.
    expect(await errorCsvLines(id)).toEqual([
      'Zeile;Spalte;Problem;Originalwert;Mitgliedsnummer;Vorname;Nachname;E-Mail',
      '3;E-Mail;Keine gültige E-Mail-Adresse;keine-mail;F2;Frieda;Falk;keine-mail',
    ]);
  });

  it('goes when an import fails for good', async () => {
    const id = await startImport(orgs.kreisA2, ['G1;Gina;Grün;gina@example.org']);
    // The stored file cannot be read as what it claims to be: the run fails.
    await t.db.updateTable('imports').set({ format: 'xlsx' }).where('id', '=', id).execute();
    expect(await processImport(ctx, id)).toBe('done');
    expect((await organizer.get(`/api/imports/${id}`)).json().status).toBe('failed');
    expect(await stored(id)).toMatchObject({ chunks: 0, seen: 0 });
  });
});

describe('retention of skipped rows', () => {
  it(`deletes problems, original cells and duplicate member numbers ${IMPORT_ERRORS_RETENTION_DAYS} days after the import finished`, async () => {
    const id = await startImport(orgs.ortA1a, [
      'H1;Hanna;Hahn;keine-mail',
      'H2;Hugo;Heck;hugo@example.org',
      'H2;Heike;Heck;heike@example.org',
    ]);
    expect(await processImport(ctx, id)).toBe('done');
    const other = await startImport(orgs.ortA1b, ['J1;Jana;Jung;keine-mail']);
    expect(await processImport(ctx, other)).toBe('done');
    const imp = await t.db
      .selectFrom('imports')
      .select(['finishedAt', 'duplicateMemberNumbers', 'failed'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(imp.duplicateMemberNumbers).toEqual(['H2']);
    expect(await stored(id)).toMatchObject({ errors: 3, errorRows: 3 });

    const finished = imp.finishedAt!.getTime();
    const justBefore = new Date(finished + IMPORT_ERRORS_RETENTION_DAYS * DAY_MS - 60_000);
    expect(await deleteExpiredImportDetails(t.db, justBefore)).toBe(0);
    expect(await stored(id)).toMatchObject({ errors: 3, errorRows: 3 });

    // Only the import that finished long enough ago: the others of this file ended two days later.
    await t.db
      .updateTable('imports')
      .set({ finishedAt: new Date(finished + 2 * DAY_MS) })
      .where('id', '<>', id)
      .execute();
    const after = new Date(finished + IMPORT_ERRORS_RETENTION_DAYS * DAY_MS + 60_000);
    expect(await deleteExpiredImportDetails(t.db, after)).toBe(1);
    expect(await stored(id)).toEqual({ chunks: 0, seen: 0, errors: 0, errorRows: 0 });
    expect(await stored(other)).toMatchObject({ errors: 1, errorRows: 1 });
    // The run itself stays, with its counts.
    const view = (await organizer.get(`/api/imports/${id}`)).json();
    expect(view).toMatchObject({ status: 'done', failed: 3, created: 0 });
    const cleared = await t.db
      .selectFrom('imports')
      .select('duplicateMemberNumbers')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(cleared.duplicateMemberNumbers).toEqual([]);
    expect(await errorCsvLines(id)).toHaveLength(1);
  });
});
