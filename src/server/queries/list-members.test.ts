import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, type OrgTree } from '../../../test/factories.ts';

let t: TestApp;
let orgs: OrgTree;
let admin: Client;
let organizer: Client;
/** People of Kreis A1 (the lists' unit) and one of the sibling Kreis A2. */
const id: Record<string, string> = {};
const everyone = { kind: 'group', op: 'and', children: [] };

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  admin = await loginAs(t, 'admin', orgs.landA);
  organizer = await loginAs(t, 'organizer', orgs.kreisA1);
  const people: [string, string][] = [
    ['anna', orgs.kreisA1],
    ['bernd', orgs.ortA1a],
    ['chris', orgs.kreisA1],
    ['dora', orgs.kreisA1],
    ['fremd', orgs.kreisA2],
  ];
  for (const [key, orgId] of people) {
    const res = await admin.post('/api/people', { orgId, firstName: key, lastName: key.toUpperCase() });
    expect(res.statusCode, res.body).toBe(201);
    id[key] = res.json().id;
  }
});
afterAll(() => t.close());

const names = async (queryId: string) =>
  (await organizer.get(`/api/queries/${queryId}/people`))
    .json()
    .items.map((p: { firstName: string }) => p.firstName)
    .sort();
const auditOf = (queryId: string) =>
  t.db
    .selectFrom('auditLog')
    .select(['action', 'details'])
    .where('targetId', '=', queryId)
    .orderBy('at')
    .execute();

describe('people added to and removed from a snapshot list by hand', () => {
  it('creates a snapshot list from ids: exactly those people of the unit', async () => {
    const res = await organizer.post('/api/queries', {
      orgId: orgs.kreisA1,
      name: 'Von Hand',
      filter: everyone,
      mode: 'snapshot',
      personIds: [id.anna, id.bernd, id.fremd],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ mode: 'snapshot', snapshotCount: 2 });
    expect(await names(res.json().id)).toEqual(['anna', 'bernd']);
    // personIds only make sense for a snapshot list.
    const dynamic = await organizer.post('/api/queries', {
      orgId: orgs.kreisA1,
      name: 'Falsch',
      filter: everyone,
      personIds: [id.anna],
    });
    expect(dynamic.statusCode).toBe(400);
    expect(JSON.stringify(dynamic.json().error.details)).toContain('personIds');
  });

  it('adds people, ignoring ids outside the unit and those already on it; audit-logs counts', async () => {
    const list = (
      await organizer.post('/api/queries', {
        orgId: orgs.kreisA1,
        name: 'Telefonaktion',
        filter: everyone,
        mode: 'snapshot',
        personIds: [id.anna],
      })
    ).json();
    const res = await organizer.post(`/api/queries/${list.id}/members`, {
      personIds: [id.anna, id.bernd, id.chris, id.fremd, '00000000-0000-4000-8000-000000000009'],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ added: 2 });
    expect(await names(list.id)).toEqual(['anna', 'bernd', 'chris']);
    expect((await organizer.get(`/api/queries/${list.id}`)).json().snapshotCount).toBe(3);
    const log = await auditOf(list.id);
    expect(log.at(-1)).toMatchObject({
      action: 'query.members_added',
      details: { requested: 5, added: 2, snapshotCount: 3 },
    });
  });

  it('removes people', async () => {
    const list = (
      await organizer.post('/api/queries', {
        orgId: orgs.kreisA1,
        name: 'Kurz',
        filter: everyone,
        mode: 'snapshot',
        personIds: [id.anna, id.bernd, id.chris],
      })
    ).json();
    const res = await organizer.post(`/api/queries/${list.id}/members/remove`, {
      personIds: [id.bernd, id.dora],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ removed: 1 });
    expect(await names(list.id)).toEqual(['anna', 'chris']);
    expect((await organizer.get(`/api/queries/${list.id}`)).json().snapshotCount).toBe(2);
    expect((await auditOf(list.id)).at(-1)).toMatchObject({
      action: 'query.members_removed',
      details: { requested: 2, removed: 1, snapshotCount: 2 },
    });
  });

  it('a dynamic list is a 422: its people follow its filter', async () => {
    const list = (
      await organizer.post('/api/queries', { orgId: orgs.kreisA1, name: 'Dynamisch', filter: everyone })
    ).json();
    for (const url of [`/api/queries/${list.id}/members`, `/api/queries/${list.id}/members/remove`]) {
      const res = await organizer.post(url, { personIds: [id.anna] });
      expect(res.statusCode).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'rule_violation' });
      expect(res.json().error.message).toContain('dynamic list');
    }
  });

  it('a list of a sibling unit is not found; a caller of the unit may not change it', async () => {
    const list = (
      await organizer.post('/api/queries', {
        orgId: orgs.kreisA1,
        name: 'Geschützt',
        filter: everyone,
        mode: 'snapshot',
        personIds: [id.anna],
      })
    ).json();
    const sibling = await loginAs(t, 'organizer', orgs.kreisA2);
    const caller = await loginAs(t, 'caller', orgs.kreisA1);
    for (const url of [`/api/queries/${list.id}/members`, `/api/queries/${list.id}/members/remove`]) {
      expect((await sibling.post(url, { personIds: [id.fremd] })).statusCode).toBe(404);
      expect((await caller.post(url, { personIds: [id.bernd] })).statusCode).toBe(403);
    }
    expect(await names(list.id)).toEqual(['anna']);
    expect((await organizer.post(`/api/queries/${list.id}/members`, { personIds: [] })).statusCode).toBe(400);
  });

  it('a hand-made list keeps its people when saved unchanged, and refuses a refresh that would take everyone', async () => {
    const list = (
      await organizer.post('/api/queries', {
        orgId: orgs.kreisA1,
        name: 'Bleibt',
        filter: everyone,
        mode: 'snapshot',
        personIds: [id.anna, id.bernd],
      })
    ).json();
    // The editor sends the filter back with every save.
    const renamed = await organizer.patch(`/api/queries/${list.id}`, {
      name: 'Bleibt (neu)',
      filter: everyone,
    });
    expect(renamed.json()).toMatchObject({ name: 'Bleibt (neu)', snapshotCount: 2 });
    expect(await names(list.id)).toEqual(['anna', 'bernd']);
    const refresh = await organizer.patch(`/api/queries/${list.id}`, { refresh: true });
    expect(refresh.statusCode).toBe(422);
    expect(await names(list.id)).toEqual(['anna', 'bernd']);
    // A new filter takes the people it finds now.
    const filtered = await organizer.patch(`/api/queries/${list.id}`, {
      filter: { kind: 'field', field: 'firstName', op: 'equals', value: 'dora' },
    });
    expect(filtered.statusCode, filtered.body).toBe(200);
    expect(await names(list.id)).toEqual(['dora']);
  });
});
