import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/app.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { loginAs } from '../../../test/factories.ts';
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

  it('has the mailer ready: settings inherited, two saved lists, reach for both purposes', async () => {
    const t = await createTestApp({ database });
    try {
      const sachsen = await database.db
        .selectFrom('orgUnits')
        .select('id')
        .where('slug', '=', 'landesverband-sachsen')
        .executeTakeFirstOrThrow();
      const dresden = await database.db
        .selectFrom('orgUnits')
        .select('id')
        .where('name', '=', 'Kreisverband Dresden')
        .executeTakeFirstOrThrow();
      const organizer = await loginAs(t, 'organizer', sachsen.id);
      // A Kreis without settings of its own sends with the Landesverband's.
      const settings = (await organizer.get(`/api/orgs/${dresden.id}/mail-settings`)).json();
      expect(settings).toMatchObject({ senderName: 'Demo-Partei Sachsen', inheritedFrom: sachsen.id });
      const lists = await database.db
        .selectFrom('queries')
        .select(['id', 'name'])
        .where('orgId', '=', sachsen.id)
        .orderBy('name')
        .execute();
      expect(lists.map((l) => l.name)).toEqual(['Interessierte in Dresden', 'Mitglieder Sachsen']);
      const members = lists.find((l) => l.name === 'Mitglieder Sachsen')!.id;
      const reach = async (purpose: string) => {
        const created = await organizer.post('/api/mailings', {
          orgId: sachsen.id,
          subject: 'Hallo {{firstName|zusammen}}',
          html: '<p>Demo</p>',
          purpose,
          queryId: members,
        });
        expect(created.statusCode).toBe(201);
        return (await organizer.get(`/api/mailings/${created.json().id}/reach`)).json();
      };
      const info = await reach('member_info');
      const newsletter = await reach('newsletter');
      expect(info.total).toBeGreaterThan(100);
      expect(info.reachable).toBeGreaterThan(info.total / 2);
      // About 30 % of Sachsen agreed to the newsletter: fewer reachable, never none.
      expect(newsletter.reachable).toBeGreaterThan(info.reachable * 0.15);
      expect(newsletter.reachable).toBeLessThan(info.reachable * 0.5);
      expect(newsletter.excluded.noConsent).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });
});
