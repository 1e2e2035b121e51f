import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, makePerson, type OrgTree } from '../../../test/factories.ts';
import { requestConsent, requestConsents, revokeConsent } from '../consents/consents.service.ts';
import type { BaseCtx } from '../context.ts';
import { runPendingImports } from './run-import.ts';

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

const LEGAL_BASIS = 'Die Einwilligungen liegen schriftlich vor (Mitgliedsanträge 2024, Geschäftsstelle).';

function multipart(fields: Record<string, string>, file: { name: string; content: string }) {
  const boundary = `----draht${randomBytes(8).toString('hex')}`;
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const body = `${parts.join('')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n--${boundary}--\r\n`;
  return {
    payload: Buffer.from(body),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function uploadAndMap(orgId: string, csv: string) {
  const up = await organizer.request({
    method: 'POST',
    url: '/api/imports',
    ...multipart({ orgId }, { name: 'mitglieder.csv', content: csv }),
  });
  expect(up.statusCode, up.body).toBe(201);
  const created = up.json();
  const mapped = await organizer.put(`/api/imports/${created.id}/mapping`, {
    mapping: created.suggestedMapping,
    mode: 'update',
  });
  expect(mapped.statusCode, mapped.body).toBe(200);
  return { id: created.id as string, created, analysis: mapped.json() };
}

async function runImport(
  orgId: string,
  csv: string,
  start: Record<string, unknown> = { consentLegalBasis: LEGAL_BASIS },
) {
  const { id, created, analysis } = await uploadAndMap(orgId, csv);
  const started = await organizer.post(`/api/imports/${id}/start`, start);
  expect(started.statusCode, started.body).toBe(202);
  await runPendingImports(ctx);
  const view = (await organizer.get(`/api/imports/${id}`)).json();
  expect(view.status, view.message).toBe('done');
  return { id, created, analysis, view };
}

let fileSeq = 0;
/** A member file with a "Newsletter" column; addresses unique per file. */
function memberFile(rows: [string, string][]) {
  const tag = `${++fileSeq}-${randomBytes(3).toString('hex')}`;
  const email = (n: string) => `${n.toLowerCase()}-${tag}@example.org`;
  const csv = [
    'Mitgliedsnummer;Vorname;Nachname;E-Mail;Newsletter',
    ...rows.map(([name, answer], i) => `NL-${tag}-${i};${name};Import;${email(name)};${answer}`),
  ].join('\n');
  return { csv, email, memberNumber: (i: number) => `NL-${tag}-${i}` };
}

const personByMemberNumber = (memberNumber: string) =>
  t.db.selectFrom('people').select('id').where('memberNumber', '=', memberNumber).executeTakeFirst();
const consentsOf = (personId: string) =>
  t.db.selectFrom('consents').selectAll().where('personId', '=', personId).execute();
const ledgerOf = (personId: string) =>
  t.db.selectFrom('consentEvents').selectAll().where('personId', '=', personId).orderBy('at').execute();
const mailsTo = (email: string) =>
  t.db.selectFrom('mailMessages').selectAll().where('toAddress', '=', email).execute();
const tokenIn = (text: string) => /http:\/\/draht\.test\/c\/([A-Za-z0-9_-]{43})/.exec(text)![1]!;

describe('newsletter consent column in an import', () => {
  const rows: [string, string][] = [
    ['Anna', 'ja'],
    ['Bert', 'yes'],
    ['Clara', 'x'],
    ['Dora', 'nein'],
    ['Emil', '0'],
    ['Frieda', 'vielleicht'],
    ['Gustav', ''],
  ];
  const file = memberFile(rows);
  let importId: string;

  it('maps a "Newsletter" column by itself; an unknown value is a row problem', async () => {
    const { id, created, analysis } = await uploadAndMap(orgs.kreisA1, file.csv);
    importId = id;
    expect(created.suggestedMapping.Newsletter).toBe('newsletterConsent');
    expect(analysis.errorRows).toBe(1);
    expect(analysis.errors).toEqual([
      { rowNumber: 7, column: 'Newsletter', problem: 'invalid_consent', value: 'vielleicht' },
    ]);
    expect(
      analysis.preview.find((r: { rowNumber: number }) => r.rowNumber === 2).values.newsletterConsent,
    ).toBe('yes');
  });

  it('refuses to start without a stated legal basis (422 naming it), or with one over 500 characters (400)', async () => {
    const missing = await organizer.post(`/api/imports/${importId}/start`, {});
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.details).toEqual([
      expect.objectContaining({ path: 'body.consentLegalBasis', reason: 'consent_legal_basis_required' }),
    ]);
    const long = await organizer.post(`/api/imports/${importId}/start`, {
      consentLegalBasis: 'x'.repeat(501),
    });
    expect(long.statusCode).toBe(400);
    expect(JSON.stringify(long.json().error.details)).toContain('consentLegalBasis');
    const blank = await organizer.post(`/api/imports/${importId}/start`, { consentLegalBasis: '   ' });
    expect(blank.statusCode).toBe(400);
    const sibling = await organizer.post(`/api/imports/${importId}/start`, {
      consentLegalBasis: LEGAL_BASIS,
      consentOrgId: orgs.kreisA2,
    });
    expect(sibling.statusCode).toBe(422);
    expect(sibling.json().error.details[0].reason).toBe('consent_unit_not_in_line');
    const outside = await organizer.post(`/api/imports/${importId}/start`, {
      consentLegalBasis: LEGAL_BASIS,
      consentOrgId: orgs.landB,
    });
    expect(outside.statusCode).toBe(404);
    expect((await organizer.get(`/api/imports/${importId}`)).json().status).toBe('pending');
  });

  it('yes → pending consent of the unit with exactly one confirmation mail and a ledger row with the legal basis; no and empty → nothing', async () => {
    const started = await organizer.post(`/api/imports/${importId}/start`, {
      consentLegalBasis: LEGAL_BASIS,
    });
    expect(started.statusCode, started.body).toBe(202);
    await runPendingImports(ctx);
    const view = (await organizer.get(`/api/imports/${importId}`)).json();
    expect(view).toMatchObject({
      status: 'done',
      created: 6,
      failed: 1,
      consentsRequested: 3,
      consentLegalBasis: LEGAL_BASIS,
      consentOrgId: orgs.kreisA1,
    });
    for (const [i, [name, answer]] of rows.entries()) {
      const person = await personByMemberNumber(file.memberNumber(i));
      const mails = await mailsTo(file.email(name));
      if (answer === 'vielleicht') {
        expect(person).toBeUndefined();
        expect(mails).toHaveLength(0);
        continue;
      }
      const consents = await consentsOf(person!.id);
      if (!['ja', 'yes', 'x'].includes(answer)) {
        expect(consents, name).toEqual([]);
        expect(mails, name).toHaveLength(0);
        continue;
      }
      expect(consents, name).toHaveLength(1);
      expect(consents[0]).toMatchObject({
        status: 'pending',
        channel: 'newsletter',
        orgId: orgs.kreisA1,
        source: 'import',
        sourceRef: importId,
        textVersion: 'newsletter-v1',
      });
      expect(mails, name).toHaveLength(1);
      expect(mails[0]).toMatchObject({ status: 'outbox', template: 'consentConfirmation' });
      const ledger = await ledgerOf(person!.id);
      expect(ledger).toHaveLength(1);
      expect(ledger[0]).toMatchObject({ status: 'pending', source: 'import', sourceRef: importId });
      expect(ledger[0].proof).toMatchObject({ importId, legalBasis: LEGAL_BASIS, rowNumber: i + 2 });
      const timeline = await t.db
        .selectFrom('timelineEvents')
        .select('kind')
        .where('personId', '=', person!.id)
        .execute();
      expect(timeline.map((e) => e.kind)).toContain('consent.requested');
    }
    const problems = await t.db
      .selectFrom('importErrors')
      .selectAll()
      .where('importId', '=', importId)
      .execute();
    expect(problems).toEqual([expect.objectContaining({ rowNumber: 7, problem: 'invalid_consent' })]);
  });

  it('re-importing the same file sends nothing new; a granted consent stays granted, "nein" revokes nothing', async () => {
    // Anna confirms; then the file comes again, and once more with everyone at "nein".
    const anna = (await personByMemberNumber(file.memberNumber(0)))!;
    const [mail] = await mailsTo(file.email('Anna'));
    const click = await t.app.inject({ method: 'GET', url: `/c/${tokenIn(mail!.textBody)}` });
    expect(click.statusCode).toBe(303);
    expect((await consentsOf(anna.id))[0]!.status).toBe('granted');

    const mailCount = async () => (await t.db.selectFrom('mailMessages').select('id').execute()).length;
    const before = await mailCount();
    const again = await runImport(orgs.kreisA1, file.csv);
    expect(again.view.consentsRequested).toBe(0);
    const no = file.csv.replace(/;(ja|yes|x)$/gm, ';nein');
    const revoking = await runImport(orgs.kreisA1, no);
    expect(revoking.view.consentsRequested).toBe(0);
    expect(await mailCount()).toBe(before);

    expect((await consentsOf(anna.id)).map((c) => c.status)).toEqual(['granted']);
    const bert = (await personByMemberNumber(file.memberNumber(1)))!;
    expect((await consentsOf(bert.id)).map((c) => c.status)).toEqual(['pending']);
    expect(await ledgerOf(bert.id)).toHaveLength(1);
    expect((await mailsTo(file.email('Bert'))).length).toBe(1);
  });

  it('an update that matches existing people asks them too, and the consents may be for a unit above the import’s', async () => {
    const first = memberFile([
      ['Hanna', ''],
      ['Ida', ''],
    ]);
    const lines = first.csv.split('\n');
    const withoutColumn = lines.map((l) => l.replace(/;[^;]*$/, '')).join('\n');
    await runImport(orgs.kreisA1, withoutColumn, {});
    const hanna = (await personByMemberNumber(first.memberNumber(0)))!;
    const withYes = lines.map((l, i) => (i ? l.replace(/;[^;]*$/, ';1') : l)).join('\n');
    const { view } = await runImport(orgs.kreisA1, withYes, {
      consentLegalBasis: LEGAL_BASIS,
      consentOrgId: orgs.landA,
    });
    expect(view).toMatchObject({ updated: 0, unchanged: 2, consentOrgId: orgs.landA, consentsRequested: 2 });
    const consents = await consentsOf(hanna.id);
    expect(consents).toEqual([
      expect.objectContaining({ status: 'pending', orgId: orgs.landA, source: 'import' }),
    ]);
    expect(await mailsTo(first.email('Hanna'))).toHaveLength(1);
  });
});

describe('requestConsents (the batch variant of requestConsent)', () => {
  const ask = (personId: string) => ({
    personId,
    channel: 'newsletter' as const,
    purpose: 'newsletter',
    orgId: orgs.kreisA2,
    source: 'api' as const,
    sourceRef: null,
    recordedBy: null,
  });
  const person = async () => {
    const email = `batch-${randomBytes(4).toString('hex')}@example.org`;
    return { id: await makePerson(organizer, orgs.kreisA2, { emails: [{ email }] }), email };
  };

  it('new → requested with one mail; existing ones as requestConsent treats them, or left alone with existing: leave', async () => {
    const [fresh, granted, pending, revoked] = [
      await person(),
      await person(),
      await person(),
      await person(),
    ];
    for (const p of [granted, pending, revoked]) await requestConsent(ctx, ask(p.id));
    const [mail] = await mailsTo(granted.email);
    await t.app.inject({ method: 'GET', url: `/c/${tokenIn(mail!.textBody)}` });
    await revokeConsent(ctx, { personId: revoked.id, source: 'manual' });

    const left = await requestConsents(ctx, [ask(revoked.id), ask(granted.id), ask(pending.id)], {
      existing: 'leave',
    });
    expect(left.map((r) => r.outcome)).toEqual(['existing', 'existing', 'existing']);
    expect((await consentsOf(revoked.id))[0]!.status).toBe('revoked');

    const results = await requestConsents(ctx, [
      ask(fresh.id),
      ask(granted.id),
      ask(pending.id),
      ask(revoked.id),
    ]);
    expect(results.map((r) => [r.outcome, r.mailed])).toEqual([
      ['requested', true],
      ['granted', false],
      ['pending', false],
      ['requested', true],
    ]);
    expect(await mailsTo(fresh.email)).toHaveLength(1);
    expect(await mailsTo(granted.email)).toHaveLength(1);
    expect(await mailsTo(pending.email)).toHaveLength(1);
    expect(await mailsTo(revoked.email)).toHaveLength(2);
    expect((await consentsOf(fresh.id))[0]).toMatchObject({ status: 'pending', source: 'api' });
    expect((await ledgerOf(fresh.id)).map((e) => e.status)).toEqual(['pending']);
    // The proof names the mail, so the click grants with it.
    const [freshMail] = await mailsTo(fresh.email);
    const click = await t.app.inject({ method: 'GET', url: `/c/${tokenIn(freshMail!.textBody)}` });
    expect(click.headers.location).toContain('state=confirmed');
    const grant = (await ledgerOf(fresh.id)).at(-1)!;
    expect(grant.status).toBe('granted');
    expect((grant.proof as { mailId: string }).mailId).toBe(freshMail!.id);
  });
});
