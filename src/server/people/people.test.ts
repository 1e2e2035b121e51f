import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, type OrgTree } from '../../../test/factories.ts';

let t: TestApp;
let orgs: OrgTree;
let organizerA: Client;
let adminA: Client;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  organizerA = await loginAs(t, 'organizer', orgs.landA);
  adminA = await loginAs(t, 'admin', orgs.landA);
});
afterAll(() => t.close());

const create = (c: Client, body: Record<string, unknown>) =>
  c.post('/api/people', { orgId: orgs.landA, ...body });

describe('people records', () => {
  it('creates a person, normalises phones, routes by postal code and records the creation', async () => {
    const res = await create(organizerA, {
      firstName: 'Jürgen',
      lastName: 'Müller',
      postalCode: '01067',
      city: 'Dresden',
      memberNumber: 'M-1001',
      membershipStatus: 'member',
      birthDate: '1980-12-31',
      emails: [{ email: 'juergen@example.org' }, { email: 'j.m@example.org', isPrimary: true }],
      phones: [{ number: '0351 / 123 45-6' }, { number: '0171 1234567' }, { number: 'keine' }],
    });
    expect(res.statusCode).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({
      orgId: orgs.ortA1a,
      homeOrgId: null,
      orgName: 'Ort A1a',
      birthDate: '1980-12-31',
      source: 'manual',
    });
    expect(p.emails.find((e: { isPrimary: boolean }) => e.isPrimary).email).toBe('j.m@example.org');
    expect(
      p.phones.map((x: { e164: string | null; type: string; status: string }) => [x.e164, x.type, x.status]),
    ).toEqual(
      expect.arrayContaining([
        ['+49351123456', 'landline', 'valid'],
        ['+491711234567', 'mobile', 'valid'],
        [null, 'landline', 'invalid'],
      ]),
    );
    const changes = await t.db
      .selectFrom('personChanges')
      .select(['kind', 'orgId'])
      .where('personId', '=', p.id)
      .execute();
    expect(changes).toEqual([{ kind: 'created', orgId: orgs.ortA1a }]);
    const timeline = (await organizerA.get(`/api/people/${p.id}/timeline`)).json().items;
    expect(timeline.map((e: { kind: string }) => e.kind)).toEqual(['person.created']);
  });

  it('keeps a person in the unit they were entered for when the postal code routes outside it', async () => {
    const organizerA1 = await loginAs(t, 'organizer', orgs.kreisA1);
    const res = await organizerA1.post('/api/people', {
      orgId: orgs.kreisA1,
      lastName: 'Zugezogen',
      postalCode: '99084',
    });
    expect(res.json()).toMatchObject({ orgId: orgs.kreisA1, homeOrgId: orgs.kreisA1 });
  });

  it('refuses a second person with the same member number (409) and a nameless one (400)', async () => {
    await create(organizerA, { lastName: 'Eins', memberNumber: 'M-2000' });
    const dup = await create(organizerA, { lastName: 'Zwei', memberNumber: 'M-2000' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.message).toContain('M-2000');
    const nameless = await create(organizerA, { firstName: '', lastName: '' });
    expect(nameless.statusCode).toBe(400);
    const badDate = await create(organizerA, { lastName: 'X', birthDate: '31.12.1980' });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().error.details[0].path).toBe('body.birthDate');
  });

  it('updates fields, re-routes on a new postal code, and records updated/moved/departed changes', async () => {
    const p = (
      await create(organizerA, {
        firstName: 'Anna',
        lastName: 'Umzug',
        postalCode: '01067',
        membershipStatus: 'member',
      })
    ).json();
    const res = await organizerA.patch(`/api/people/${p.id}`, {
      postalCode: '04109',
      phones: [{ number: '0341 9876543' }],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ orgId: orgs.ortA2a, postalCode: '04109' });
    await organizerA.patch(`/api/people/${p.id}`, { membershipStatus: 'former', leftOn: '2026-11-01' });
    const kinds = (
      await t.db
        .selectFrom('personChanges')
        .select('kind')
        .where('personId', '=', p.id)
        .orderBy('at')
        .execute()
    ).map((c) => c.kind);
    expect(kinds).toEqual(['created', 'updated', 'moved', 'updated', 'departed']);
    const unchanged = await organizerA.patch(`/api/people/${p.id}`, { lastName: 'Umzug' });
    expect(unchanged.statusCode).toBe(200);
    expect(
      await t.db.selectFrom('personChanges').select('kind').where('personId', '=', p.id).execute(),
    ).toHaveLength(5);
  });

  it('re-routes people when a catchment changes', async () => {
    const p = (await create(organizerA, { lastName: 'Neubau', postalCode: '01099' })).json();
    expect(p.orgId).toBe(orgs.kreisA1);
    await adminA.patch(`/api/orgs/${orgs.ortA1b}`, { postalCodes: ['01069', '01099'] });
    expect((await organizerA.get(`/api/people/${p.id}`)).json().orgId).toBe(orgs.ortA1b);
  });

  it('erases a person with everything attached', async () => {
    const p = (await create(organizerA, { lastName: 'Weg', emails: [{ email: 'weg@example.org' }] })).json();
    await organizerA.post(`/api/people/${p.id}/notes`, { text: 'Bitte löschen' });
    expect((await organizerA.delete(`/api/people/${p.id}`)).statusCode).toBe(204);
    expect((await organizerA.get(`/api/people/${p.id}`)).statusCode).toBe(404);
    expect(await t.db.selectFrom('personEmails').select('id').where('personId', '=', p.id).execute()).toEqual(
      [],
    );
    expect(await t.db.selectFrom('notes').select('id').where('personId', '=', p.id).execute()).toEqual([]);
    const audit = await t.db.selectFrom('auditLog').select('action').where('targetId', '=', p.id).execute();
    expect(audit.map((a) => a.action)).toContain('person.deleted');
  });
});

