import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/db.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { DEMO_PEOPLE, isDatabaseEmpty, seedDemo } from './seed-demo.ts';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('demo seed', () => {
  it('creates the demo party: 22 units, 6 users with passwords, 2,000 people spread over the Ortsverbände', async () => {
    expect(await isDatabaseEmpty(database.db)).toBe(true);
    const credentials = await seedDemo(database.db);
    expect(credentials.map((c) => c.email)).toContain('admin@demo.draht.local');
    expect(credentials.every((c) => c.password.length >= 12)).toBe(true);
    expect(await isDatabaseEmpty(database.db)).toBe(false);
    const units = await database.db.selectFrom('orgUnits').select(['id', 'kind']).execute();
    expect(units).toHaveLength(22);
    expect(units.filter((u) => u.kind === 'state')).toHaveLength(2);
    expect(units.filter((u) => u.kind === 'district')).toHaveLength(6);
    expect(units.filter((u) => u.kind === 'local')).toHaveLength(12);
    const byKind = await database.db
      .selectFrom('people as p')
      .innerJoin('orgUnits as o', 'o.id', 'p.orgId')
      .select(['o.kind', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('o.kind')
      .execute();
    const total = byKind.reduce((sum, r) => sum + Number(r.n), 0);
    expect(total).toBe(DEMO_PEOPLE);
    // Most land in an Ortsverband; codes outside every Ortsverband stay with their Kreis or Land.
    expect(Number(byKind.find((r) => r.kind === 'local')?.n ?? 0)).toBeGreaterThan(0);
    expect(byKind.find((r) => r.kind === 'federal')).toBeUndefined();
  });
});
