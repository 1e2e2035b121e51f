import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, type OrgTree } from '../../../test/factories.ts';
import { type CatchmentUnit, catchmentProblems, newProblems } from './catchments.ts';

describe('catchment rules (pure)', () => {
  const tree: CatchmentUnit[] = [
    { id: 'bund', parentId: null, name: 'Bund', postalCodes: [] },
    { id: 'a', parentId: 'bund', name: 'Land A', postalCodes: ['01', '04'] },
    { id: 'a1', parentId: 'a', name: 'Kreis A1', postalCodes: ['010'] },
    { id: 'a1x', parentId: 'a1', name: 'Ort A1x', postalCodes: ['01067'] },
    { id: 'a3', parentId: 'a', name: 'Kreis A3', postalCodes: [] },
    { id: 'b', parentId: 'bund', name: 'Land B', postalCodes: ['99'] },
    { id: 'ag', parentId: 'bund', name: 'AG', postalCodes: [] },
  ];
  const withUnit = (u: CatchmentUnit) => [...tree.filter((x) => x.id !== u.id), u];

  it('a consistent tree has no problems', () => {
    expect(catchmentProblems(tree)).toEqual([]);
  });

  it('a code outside the parent is named; a unit without codes covers its parent, the top covers all', () => {
    expect(
      newProblems(tree, withUnit({ id: 'n', parentId: 'a1', name: 'N', postalCodes: ['99084'] })),
    ).toEqual([{ kind: 'outside_parent', unitId: 'n', code: '99084', parentId: 'a1' }]);
    // Below Kreis A3 (no codes of its own) Land A's catchment counts.
    expect(newProblems(tree, withUnit({ id: 'n', parentId: 'a3', name: 'N', postalCodes: ['045'] }))).toEqual(
      [],
    );
    expect(
      newProblems(tree, withUnit({ id: 'n', parentId: 'a3', name: 'N', postalCodes: ['02'] })),
    ).toHaveLength(1);
    // A wider code than the parent's is outside too.
    expect(
      newProblems(tree, withUnit({ id: 'n', parentId: 'a1', name: 'N', postalCodes: ['01'] }))[0],
    ).toMatchObject({
      kind: 'outside_parent',
    });
  });

  it('codes shared with a unit of another branch (equal, longer or shorter) are overlaps', () => {
    for (const code of ['01067', '010675', '0106']) {
      const problems = newProblems(
        tree,
        withUnit({ id: 'n', parentId: 'a1', name: 'N', postalCodes: [code] }),
      );
      expect(problems.filter((p) => p.kind === 'overlap')).toHaveLength(1);
    }
    // The working group hangs under the Bund (covers all) but may not take Land B's codes.
    const ag = newProblems(tree, withUnit({ id: 'agx', parentId: 'ag', name: 'X', postalCodes: ['990'] }));
    expect(ag).toEqual([{ kind: 'overlap', unitId: 'agx', code: '990', otherUnitId: 'b', otherCode: '99' }]);
    // In line (a unit and the units above it) is no overlap.
    expect(
      newProblems(tree, withUnit({ id: 'n', parentId: 'a1x', name: 'N', postalCodes: ['010675'] })),
    ).toEqual([]);
  });

  it('only new problems count: a change elsewhere in a tree with an old conflict is not refused', () => {
    const legacy = [...tree, { id: 'old', parentId: 'b', name: 'Alt', postalCodes: ['01067'] }];
    expect(catchmentProblems(legacy).length).toBeGreaterThan(0);
    expect(
      newProblems(legacy, [...legacy.filter((u) => u.id !== 'a1'), { ...tree[2], name: 'Kreis A1 neu' }]),
    ).toEqual([]);
  });
});

let t: TestApp;
let orgs: OrgTree;
let adminA1: Client;
let organizerA1: Client;
let adminB: Client;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  adminA1 = await loginAs(t, 'admin', orgs.kreisA1);
  organizerA1 = await loginAs(t, 'organizer', orgs.kreisA1);
  adminB = await loginAs(t, 'admin', orgs.landB);
});
afterAll(() => t.close());