describe('scope and permissions', () => {
  it('hides people of sibling units (404) and keeps callers out of the module (403)', async () => {
    const p = (await create(organizerA, { lastName: 'Geheim', postalCode: '01067' })).json();
    const organizerB = await loginAs(t, 'organizer', orgs.landB);
    expect((await organizerB.get(`/api/people/${p.id}`)).statusCode).toBe(404);
    expect((await organizerB.patch(`/api/people/${p.id}`, { lastName: 'X' })).statusCode).toBe(404);
    expect((await organizerB.get(`/api/people?orgId=${orgs.landA}`)).statusCode).toBe(404);
    const list = (await organizerB.get(`/api/people?orgId=${orgs.landB}&search=geheim`)).json();
    expect(list.items).toEqual([]);
    const caller = await loginAs(t, 'caller', orgs.ortA1a);
    expect((await caller.get(`/api/people/${p.id}`)).statusCode).toBe(403);
    expect((await caller.get(`/api/people?orgId=${orgs.ortA1a}`)).statusCode).toBe(403);
  });

  it('audit-logs every profile view', async () => {
    const p = (await create(organizerA, { lastName: 'Angesehen' })).json();
    await organizerA.get(`/api/people/${p.id}`);
    const views = await t.db
      .selectFrom('auditLog')
      .select(['actorUserId'])
      .where('action', '=', 'person.viewed')
      .where('targetId', '=', p.id)
      .execute();
    expect(views).toEqual([{ actorUserId: organizerA.userId }]);
  });
});

