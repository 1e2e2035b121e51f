import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, type OrgTree } from '../../../test/factories.ts';
import { audit } from './audit.service.ts';

let t: TestApp;
let orgs: OrgTree;
let adminA: Client;
let adminA1: Client;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  adminA = await loginAs(t, 'admin', orgs.landA);
  adminA1 = await loginAs(t, 'admin', orgs.kreisA1);
  await adminA1.patch(`/api/orgs/${orgs.ortA1a}`, { name: 'Ort A1a umbenannt' });
  await adminA.post('/api/orgs', { name: 'Kreis A9', kind: 'district', parentId: orgs.landA });
  const adminB = await loginAs(t, 'admin', orgs.landB);
  await adminB.patch(`/api/orgs/${orgs.kreisB1}`, { name: 'Kreis B1 umbenannt' });
});
afterAll(() => t.close());

describe('audit log', () => {
  it('records who did what to which unit, with ids but no personal data', async () => {
    const ctx = {
      db: t.db,
      config: t.config,
      mail: t.mail,
      jobs: t.jobs,
      log: t.app.log,
      ip: '192.0.2.1',
      actor: { userId: adminA.userId },
    };
    await audit.record(
      ctx,
      'people.exported',
      { type: 'query', id: 'q-1', orgId: orgs.kreisA2 },
      { count: 12 },
    );
    const res = await adminA.get(`/api/audit?orgId=${orgs.kreisA2}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0]).toMatchObject({
      action: 'people.exported',
      actorUserId: adminA.userId,
      actorEmail: adminA.email,
      orgId: orgs.kreisA2,
      targetType: 'query',
      targetId: 'q-1',
      details: { count: 12 },
    });
  });

  it('shows an admin the entries of their subtree only', async () => {
    const landA = (await adminA.get('/api/audit'))
      .json()
      .items.map((e: { action: string; orgId: string }) => e.orgId);
    expect(landA).toContain(orgs.ortA1a);
    expect(landA).not.toContain(orgs.kreisB1);
    const kreisA1 = (await adminA1.get('/api/audit')).json().items;
    expect(
      kreisA1.every((e: { orgId: string }) => [orgs.kreisA1, orgs.ortA1a, orgs.ortA1b].includes(e.orgId)),
    ).toBe(true);
    expect(kreisA1.length).toBeGreaterThan(0);
    expect((await adminA1.get(`/api/audit?orgId=${orgs.landA}`)).statusCode).toBe(404);
    const organizer = await loginAs(t, 'organizer', orgs.landA);
    expect((await organizer.get('/api/audit')).statusCode).toBe(403);
  });

  it('filters by user, action prefix and date', async () => {
    const byUser = (await adminA.get(`/api/audit?userId=${adminA1.userId}`)).json().items;
    expect(byUser.length).toBeGreaterThan(0);
    expect(byUser.every((e: { actorUserId: string }) => e.actorUserId === adminA1.userId)).toBe(true);
    const created = (await adminA.get('/api/audit?action=org.created')).json().items;
    expect(created.map((e: { action: string }) => e.action)).toEqual(['org.created']);
    const future = (await adminA.get('/api/audit?from=2999-01-01')).json().items;
    expect(future).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await adminA.get(`/api/audit?from=${today}&to=${today}`)).json().items.length).toBeGreaterThan(0);
    expect((await adminA.get('/api/audit?from=gestern')).statusCode).toBe(400);
  });

  it('pages with a cursor without gaps or repeats', async () => {
    for (let i = 0; i < 7; i++) await adminA.patch(`/api/orgs/${orgs.kreisA2}`, { name: `Kreis A2 v${i}` });
    const all = (await adminA.get('/api/audit?limit=500')).json().items.map((e: { id: string }) => e.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { items: { id: string }[]; nextCursor: string | null } = (
        await adminA.get(`/api/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...res.items.map((e: { id: string }) => e.id));
      cursor = res.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect((await adminA.get('/api/audit?cursor=nonsense')).statusCode).toBe(400);
  });
});
