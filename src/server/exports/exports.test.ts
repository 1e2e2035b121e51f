import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, type OrgTree } from '../../../test/factories.ts';
import { neutralizeFormula } from './exports.service.ts';

let t: TestApp;
let orgs: OrgTree;
let organizer: Client;
let inKreis: string;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  organizer = await loginAs(t, 'organizer', orgs.kreisA1);
  const add = async (body: Record<string, unknown>) =>
    (await organizer.post('/api/people', { orgId: orgs.kreisA1, ...body })).json().id;
  inKreis = await add({
    firstName: 'Erika',
    lastName: 'Muster',
    postalCode: '01067',
    city: 'Dresden',
    emails: [{ email: 'erika@example.org' }],
    phones: [{ number: '0171 1234567' }],
  });
  await add({ firstName: '=HYPERLINK("http://evil")', lastName: '+Böse', postalCode: '01069' });
  const organizerB = await loginAs(t, 'organizer', orgs.kreisA2);
  await organizerB.post('/api/people', {
    orgId: orgs.kreisA2,
    firstName: 'Fremd',
    lastName: 'Person',
    postalCode: '04109',
  });
});
afterAll(() => t.close());

describe('exports', () => {
  it('exports the subtree as CSV with BOM, semicolons, German headers and neutralised formulas', async () => {
    const res = await organizer.post('/api/exports', {
      orgId: orgs.kreisA1,
      columns: ['firstName', 'lastName', 'email', 'mobile', 'postalCode'],
      format: 'csv',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="draht-export-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const body = res.rawPayload.toString('utf8');
    expect(body.charCodeAt(0)).toBe(0xfeff);
    const lines = body.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('Vorname;Nachname;E-Mail;Mobil;PLZ');
    expect(lines).toContain('Erika;Muster;erika@example.org;0171 1234567;01067');
    expect(lines).toContain(`"'=HYPERLINK(""http://evil"")";'+Böse;;;01069`);
    expect(body).not.toContain('Fremd');
    expect(lines).toHaveLength(3);
  });

  it("names a saved list's export after the list", async () => {
    const list = (
      await organizer.post('/api/queries', {
        orgId: orgs.kreisA1,
        name: 'Größte Unterstützer: Dresden',
        mode: 'dynamic',
        filter: { kind: 'field', field: 'city', op: 'equals', value: 'Dresden' },
      })
    ).json();
    const res = await organizer.post('/api/exports', {
      orgId: orgs.kreisA1,
      queryId: list.id,
      columns: ['firstName', 'lastName'],
      format: 'csv',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="groesste-unterstuetzer-dresden-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    expect(res.rawPayload.toString('utf8').slice(1).trim().split('\r\n')).toEqual([
      'Vorname;Nachname',
      'Erika;Muster',
    ]);
  });

  it('exports chosen people as XLSX, silently leaving out ids outside the scope', async () => {
    const outside = (
      await t.db.selectFrom('people').select('id').where('firstName', '=', 'Fremd').executeTakeFirstOrThrow()
    ).id;
    const res = await organizer.post('/api/exports', {
      orgId: orgs.kreisA1,
      personIds: [inKreis, outside],
      columns: ['lastName', 'city', 'tags'],
      format: 'xlsx',
    });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows = wb.worksheets[0]
      .getSheetValues()
      .filter(Boolean)
      .map((r) => (r as unknown[]).slice(1));
    expect(rows).toEqual([
      ['Nachname', 'Ort', 'Tags'],
      ['Muster', 'Dresden'],
    ]);
  });

  it('writes the export with count and filter to the audit log', async () => {
    await organizer.post('/api/exports', {
      orgId: orgs.kreisA1,
      filter: { search: 'muster' },
      format: 'csv',
    });
    const entry = await t.db
      .selectFrom('auditLog')
      .select(['details', 'actorUserId', 'orgId'])
      .where('action', '=', 'people.exported')
      .orderBy('at', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      actorUserId: organizer.userId,
      orgId: orgs.kreisA1,
      details: { count: 1, format: 'csv', filter: { search: 'muster' } },
    });
  });

  it('refuses callers, other units, unknown columns and filter+ids together', async () => {
    const caller = await loginAs(t, 'caller', orgs.kreisA1);
    expect((await caller.post('/api/exports', { orgId: orgs.kreisA1, format: 'csv' })).statusCode).toBe(403);
    expect((await organizer.post('/api/exports', { orgId: orgs.kreisA2, format: 'csv' })).statusCode).toBe(
      404,
    );
    expect(
      (
        await organizer.post('/api/exports', {
          orgId: orgs.kreisA1,
          format: 'csv',
          columns: ['passwordHash'],
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await organizer.post('/api/exports', {
          orgId: orgs.kreisA1,
          format: 'csv',
          filter: {},
          personIds: [inKreis],
        })
      ).statusCode,
    ).toBe(400);
  });

  it('neutralises every formula prefix', () => {
    for (const v of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])
      expect(neutralizeFormula(v)).toBe(`'${v}`);
    expect(neutralizeFormula('Müller')).toBe('Müller');
  });
});