describe('list and search', () => {
  beforeAll(async () => {
    const people = [
      { firstName: 'Petra', lastName: 'Müller', postalCode: '01069', phones: [{ number: '0351 555 1234' }] },
      { firstName: 'Hans', lastName: 'Müller', postalCode: '04109', phones: [{ number: '0341 555 1234' }] },
      {
        firstName: 'Klaus',
        lastName: 'Schmidt',
        postalCode: '01067',
        emails: [{ email: 'klaus.schmidt@example.org' }],
      },
      {
        firstName: 'Sabine',
        lastName: 'Schneider',
        postalCode: '01067',
        memberNumber: 'LV-77812',
        membershipStatus: 'member',
      },
    ];
    for (const p of people) await create(organizerA, p);
  });

  const search = async (q: string, extra = '') =>
    (await organizerA.get(`/api/people?orgId=${orgs.landA}&search=${encodeURIComponent(q)}${extra}`))
      .json()
      .items.map((p: { firstName: string; lastName: string }) => `${p.firstName} ${p.lastName}`);

  it('finds by name, several terms, umlaut spelling, phone, email and member number', async () => {
    // Jürgen Müller (first test) also has a Dresden number; Hans Müller has a Leipzig one.
    expect((await search('müller 0351')).sort()).toEqual(['Jürgen Müller', 'Petra Müller']);
    expect(await search('mueller')).toEqual(expect.arrayContaining(['Petra Müller', 'Hans Müller']));
    expect(await search('+49 341 555')).toEqual(['Hans Müller']);
    expect(await search('klaus.schmidt@')).toEqual(['Klaus Schmidt']);
    expect(await search('LV-77812')).toEqual(['Sabine Schneider']);
  });

  it('tolerates a typo', async () => {
    expect(await search('Schnieder')).toContain('Sabine Schneider');
  });

  it('filters by status and a sub-unit, and pages with a stable cursor', async () => {
    expect(await search('schneider', '&status=member')).toEqual(['Sabine Schneider']);
    expect(await search('schneider', '&status=former')).toEqual([]);
    const inOrt = (await organizerA.get(`/api/people?orgId=${orgs.ortA1a}`)).json().items;
    expect(inOrt.every((p: { orgId: string }) => p.orgId === orgs.ortA1a)).toBe(true);

    const all = (await organizerA.get(`/api/people?orgId=${orgs.landA}&limit=500`))
      .json()
      .items.map((p: { id: string }) => p.id);
    for (const sort of ['name', '-name', 'created', '-created', 'postalCode']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { items: { id: string }[]; nextCursor: string | null } = (
          await organizerA.get(
            `/api/people?orgId=${orgs.landA}&limit=3&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`,
          )
        ).json();
        seen.push(...res.items.map((p) => p.id));
        cursor = res.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual([...all].sort());
    }
    const byName = (await organizerA.get(`/api/people?orgId=${orgs.landA}&limit=500&sort=name`)).json().items;
    const names = byName.map((p: { lastName: string }) => p.lastName);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });
});

