import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, type OrgTree } from '../../../test/factories.ts';
import { DEFAULT_INSTRUCTION_TEXT } from './default-text.ts';

let t: TestApp;
let orgs: OrgTree;
let superadmin: Client;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  superadmin = await loginAs(t, 'superadmin');
});
afterAll(() => t.close());

describe('data-protection instruction', () => {
  it('ships a German default text as version 1', async () => {
    const res = await superadmin.get('/api/instruction');
    expect(res.json()).toMatchObject({ version: 1, text: DEFAULT_INSTRUCTION_TEXT });
    expect(res.json().text).toContain('Datenschutzbelehrung');
  });

  it('refuses to confirm a version that is not current', async () => {
    const user = await loginAs(t, 'organizer', orgs.kreisA1, { confirmed: false });
    const res = await user.post('/api/auth/confirm-instruction', { version: 99 });
    expect(res.statusCode).toBe(409);
    expect((await user.get('/api/auth/me')).json().instructionConfirmed).toBe(false);
  });

  it('a new version published by a superadmin makes everyone confirm again', async () => {
    const organizer = await loginAs(t, 'organizer', orgs.kreisA1);
    expect((await organizer.get(`/api/orgs/${orgs.kreisA1}/memberships`)).statusCode).toBe(200);

    const tooShort = await superadmin.put('/api/instruction', { text: 'kurz' });
    expect(tooShort.statusCode).toBe(400);
    const text = `${DEFAULT_INSTRUCTION_TEXT}\n\n8. Neu: Telefonaktionen nur zwischen 10 und 20:30 Uhr.`;
    const published = await superadmin.put('/api/instruction', { text });
    expect(published.statusCode).toBe(200);
    expect(published.json().version).toBe(2);

    const blocked = await organizer.get(`/api/orgs/${orgs.kreisA1}/memberships`);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('instruction_required');
    expect((await organizer.get('/api/instruction')).json()).toMatchObject({ version: 2, text });
    expect((await organizer.post('/api/auth/confirm-instruction', { version: 1 })).statusCode).toBe(409);
    expect((await organizer.post('/api/auth/confirm-instruction', { version: 2 })).statusCode).toBe(200);
    expect((await organizer.get(`/api/orgs/${orgs.kreisA1}/memberships`)).statusCode).toBe(200);
  });

  it('lists who confirmed which version for the admins of a unit and its subtree', async () => {
    const admin = await loginAs(t, 'admin', orgs.landA);
    const { version } = (await admin.get('/api/instruction')).json();
    await admin.post('/api/auth/confirm-instruction', { version });
    const pending = await loginAs(t, 'caller', orgs.ortA1a, { confirmed: false });
    const outsider = await loginAs(t, 'caller', orgs.kreisB1);

    const res = await admin.get(`/api/instruction/confirmations?orgId=${orgs.landA}`);
    expect(res.statusCode).toBe(200);
    const byUser = new Map(res.json().items.map((i: { userId: string }) => [i.userId, i]));
    expect(byUser.get(admin.userId)).toMatchObject({
      confirmedVersion: version,
      current: true,
      confirmedAt: expect.any(String),
    });
    expect(byUser.get(pending.userId)).toMatchObject({
      confirmedVersion: null,
      current: false,
      orgId: orgs.ortA1a,
    });
    expect(byUser.has(outsider.userId)).toBe(false);
  });
});