const personOfB = async (postalCode: string) => {
  const res = await adminB.post('/api/people', {
    orgId: orgs.landB,
    lastName: `B-${postalCode}`,
    postalCode,
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; orgId: string };
};

describe('catchment hijack', () => {
  it("a new unit with another Land's postal code is refused (422 naming the code) and nobody moves", async () => {
    const victim = await personOfB('99084');
    expect(victim.orgId).toBe(orgs.ortB1a);
    const create = await adminA1.post('/api/orgs', {
      name: 'Ort Kuckuck',
      kind: 'local',
      parentId: orgs.kreisA1,
      postalCodes: ['99084'],
    });
    expect(create.statusCode).toBe(422);
    expect(create.json().error.code).toBe('rule_violation');
    expect(create.json().error.message).toContain('99084');
    expect(create.json().error.details).toEqual([
      { path: 'body.postalCodes', message: '99084: outside Kreis A1' },
    ]);
    expect(
      await t.db.selectFrom('orgUnits').select('id').where('name', '=', 'Ort Kuckuck').execute(),
    ).toEqual([]);

    // The same through PATCH of an existing unit of A1.
    const patch = await adminA1.patch(`/api/orgs/${orgs.ortA1b}`, { postalCodes: ['01069', '99'] });
    expect(patch.statusCode).toBe(422);
    expect((await adminB.get(`/api/people/${victim.id}`)).json().orgId).toBe(orgs.ortB1a);
    expect((await organizerA1.get(`/api/people/${victim.id}`)).statusCode).toBe(404);
  });

  it("a code of a sibling's catchment is a 409 that names the sibling", async () => {
    const res = await adminA1.post('/api/orgs', {
      name: 'Ort Doppelt',
      kind: 'local',
      parentId: orgs.kreisA1,
      postalCodes: ['01067'],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('conflict');
    expect(res.json().error.message).toContain('Ort A1a');
    // The form asks first and gets the same answer without saving anything.
    const check = await adminA1.post('/api/orgs/catchment-check', {
      parentId: orgs.kreisA1,
      postalCodes: ['01067', '99084', '01099'],
    });
    expect(check.statusCode).toBe(200);
    expect(check.json().problems).toEqual([
      { kind: 'outside_parent', code: '99084', unitName: '', otherUnitName: 'Kreis A1' },
      { kind: 'overlap', code: '01067', unitName: '', otherUnitName: 'Ort A1a', otherCode: '01067' },
    ]);
    const fine = await adminA1.post('/api/orgs/catchment-check', {
      orgId: orgs.ortA1b,
      postalCodes: ['01069', '01099'],
    });
    expect(fine.json().problems).toEqual([]);
    // Out of scope: the check is not a way to probe other branches' units.
    expect(
      (await adminA1.post('/api/orgs/catchment-check', { orgId: orgs.ortB1a, postalCodes: ['1'] }))
        .statusCode,
    ).toBe(404);
  });

  it('moving a unit under another parent must keep its codes inside the new parent', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const superadmin = await loginAs(t, 'superadmin');
    const moved = await superadmin.patch(`/api/orgs/${orgs.ortA2a}`, { parentId: orgs.kreisB1 });
    expect(moved.statusCode).toBe(422);
    expect(moved.json().error.message).toContain('04109');
  });

  it('re-routing after a change only moves people inside the subtree of the unit that did it', async () => {
    const landAdmin = await loginAs(t, 'admin', orgs.landA);
    // Land A routes 045… directly (no Kreis has it); a Kreis without codes of its own comes next.
    const routedInLand = (
      await landAdmin.post('/api/people', { orgId: orgs.landA, lastName: 'Landkind', postalCode: '04500' })
    ).json();
    expect(routedInLand.orgId).toBe(orgs.landA);
    const kreis = (
      await landAdmin.post('/api/orgs', { name: 'Kreis A3', kind: 'district', parentId: orgs.landA })
    ).json();
    const kreisAdmin = await loginAs(t, 'admin', kreis.id);
    const ort = await kreisAdmin.post('/api/orgs', {
      name: 'Ort A3a',
      kind: 'local',
      parentId: kreis.id,
      postalCodes: ['045'],
    });
    expect(ort.statusCode).toBe(201);
    // The Land's person is not pulled into the Kreis admin's branch.
    expect((await landAdmin.get(`/api/people/${routedInLand.id}`)).json().orgId).toBe(orgs.landA);
    expect((await kreisAdmin.get(`/api/people/${routedInLand.id}`)).statusCode).toBe(404);
    // People entered afterwards route by the new catchment; the Land admin's own changes re-route all.
    const later = (
      await landAdmin.post('/api/people', { orgId: orgs.landA, lastName: 'Neu', postalCode: '04501' })
    ).json();
    expect(later.orgId).toBe(ort.json().id);
    await landAdmin.patch(`/api/orgs/${ort.json().id}`, { postalCodes: ['045', '0459'] });
    expect((await landAdmin.get(`/api/people/${routedInLand.id}`)).json().orgId).toBe(ort.json().id);
  });
});

describe('sideways push', () => {
  it('an organizer cannot move a person into another Land by the postal code: stays, with a warning', async () => {
    const p = (
      await organizerA1.post('/api/people', { orgId: orgs.kreisA1, lastName: 'Umzug', postalCode: '01069' })
    ).json();
    expect(p.orgId).toBe(orgs.ortA1b);
    const res = await organizerA1.patch(`/api/people/${p.id}`, { homeOrgId: null, postalCode: '99084' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      orgId: orgs.ortA1b,
      homeOrgId: orgs.ortA1b,
      postalCode: '99084',
      warnings: [{ code: 'postal_code_outside_scope' }],
    });
    expect((await adminB.get(`/api/people/${p.id}`)).statusCode).toBe(404);

    // A postal-code change alone (a routed person) is held the same way.
    const q = (
      await organizerA1.post('/api/people', { orgId: orgs.kreisA1, lastName: 'Zwei', postalCode: '01067' })
    ).json();
    const moved = await organizerA1.patch(`/api/people/${q.id}`, { postalCode: '99084' });
    expect(moved.json()).toMatchObject({ orgId: orgs.ortA1a, homeOrgId: orgs.ortA1a });
    expect(moved.json().warnings).toHaveLength(1);
    expect((await adminB.get(`/api/people/${q.id}`)).statusCode).toBe(404);

    // Inside the organizer's units routing works as before, without a warning.
    const inside = await organizerA1.patch(`/api/people/${p.id}`, { homeOrgId: null, postalCode: '01067' });
    expect(inside.json()).toMatchObject({ orgId: orgs.ortA1a, homeOrgId: null });
    expect(inside.json().warnings).toBeUndefined();
    // An explicit unit outside the organizer's scope is not found.
    expect((await organizerA1.patch(`/api/people/${p.id}`, { homeOrgId: orgs.ortB1a })).statusCode).toBe(404);
  });
});
