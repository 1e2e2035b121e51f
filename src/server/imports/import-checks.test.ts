import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, type OrgTree } from '../../../test/factories.ts';
import { STALE_UPLOAD_DAYS } from '../../shared/imports.ts';
import { deleteStaleUploads } from './imports.service.ts';
import { valueKind } from './mapping-warnings.ts';

let t: TestApp;
let orgs: OrgTree;
let organizer: Client;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  organizer = await loginAs(t, 'organizer', orgs.kreisA1);
});
afterAll(() => t.close());

function upload(client: Client, orgId: string, name: string, content: string) {
  const boundary = `----draht${randomBytes(8).toString('hex')}`;
  const payload = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="orgId"\r\n\r\n${orgId}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n\r\n${content}\r\n` +
      `--${boundary}--\r\n`,
  );
  return client.request({
    method: 'POST',
    url: '/api/imports',
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

const chunksOf = (id: string) =>
  t.db.selectFrom('importFileChunks').select('seq').where('importId', '=', id).execute();

describe('discarding uploads', () => {
  it('deletes an upload that was not started, with its stored file, and audit-logs it', async () => {
    const { id } = (
      await upload(organizer, orgs.kreisA1, 'alt.csv', 'Vorname;Nachname\nMax;Muster\n')
    ).json();
    expect(await chunksOf(id)).toHaveLength(1);
    const res = await organizer.delete(`/api/imports/${id}`);
    expect(res.statusCode).toBe(204);
    expect(await chunksOf(id)).toEqual([]);
    expect((await organizer.get(`/api/imports/${id}`)).statusCode).toBe(404);
    const items = (await organizer.get(`/api/imports?orgId=${orgs.kreisA1}`)).json().items;
    expect(items.map((i: { id: string }) => i.id)).not.toContain(id);
    const logged = await t.db
      .selectFrom('auditLog')
      .select('action')
      .where('targetId', '=', id)
      .where('action', '=', 'import.discarded')
      .execute();
    expect(logged).toHaveLength(1);
  });

  it('refuses to discard a started import (409) and hides others’ uploads (404 / 403)', async () => {
    const { id } = (
      await upload(organizer, orgs.kreisA1, 'start.csv', 'Vorname;Nachname\nMax;Muster\n')
    ).json();
    expect((await organizer.post(`/api/imports/${id}/start`, {})).statusCode).toBe(202);
    const res = await organizer.delete(`/api/imports/${id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('conflict');

    const other = (await upload(organizer, orgs.kreisA1, 'x.csv', 'Vorname;Nachname\nA;B\n')).json();
    const sibling = await loginAs(t, 'organizer', orgs.kreisA2);
    expect((await sibling.delete(`/api/imports/${other.id}`)).statusCode).toBe(404);
    const caller = await loginAs(t, 'caller', orgs.kreisA1);
    expect((await caller.delete(`/api/imports/${other.id}`)).statusCode).toBe(403);
    expect(await chunksOf(other.id)).toHaveLength(1);
  });

  it('the daily cleanup deletes uploads not started for N days and keeps recent and started ones', async () => {
    const stale = (await upload(organizer, orgs.kreisA1, 'stale.csv', 'Vorname;Nachname\nA;B\n')).json();
    const fresh = (await upload(organizer, orgs.kreisA1, 'fresh.csv', 'Vorname;Nachname\nA;B\n')).json();
    const started = (await upload(organizer, orgs.kreisA1, 'run.csv', 'Vorname;Nachname\nA;B\n')).json();
    await organizer.post(`/api/imports/${started.id}/start`, {});
    const old = new Date(Date.now() - (STALE_UPLOAD_DAYS + 1) * 24 * 3600 * 1000);
    const backdate = (id: string) =>
      sql`update imports set created_at = ${old} where id = ${id}`.execute(t.db);
    await backdate(stale.id);
    await backdate(started.id);
    // A crashed upload that never finished is stale too.
    const crashed = await t.db
      .insertInto('imports')
      .values({ orgId: null, fileName: 'crash.csv', suggestedMapping: '{}', mapping: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await backdate(crashed.id);

    expect(await deleteStaleUploads(t.db)).toBe(2);
    const left = await t.db
      .selectFrom('imports')
      .select('id')
      .where('id', 'in', [stale.id, fresh.id, started.id, crashed.id])
      .execute();
    expect(left.map((r) => r.id).sort()).toEqual([fresh.id, started.id].sort());
    expect(await chunksOf(stale.id)).toEqual([]);
  });
});

describe('mapping warnings', () => {
  const warningsOf = (body: {
    warnings: { kind: string; column: string | null; looksLike: string | null }[];
  }) => body.warnings.map((w) => [w.kind, w.column, w.looksLike]);

  it('a file with only a "Name" column mapped: no first name, no contact, nothing to match by', async () => {
    const res = await upload(organizer, orgs.kreisA1, 'namen.csv', 'Name;Notiz\nMax;a\nErika;b\nJonas;c\n');
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.suggestedMapping).toEqual({ Name: 'lastName', Notiz: null });
    expect(body.errorRows).toBe(0);
    expect(warningsOf(body)).toEqual([
      ['no_first_name_column', 'Name', null],
      ['no_contact_column', null, null],
      ['no_match_column', null, null],
    ]);
  });

  it('full names in one name column, and emails in a column mapped elsewhere or not at all', async () => {
    const csv =
      'Name;Wohnort;Kontakt\nMax Muster;a@example.org;b@example.org\nErika Beispiel;c@example.org;d@example.org\n';
    const body = (await upload(organizer, orgs.kreisA1, 'gemischt.csv', csv)).json();
    expect(body.suggestedMapping).toEqual({ Name: 'lastName', Wohnort: 'city', Kontakt: null });
    expect(warningsOf(body)).toEqual(
      expect.arrayContaining([
        ['values_look_like', 'Name', 'fullName'],
        ['values_look_like', 'Wohnort', 'email'],
        ['values_look_like', 'Kontakt', 'email'],
      ]),
    );
    // Mapped properly, the warnings go away.
    const fixed = await organizer.put(`/api/imports/${body.id}/mapping`, {
      mapping: { Name: 'lastName', Wohnort: null, Kontakt: 'email' },
      mode: 'create',
    });
    expect(warningsOf(fixed.json())).toEqual([
      ['no_first_name_column', 'Name', null],
      ['values_look_like', 'Name', 'fullName'],
    ]);
  });

  it('a complete member file has no warnings', async () => {
    const csv =
      'Mitglieds-Nr.;Vorname;Nachname;E-Mail;Telefon;PLZ;Geburtsdatum\n' +
      '1;Max;Muster;max@example.org;0171 2345678;01067;01.02.1980\n' +
      '2;Anna Lena;von Bülow;anna@example.org;0351 123456;01069;1990-05-06\n';
    const body = (await upload(organizer, orgs.kreisA1, 'gut.csv', csv)).json();
    expect(body.warnings).toEqual([]);
  });

  it('recognises value kinds by a clear majority only', () => {
    expect(valueKind(['max@example.org', 'x@y.de', ''])).toBe('email');
    expect(valueKind(['0171 2345678', '+49 351 123456'])).toBe('phone');
    expect(valueKind(['01067', '04109'])).toBe('postalCode');
    expect(valueKind(['01.02.1980', '1980-02-01'])).toBe('date');
    expect(valueKind(['Max Muster', 'Erika Beispiel'])).toBe('fullName');
    expect(valueKind(['Max', 'Erika', 'Max Muster'])).toBeNull();
    expect(valueKind(['', ' '])).toBeNull();
  });
});
