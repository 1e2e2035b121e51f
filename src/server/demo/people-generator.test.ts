import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, type OrgTree } from '../../../test/factories.ts';
import { subtreeIds } from '../orgs/orgs.repo.ts';
import { generatePeople, MIN_JOIN_AGE } from './people-generator.ts';

let t: TestApp;
let orgs: OrgTree;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
});
afterAll(() => t.close());

describe('people generator', () => {
  it('creates searchable German people inside the subtree, routed by postal code, with unique member numbers', async () => {
    expect(await generatePeople(t.db, { count: 500, rootOrgId: orgs.landA, batchSize: 200 })).toBe(500);
    const people = await t.db
      .selectFrom('people')
      .select(['id', 'orgId', 'postalCode', 'memberNumber', 'searchText', 'membershipStatus'])
      .execute();
    expect(people).toHaveLength(500);
    const inLandA = new Set(await subtreeIds(t.db, [orgs.landA]));
    expect(people.every((p) => inLandA.has(p.orgId))).toBe(true);
    // Postal codes come from the Land's catchments, and routing puts people in the deepest matching unit.
    expect(people.every((p) => /^(01|04)\d{3}$/.test(p.postalCode ?? ''))).toBe(true);
    expect(people.filter((p) => p.postalCode === '01067').every((p) => p.orgId === orgs.ortA1a)).toBe(true);
    const numbers = people.map((p) => p.memberNumber).filter(Boolean);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(new Set(people.map((p) => p.membershipStatus))).toEqual(
      new Set(['member', 'supporter', 'interested', 'former']),
    );

    // Coherent lives: nobody joins before they are 16 or in the future, former members left after
    // joining, only (former) members have membership dates; ages between 16 and 92.
    const lives = await t.db
      .selectFrom('people')
      .select([
        'membershipStatus',
        sql<number>`extract(year from age(current_date, birth_date))::int`.as('age'),
        sql<number | null>`extract(year from age(joined_on, birth_date))::int`.as('joinAge'),
        sql<boolean>`joined_on > current_date`.as('joinedInFuture'),
        sql<boolean>`left_on < joined_on or left_on > current_date`.as('leftOddly'),
        'joinedOn',
        'leftOn',
      ])
      .execute();
    for (const p of lives) {
      expect(p.age).toBeGreaterThanOrEqual(16);
      expect(p.age).toBeLessThanOrEqual(92);
      const member = p.membershipStatus === 'member' || p.membershipStatus === 'former';
      expect(p.joinedOn !== null).toBe(member);
      expect(p.leftOn !== null).toBe(p.membershipStatus === 'former');
      if (member) {
        expect(p.joinAge).toBeGreaterThanOrEqual(MIN_JOIN_AGE);
        expect(p.joinedInFuture).toBe(false);
      }
      if (p.leftOn) expect(p.leftOddly).toBe(false);
    }
    // A plausible spread, not everyone the same age.
    const ages = lives.map((p) => p.age);
    expect(Math.max(...ages) - Math.min(...ages)).toBeGreaterThan(40);

    const organizer = await loginAs(t, 'organizer', orgs.landA);
    const someone = await t.db.selectFrom('people').select(['lastName']).limit(1).executeTakeFirstOrThrow();
    const found = (
      await organizer.get(`/api/people?orgId=${orgs.landA}&search=${encodeURIComponent(someone.lastName)}`)
    ).json().items;
    expect(found.length).toBeGreaterThan(0);
    expect(
      found.every((p: { lastName: string; firstName: string }) => `${p.firstName} ${p.lastName}`.length > 0),
    ).toBe(true);
  });
});

describe('generating again', () => {
  it('adds people however often it runs, with any seeds: member numbers never clash', async () => {
    const before = await t.db
      .selectFrom('people')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    for (const seed of [7, 8, 7]) {
      expect(await generatePeople(t.db, { count: 300, rootOrgId: orgs.landA, seed })).toBe(300);
    }
    const after = await t.db
      .selectFrom('people')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(900);
    const numbers = await t.db
      .selectFrom('people')
      .select('memberNumber')
      .where('memberNumber', 'is not', null)
      .execute();
    expect(new Set(numbers.map((r) => r.memberNumber)).size).toBe(numbers.length);
  });
});