describe('tags, custom fields and notes', () => {
  it('inherits tags and fields down the tree, not up or sideways', async () => {
    const landTag = (
      await organizerA.post(`/api/orgs/${orgs.landA}/tags`, {
        name: 'Aktiv',
        color: 'green',
        group: 'Engagement',
      })
    ).json();
    const ortTag = (await organizerA.post(`/api/orgs/${orgs.ortA1a}/tags`, { name: 'Plakate' })).json();
    const dup = await organizerA.post(`/api/orgs/${orgs.landA}/tags`, { name: 'aktiv' });
    expect(dup.statusCode).toBe(409);
    const visibleInOrt = (await organizerA.get(`/api/orgs/${orgs.ortA1a}/tags`))
      .json()
      .items.map((x: { id: string }) => x.id);
    expect(visibleInOrt).toEqual(expect.arrayContaining([landTag.id, ortTag.id]));
    const visibleInKreis = (await organizerA.get(`/api/orgs/${orgs.kreisA1}/tags`))
      .json()
      .items.map((x: { id: string }) => x.id);
    expect(visibleInKreis).toContain(landTag.id);
    expect(visibleInKreis).not.toContain(ortTag.id);

    const p = (await create(organizerA, { lastName: 'Getaggt', postalCode: '01067' })).json();
    const tagged = await organizerA.put(`/api/people/${p.id}/tags`, { tagIds: [landTag.id, ortTag.id] });
    expect(tagged.statusCode).toBe(200);
    expect(
      tagged
        .json()
        .tags.map((x: { name: string }) => x.name)
        .sort(),
    ).toEqual(['Aktiv', 'Plakate']);
    const otherOrtTag = (await organizerA.post(`/api/orgs/${orgs.ortA1b}/tags`, { name: 'Fremd' })).json();
    const wrong = await organizerA.put(`/api/people/${p.id}/tags`, { tagIds: [otherOrtTag.id] });
    expect(wrong.statusCode).toBe(400);
    expect(
      (await organizerA.get(`/api/people?orgId=${orgs.landA}&tag=${ortTag.id}`))
        .json()
        .items.map((x: { id: string }) => x.id),
    ).toEqual([p.id]);
    await organizerA.put(`/api/people/${p.id}/tags`, { tagIds: [landTag.id] });
    expect(
      (await organizerA.get(`/api/people/${p.id}`)).json().tags.map((x: { name: string }) => x.name),
    ).toEqual(['Aktiv']);
  });

  it('bulk-tags only the people inside the subtree', async () => {
    const tag = (await organizerA.post(`/api/orgs/${orgs.landA}/tags`, { name: 'Newsletter' })).json();
    const inside = (await create(organizerA, { lastName: 'Drin' })).json();
    const organizerB = await loginAs(t, 'organizer', orgs.landB);
    const outside = (await organizerB.post('/api/people', { orgId: orgs.landB, lastName: 'Draußen' })).json();
    const res = await organizerA.post('/api/people/bulk-tags', {
      orgId: orgs.landA,
      personIds: [inside.id, outside.id],
      addTagIds: [tag.id],
    });
    expect(res.json()).toEqual({ updated: 1 });
    const tagged = await t.db
      .selectFrom('personTags')
      .select('personId')
      .where('tagId', '=', tag.id)
      .execute();
    expect(tagged).toEqual([{ personId: inside.id }]);
  });

  it('validates custom field values by type; only admins define fields', async () => {
    expect(
      (await organizerA.post(`/api/orgs/${orgs.landA}/fields`, { label: 'Schuhgröße', type: 'number' }))
        .statusCode,
    ).toBe(403);
    const size = (
      await adminA.post(`/api/orgs/${orgs.landA}/fields`, { label: 'Schuhgröße', type: 'number' })
    ).json();
    expect(size.key).toBe('schuhgroesse');
    const choice = (
      await adminA.post(`/api/orgs/${orgs.landA}/fields`, {
        label: 'Interessen',
        type: 'multiple_choice',
        options: ['Umwelt', 'Soziales'],
      })
    ).json();
    expect(
      (await adminA.post(`/api/orgs/${orgs.landA}/fields`, { label: 'Leer', type: 'single_choice' }))
        .statusCode,
    ).toBe(400);
    const bField = (
      await (
        await loginAs(t, 'admin', orgs.landB)
      ).post(`/api/orgs/${orgs.landB}/fields`, { label: 'B-Feld', type: 'text' })
    ).json();

    const ok = await create(organizerA, {
      lastName: 'Feld',
      customFields: { [size.id]: 42, [choice.id]: ['Umwelt'] },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().customFields).toEqual({ [size.id]: 42, [choice.id]: ['Umwelt'] });
    const bad = await create(organizerA, {
      lastName: 'Feld',
      customFields: { [size.id]: 'groß', [choice.id]: ['Sport'], [bField.id]: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toHaveLength(3);
    const cleared = await organizerA.patch(`/api/people/${ok.json().id}`, {
      customFields: { [size.id]: null },
    });
    expect(cleared.json().customFields).toEqual({ [choice.id]: ['Umwelt'] });
  });

  it('adds notes that show in the timeline with their author', async () => {
    const p = (await create(organizerA, { lastName: 'Notiert' })).json();
    const note = await organizerA.post(`/api/people/${p.id}/notes`, {
      text: 'Möchte beim Wahlkampf helfen.',
    });
    expect(note.statusCode).toBe(201);
    const timeline = (await organizerA.get(`/api/people/${p.id}/timeline`)).json().items;
    expect(timeline[0]).toMatchObject({
      kind: 'note.added',
      data: { text: 'Möchte beim Wahlkampf helfen.' },
    });
    expect(timeline[0].actorName).toEqual(expect.any(String));
    expect((await organizerA.post(`/api/people/${p.id}/notes`, { text: '  ' })).statusCode).toBe(400);
  });
});
