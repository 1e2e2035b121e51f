import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, type OrgTree } from '../../../test/factories.ts';
import { subtreeIds } from './orgs.repo.ts';
import { slugify } from './slug.ts';

let t: TestApp;
let orgs: OrgTree;
let superadmin: Client;
let adminLandA: Client;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  superadmin = await loginAs(t, 'superadmin');
  adminLandA = await loginAs(t, 'admin', orgs.landA);
});
afterAll(() => t.close());

const ids = (res: { json(): { items: { id: string }[] } }) =>
  res
    .json()
    .items.map((o) => o.id)
    .sort();

describe('seeing org units', () => {
  it('shows a member their unit and its subtree, nothing above or beside it', async () => {
    const caller = await loginAs(t, 'caller', orgs.kreisA1);
    const res = await caller.get('/api/orgs');
    expect(res.statusCode).toBe(200);
    expect(ids(res)).toEqual([orgs.kreisA1, orgs.ortA1a, orgs.ortA1b].sort());
    expect(res.json().items[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        parentId: expect.any(String),
        name: expect.any(String),
        kind: expect.any(String),
        slug: expect.any(String),
        postalCodes: expect.any(Array),
      }),
    );
  });

  it('shows a superadmin every unit', async () => {
    expect(ids(await superadmin.get('/api/orgs'))).toEqual(Object.values(orgs).sort());
  });

  it('answers 404 for a sibling unit, 200 for one below', async () => {
    const organizer = await loginAs(t, 'organizer', orgs.kreisA1);
    expect((await organizer.get(`/api/orgs/${orgs.kreisA2}`)).statusCode).toBe(404);
    expect((await organizer.get(`/api/orgs/${orgs.landA}`)).statusCode).toBe(404);
    const below = await organizer.get(`/api/orgs/${orgs.ortA1b}`);
    expect(below.statusCode).toBe(200);
    expect(below.json()).toMatchObject({
      id: orgs.ortA1b,
      name: 'Ort A1b',
      kind: 'local',
      postalCodes: ['01069'],
    });
  });
});

describe('creating, renaming, moving, archiving', () => {
  it('lets an admin create a sub-unit with a postal-code catchment and a unique slug', async () => {
    const res = await adminLandA.post('/api/orgs', {
      name: 'Ortsverband Görlitz',
      kind: 'local',
      parentId: orgs.kreisA1,
      // Inside Kreis A1's catchment (010…): a unit may only narrow its parent's.
      postalCodes: ['01099', '0109', '01099'],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      name: 'Ortsverband Görlitz',
      parentId: orgs.kreisA1,
      slug: 'ortsverband-goerlitz',
      postalCodes: ['0109', '01099'],
    });
    const twin = await adminLandA.post('/api/orgs', {
      name: 'Ortsverband Görlitz',
      kind: 'local',
      parentId: orgs.kreisA2,
    });
    expect(twin.json().slug).toBe('ortsverband-goerlitz-2');
    // The new unit is inside the closure table: the Land's subtree includes it.
    expect(await subtreeIds(t.db, [orgs.landA])).toContain(res.json().id);
  });

  it('rejects bad input with field details', async () => {
    const res = await adminLandA.post('/api/orgs', {
      name: '',
      kind: 'city',
      parentId: orgs.kreisA1,
      postalCodes: ['ABC'],
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.kind', 'body.postalCodes.0']));
  });

  it('does not let an organizer or a sibling admin create units', async () => {
    const organizer = await loginAs(t, 'organizer', orgs.landA);
    expect(
      (await organizer.post('/api/orgs', { name: 'X', kind: 'local', parentId: orgs.kreisA1 })).statusCode,
    ).toBe(403);
    const adminB = await loginAs(t, 'admin', orgs.landB);
    expect(
      (await adminB.post('/api/orgs', { name: 'X', kind: 'local', parentId: orgs.kreisA1 })).statusCode,
    ).toBe(404);
    expect(
      (await adminLandA.post('/api/orgs', { name: 'Root 2', kind: 'federal', parentId: null })).statusCode,
    ).toBe(403);
  });

  it('renames and changes the catchment', async () => {
    const res = await adminLandA.patch(`/api/orgs/${orgs.ortA2a}`, {
      name: 'Ort A2a (neu)',
      postalCodes: ['04109', '04105'],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Ort A2a (neu)', postalCodes: ['04105', '04109'] });
  });

  it('moves a subtree and keeps the closure table right', async () => {
    const { id } = (
      await adminLandA.post('/api/orgs', { name: 'Kreis A3', kind: 'district', parentId: orgs.landA })
    ).json();
    const child = (
      await adminLandA.post('/api/orgs', { name: 'Ort A3a', kind: 'local', parentId: id })
    ).json();
    const moved = await adminLandA.patch(`/api/orgs/${id}`, { parentId: orgs.kreisA1 });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().parentId).toBe(orgs.kreisA1);
    const underA1 = await subtreeIds(t.db, [orgs.kreisA1]);
    expect(underA1).toEqual(expect.arrayContaining([id, child.id]));
    expect(await subtreeIds(t.db, [orgs.kreisA2])).not.toContain(child.id);
    const depth = await t.db
      .selectFrom('orgTree')
      .select('depth')
      .where('ancestorId', '=', orgs.bund)
      .where('descendantId', '=', child.id)
      .executeTakeFirstOrThrow();
    expect(depth.depth).toBe(4);
  });

  it('refuses to move a unit below itself or its descendants (422) and out of the admin’s scope (404)', async () => {
    const cycle = await adminLandA.patch(`/api/orgs/${orgs.kreisA1}`, { parentId: orgs.ortA1a });
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json().error.code).toBe('org_cycle');
    expect((await adminLandA.patch(`/api/orgs/${orgs.kreisA1}`, { parentId: orgs.kreisA1 })).statusCode).toBe(
      422,
    );
    expect((await adminLandA.patch(`/api/orgs/${orgs.kreisA1}`, { parentId: orgs.landB })).statusCode).toBe(
      404,
    );
  });

  it('archives only leaf units; archived units disappear from the list unless asked for', async () => {
    const parentRes = await adminLandA.patch(`/api/orgs/${orgs.kreisA2}`, { archived: true });
    expect(parentRes.statusCode).toBe(422);
    const leaf = (
      await adminLandA.post('/api/orgs', { name: 'Ort kurzlebig', kind: 'local', parentId: orgs.kreisA2 })
    ).json();
    const archived = await adminLandA.patch(`/api/orgs/${leaf.id}`, { archived: true });
    expect(archived.statusCode).toBe(200);
    expect(archived.json().archived).toBe(true);
    expect(ids(await adminLandA.get('/api/orgs'))).not.toContain(leaf.id);
    expect(ids(await adminLandA.get('/api/orgs?includeArchived=true'))).toContain(leaf.id);
  });

  it('writes every change to the audit log', async () => {
    const entries = await t.db
      .selectFrom('auditLog')
      .select(['action'])
      .where('action', 'like', 'org.%')
      .execute();
    const actions = new Set(entries.map((e) => e.action));
    expect(actions).toEqual(new Set(['org.created', 'org.updated', 'org.moved']));
  });
});

describe('slugify', () => {
  it('transliterates German umlauts and strips punctuation', () => {
    expect(slugify('Kreisverband Görlitz / Löbau-Zittau')).toBe('kreisverband-goerlitz-loebau-zittau');
    expect(slugify('AG Betrieb & Gewerkschaft')).toBe('ag-betrieb-gewerkschaft');
    expect(slugify('Straße')).toBe('strasse');
    expect(slugify('!!!')).toBe('einheit');
  });
});
