import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, type OrgTree } from '../../../test/factories.ts';
import { completeOnly } from '../../shared/filter-completeness.ts';
import type { FilterNode } from '../../shared/queries.ts';

let t: TestApp;
let orgs: OrgTree;
let admin: Client;
let organizer: Client;
const tag: Record<string, string> = {};
const field: Record<string, string> = {};
let foreignField: string;
const id: Record<string, string> = {};

const isoDaysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  admin = await loginAs(t, 'admin', orgs.landA);
  organizer = await loginAs(t, 'organizer', orgs.kreisA1);
  for (const name of ['Aktiv', 'Presse'])
    tag[name] = (await admin.post(`/api/orgs/${orgs.landA}/tags`, { name })).json().id;
  const defs = [
    ['beruf', 'text'],
    ['spende', 'number'],
    ['seit', 'date'],
    ['aktiv', 'boolean'],
    ['schicht', 'single_choice', ['früh', 'spät']],
    ['themen', 'multiple_choice', ['Umwelt', 'Verkehr', 'Bildung']],
  ] as const;
  for (const [key, type, options] of defs)
    field[key] = (
      await admin.post(`/api/orgs/${orgs.kreisA1}/fields`, { key, label: key, type, options })
    ).json().id;
  foreignField = (
    await admin.post(`/api/orgs/${orgs.kreisA2}/fields`, { label: 'Fremd', type: 'text' })
  ).json().id;

  const add = async (key: string, body: Record<string, unknown>, tagIds: string[] = []) => {
    const res = await admin.post('/api/people', { orgId: orgs.kreisA1, ...body });
    expect(res.statusCode).toBe(201);
    id[key] = res.json().id;
    if (tagIds.length) await admin.put(`/api/people/${id[key]}/tags`, { tagIds });
  };
  await add(
    'anna',
    {
      firstName: 'Anna',
      lastName: 'Alt',
      postalCode: '01067',
      city: 'Dresden',
      membershipStatus: 'member',
      birthDate: '1950-01-01',
      joinedOn: '2020-05-01',
      emails: [{ email: 'anna@example.org' }],
      phones: [{ number: '0171 1234567' }],
      customFields: {
        [field.beruf]: 'Lehrerin',
        [field.spende]: 50,
        [field.seit]: '2021-01-01',
        [field.aktiv]: true,
        [field.schicht]: 'früh',
        [field.themen]: ['Umwelt', 'Verkehr'],
      },
    },
    [tag.Aktiv],
  );
  await add(
    'bernd',
    {
      firstName: 'Bernd',
      lastName: 'Bau',
      postalCode: '01069',
      city: 'Dresden',
      membershipStatus: 'supporter',
      birthDate: '1990-06-15',
      joinedOn: '2024-01-10',
      emails: [{ email: 'bernd@example.org' }],
      phones: [{ number: '0351 123456' }],
      customFields: { [field.spende]: 200, [field.themen]: ['Bildung'] },
    },
    [tag.Aktiv, tag.Presse],
  );
  await add(
    'clara',
    {
      firstName: 'Clara',
      lastName: 'Chor',
      postalCode: '01099',
      membershipStatus: 'interested',
      doNotCall: true,
    },
    [tag.Presse],
  );
  await add('dora', {
    firstName: 'Dora',
    lastName: 'Dorn',
    postalCode: '01067',
    membershipStatus: 'former',
    birthDate: '2000-02-02',
    phones: [{ number: '0172 7654321' }],
  });
  // Outside the organizer's Kreis: never matched, whatever the filter.
  const other = await admin.post('/api/people', {
    orgId: orgs.kreisA2,
    firstName: 'Erik',
    lastName: 'Fremd',
    postalCode: '04109',
    membershipStatus: 'member',
    birthDate: '1950-01-01',
    emails: [{ email: 'erik@example.org' }],
    phones: [{ number: '0173 1111111' }],
  });
  id.erik = other.json().id;
  await admin.put(`/api/people/${id.erik}/tags`, { tagIds: [tag.Aktiv] });
  await t.db.updateTable('people').set({ source: 'import' }).where('id', '=', id.dora).execute();
  await sql`update people set created_at = ${isoDaysAgo(100)}::timestamptz, updated_at = ${isoDaysAgo(100)}::timestamptz
    where id in (${id.clara}::uuid, ${id.dora}::uuid)`.execute(t.db);
});
afterAll(() => t.close());

const preview = (filter: unknown, orgId = orgs.kreisA1, c = organizer) =>
  c.post('/api/queries/preview', { orgId, filter });
/** Last names matched, sorted. */
async function match(filter: FilterNode | Record<string, unknown>, orgId = orgs.kreisA1): Promise<string[]> {
  const res = await preview(filter, orgId);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  expect(body.sample).toHaveLength(Math.min(body.count, 10));
  return body.sample.map((p: { lastName: string }) => p.lastName);
}
const and = (...children: unknown[]) => ({ kind: 'group', op: 'and', children });
const or = (...children: unknown[]) => ({ kind: 'group', op: 'or', children });
const not = <T extends object>(f: T) => ({ ...f, not: true });

describe('smart search: every filter kind', () => {
  it.each([
    ['empty group = everyone in scope', and(), ['Alt', 'Bau', 'Chor', 'Dorn']],
    ['field contains', { kind: 'field', field: 'firstName', op: 'contains', value: 'ER' }, ['Bau']],
    [
      'field equals (case-insensitive)',
      { kind: 'field', field: 'city', op: 'equals', value: 'dresden' },
      ['Alt', 'Bau'],
    ],
    ['field startsWith', { kind: 'field', field: 'lastName', op: 'startsWith', value: 'Do' }, ['Dorn']],
    ['field empty', { kind: 'field', field: 'city', op: 'empty' }, ['Chor', 'Dorn']],
    ['field notEmpty', { kind: 'field', field: 'birthDate', op: 'notEmpty' }, ['Alt', 'Bau', 'Dorn']],
    ['date range', { kind: 'field', field: 'joinedOn', op: 'between', from: '2023-01-01' }, ['Bau']],
    ['date equals', { kind: 'field', field: 'birthDate', op: 'equals', value: '1990-06-15' }, ['Bau']],
    [
      'created within the last 30 days',
      { kind: 'field', field: 'createdAt', op: 'withinLastDays', days: 30 },
      ['Alt', 'Bau'],
    ],
    [
      'updated more than 60 days ago',
      { kind: 'field', field: 'updatedAt', op: 'moreThanDaysAgo', days: 60 },
      ['Chor', 'Dorn'],
    ],
    ['boolean field', { kind: 'field', field: 'doNotCall', op: 'equals', value: true }, ['Chor']],
    ['status', { kind: 'status', statuses: ['member', 'former'] }, ['Alt', 'Dorn']],
    ['postal code list', { kind: 'postalCode', op: 'in', values: ['01069', '01099'] }, ['Bau', 'Chor']],
    [
      'postal code prefix',
      { kind: 'postalCode', op: 'startsWith', values: ['0106'] },
      ['Alt', 'Bau', 'Dorn'],
    ],
    ['postal code range', { kind: 'postalCode', op: 'between', from: '01068', to: '0109' }, ['Bau', 'Chor']],
    ['age range', { kind: 'age', min: 30, max: 40 }, ['Bau']],
    ['age minimum', { kind: 'age', min: 70 }, ['Alt']],
    ['has email', { kind: 'contact', channel: 'email' }, ['Alt', 'Bau']],
    ['has valid phone', { kind: 'contact', channel: 'phone' }, ['Alt', 'Bau', 'Dorn']],
    ['has mobile', { kind: 'contact', channel: 'mobile' }, ['Alt', 'Dorn']],
    ['tags any', { kind: 'tags', match: 'any', tagIds: [] }, ['Alt', 'Bau', 'Chor']],
    ['tags all', { kind: 'tags', match: 'all', tagIds: [] }, ['Bau']],
    ['tags none', { kind: 'tags', match: 'none', tagIds: [] }, ['Dorn']],
    ['source', { kind: 'source', sources: ['import'] }, ['Dorn']],
    [
      'random percent (100 % = all)',
      { kind: 'sample', percent: 100, seed: 'a' },
      ['Alt', 'Bau', 'Chor', 'Dorn'],
    ],
  ])('%s', async (_name, filter, expected) => {
    const f = filter as Record<string, unknown>;
    if (f.kind === 'tags') f.tagIds = [tag.Aktiv, tag.Presse];
    expect(await match(f)).toEqual(expected);
  });

  it('org unit: in the subtree or exactly', async () => {
    expect(await match({ kind: 'orgUnit', orgId: orgs.ortA1a })).toEqual(['Alt', 'Dorn']);
    expect(await match({ kind: 'orgUnit', orgId: orgs.kreisA1, include: 'exact' })).toEqual(['Chor']);
  });

  it('custom fields by their type', async () => {
    const cf = (key: string, cond: Record<string, unknown>) => ({
      kind: 'customField',
      fieldId: field[key],
      ...cond,
    });
    expect(await match(cf('beruf', { op: 'contains', value: 'lehr' }))).toEqual(['Alt']);
    expect(await match(cf('beruf', { op: 'empty' }))).toEqual(['Bau', 'Chor', 'Dorn']);
    expect(await match(cf('spende', { op: 'between', from: 100 }))).toEqual(['Bau']);
    expect(await match(cf('spende', { op: 'equals', value: 50 }))).toEqual(['Alt']);
    expect(await match(cf('seit', { op: 'between', from: '2020-12-31', to: '2021-01-01' }))).toEqual(['Alt']);
    expect(await match(cf('aktiv', { op: 'equals', value: true }))).toEqual(['Alt']);
    expect(await match(cf('schicht', { op: 'equals', value: 'früh' }))).toEqual(['Alt']);
    expect(await match(cf('themen', { op: 'contains', value: 'Bildung' }))).toEqual(['Bau']);
    expect(await match(cf('themen', { op: 'notEmpty' }))).toEqual(['Alt', 'Bau']);
    expect(await match(not(cf('themen', { op: 'contains', value: 'Umwelt' })))).toEqual([
      'Bau',
      'Chor',
      'Dorn',
    ]);
  });

  it('negation includes people where the value is unknown; OR groups; nested groups', async () => {
    expect(await match(not({ kind: 'field', field: 'city', op: 'equals', value: 'Dresden' }))).toEqual([
      'Chor',
      'Dorn',
    ]);
    expect(await match(not({ kind: 'age', min: 30 }))).toEqual(['Chor', 'Dorn']);
    expect(
      await match(
        or(
          { kind: 'status', statuses: ['former'] },
          { kind: 'tags', match: 'all', tagIds: [tag.Presse, tag.Aktiv] },
        ),
      ),
    ).toEqual(['Bau', 'Dorn']);
    expect(
      await match(
        and(
          { kind: 'contact', channel: 'phone' },
          not(or({ kind: 'status', statuses: ['former'] }, { kind: 'age', max: 40 })),
        ),
      ),
    ).toEqual(['Alt']);
    expect(await match(not(and()))).toEqual([]);
  });

  it('a sized sample is stable for a seed and drawn among the other filters of its group', async () => {
    const f = and(
      { kind: 'field', field: 'postalCode', op: 'startsWith', value: '010' },
      { kind: 'sample', size: 2, seed: 'x1' },
    );
    const first = await match(f);
    expect(first).toHaveLength(2);
    expect(await match(f)).toEqual(first);
    const phones = await match(
      and({ kind: 'contact', channel: 'mobile' }, { kind: 'sample', size: 5, seed: 'x1' }),
    );
    expect(phones).toEqual(['Alt', 'Dorn']);
    const seeds = new Set<string>();
    for (const seed of ['a', 'b', 'c', 'd', 'e', 'f'])
      seeds.add((await match({ kind: 'sample', size: 1, seed })).join());
    expect(seeds.size).toBeGreaterThan(1);
  });

  it('never matches outside the subtree it runs in', async () => {
    expect(await match({ kind: 'orgUnit', orgId: orgs.kreisA2 })).toEqual([]);
    expect(await match({ kind: 'postalCode', op: 'startsWith', values: ['04'] })).toEqual([]);
    expect(await match(or({ kind: 'tags', match: 'any', tagIds: [tag.Aktiv] }, not(and())))).toEqual([
      'Alt',
      'Bau',
    ]);
    expect(await match(not({ kind: 'orgUnit', orgId: orgs.kreisA1 }))).toEqual([]);
    // The organizer of Kreis A1 may not run it for Kreis A2 or Land A.
    expect((await preview(and(), orgs.kreisA2)).statusCode).toBe(404);
    expect((await preview(and(), orgs.landA)).statusCode).toBe(404);
    // The Land admin sees both Kreise.
    const land = (await preview({ kind: 'age', min: 70 }, orgs.landA, admin)).json();
    expect(land.count).toBe(2);
  });

  it('counts the same with an age filter added but left empty (the editor leaves it out)', async () => {
    const members = { kind: 'status', statuses: ['member', 'former'] };
    const count = async (filter: unknown) => (await preview(filter)).json().count as number;
    const before = await count(or(members, and({ kind: 'field', field: 'city', op: 'empty' })));
    // What the editor sends while the new age filter has neither bound.
    const sent = completeOnly(
      or(members, and({ kind: 'field', field: 'city', op: 'empty' }, { kind: 'age' })) as FilterNode,
    );
    expect(await count(sent)).toBe(before);
    // An inner group holding only the empty age filter would match everyone inside an OR.
    const alone = completeOnly(or(members, and({ kind: 'age' })) as FilterNode);
    expect(await count(alone)).toBe(await count(members));
    expect(await count(alone)).toBeLessThan(await count(and()));
  });
});

describe('smart search: bad input is a 400 naming the filter', () => {
  const bad = async (filter: unknown, pattern: RegExp) => {
    const res = await preview(filter);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.message).toMatch(pattern);
  };
  it('unknown kind, wrong operator, invalid date, bad options', async () => {
    await bad(
      and({ kind: 'status', statuses: ['member'] }, { kind: 'horoscope' }),
      /^Filter filter\.children\.1 \(horoscope\): unknown filter kind "horoscope"/,
    );
    await bad(
      { kind: 'field', field: 'firstName', op: 'between', from: 'a' },
      /^Filter filter \(field\): field "firstName": operator "between" is not allowed for a text field/,
    );
    await bad(
      { kind: 'field', field: 'joinedOn', op: 'equals', value: '2023-02-30' },
      /invalid date "2023-02-30"/,
    );
    await bad({ kind: 'field', field: 'passwordHash', op: 'empty' }, /^Filter filter \(field\)/);
    await bad({ kind: 'age' }, /age needs/);
    await bad({ kind: 'sample', seed: 'x' }, /sample needs/);
    await bad(
      { kind: 'customField', fieldId: field.spende, op: 'contains', value: 'x' },
      /Filter filter \(customField\).*operator "contains" is not allowed for a number field/,
    );
    await bad(
      and({ kind: 'customField', fieldId: field.seit, op: 'equals', value: 'gestern' }),
      /filter\.children\.0.*invalid date/,
    );
  });
  it('a custom field or tag of another unit', async () => {
    await bad(
      and({ kind: 'customField', fieldId: foreignField, op: 'notEmpty' }),
      /Filter filter\.children\.0 \(customField\): custom field .* is not available in this unit/,
    );
    const foreignTag = (await admin.post(`/api/orgs/${orgs.kreisA2}/tags`, { name: 'Fremd' })).json().id;
    await bad({ kind: 'tags', match: 'any', tagIds: [foreignTag] }, /\(tags\): tag .* is not available/);
  });
  it('too deep and too big', async () => {
    let deep: unknown = { kind: 'status', statuses: ['member'] };
    for (let i = 0; i < 7; i++) deep = and(deep);
    await bad(deep, /nested too deeply \(at most 6 levels\)/);
    await bad(
      or(...Array.from({ length: 120 }, () => ({ kind: 'contact', channel: 'email' }))),
      /too many conditions \(at most 100\)/,
    );
  });
});

describe('saved lists', () => {
  const create = (body: Record<string, unknown>) =>
    organizer.post('/api/queries', { orgId: orgs.kreisA1, ...body });

  it('dynamic lists follow the data; snapshot lists keep the people of the moment', async () => {
    const filter = { kind: 'tags', match: 'any', tagIds: [tag.Presse] };
    const dyn = await create({ name: 'Presse', description: 'Alle mit Presse-Tag', filter, mode: 'dynamic' });
    expect(dyn.statusCode, dyn.body).toBe(201);
    expect(dyn.json()).toMatchObject({
      name: 'Presse',
      mode: 'dynamic',
      orgId: orgs.kreisA1,
      snapshotAt: null,
      filter,
    });
    const snap = (await create({ name: 'Presse (fest)', filter, mode: 'snapshot' })).json();
    expect(snap).toMatchObject({ mode: 'snapshot', snapshotCount: 2 });
    await admin.put(`/api/people/${id.dora}/tags`, { tagIds: [tag.Presse] });
    const names = async (qid: string) =>
      (await organizer.get(`/api/queries/${qid}/people`))
        .json()
        .items.map((p: { lastName: string }) => p.lastName);
    expect(await names(dyn.json().id)).toEqual(['Bau', 'Chor', 'Dorn']);
    expect(await names(snap.id)).toEqual(['Bau', 'Chor']);
    // Refreshing the snapshot takes the people of now.
    const refreshed = await organizer.patch(`/api/queries/${snap.id}`, { refresh: true });
    expect(refreshed.json().snapshotCount).toBe(3);
    await admin.put(`/api/people/${id.dora}/tags`, { tagIds: [] });
    // Listed for the unit, readable, renamable, deletable.
    const list = (await organizer.get(`/api/queries?orgId=${orgs.kreisA1}`)).json().items;
    expect(list.map((q: { name: string }) => q.name)).toEqual(['Presse', 'Presse (fest)']);
    expect(
      (await organizer.patch(`/api/queries/${dyn.json().id}`, { name: 'Presseverteiler' })).json().name,
    ).toBe('Presseverteiler');
    expect((await organizer.delete(`/api/queries/${snap.id}`)).statusCode).toBe(204);
    expect((await organizer.get(`/api/queries/${snap.id}`)).statusCode).toBe(404);
    const audit = await t.db
      .selectFrom('auditLog')
      .select('action')
      .where('targetId', '=', snap.id)
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['query.created', 'query.deleted', 'query.updated']);
  });

  it('lists include and exclude other lists; a list referring to itself is a 400', async () => {
    const a = (
      await create({ name: 'A', filter: { kind: 'status', statuses: ['member', 'supporter'] } })
    ).json();
    const b = (await create({ name: 'B', filter: and({ kind: 'savedQuery', queryId: a.id }) })).json();
    expect(await match({ kind: 'savedQuery', queryId: b.id })).toEqual(['Alt', 'Bau']);
    expect(await match({ kind: 'savedQuery', queryId: a.id, mode: 'exclude' })).toEqual(['Chor', 'Dorn']);
    const direct = await organizer.patch(`/api/queries/${a.id}`, {
      filter: { kind: 'savedQuery', queryId: a.id },
    });
    expect(direct.statusCode).toBe(400);
    expect(direct.json().error.message).toMatch(/Filter filter \(savedQuery\): the list .* refers to itself/);
    const indirect = await organizer.patch(`/api/queries/${a.id}`, {
      filter: or({ kind: 'status', statuses: ['member'] }, { kind: 'savedQuery', queryId: b.id }),
    });
    expect(indirect.statusCode).toBe(400);
    expect(indirect.json().error.message).toMatch(/filter\.children\.1 \(savedQuery\).*refers to itself/);
    // A list others include cannot be deleted.
    expect((await organizer.delete(`/api/queries/${a.id}`)).statusCode).toBe(409);
    // A list of a unit one may not read is unknown.
    const foreign = (
      await admin.post('/api/queries', { orgId: orgs.kreisA2, name: 'Fremd', filter: and() })
    ).json();
    await expect(preview({ kind: 'savedQuery', queryId: foreign.id })).resolves.toMatchObject({
      statusCode: 400,
    });
    expect((await organizer.get(`/api/queries/${foreign.id}`)).statusCode).toBe(404);
    expect((await organizer.get(`/api/queries?orgId=${orgs.kreisA2}`)).statusCode).toBe(404);
  });

  it('pages through the people of a list', async () => {
    const q = (await create({ name: 'Alle', filter: and() })).json();
    const first = (await organizer.get(`/api/queries/${q.id}/people?limit=3`)).json();
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).toBeTruthy();
    const second = (
      await organizer.get(`/api/queries/${q.id}/people?limit=3&cursor=${first.nextCursor}`)
    ).json();
    expect([...first.items, ...second.items].map((p: { lastName: string }) => p.lastName)).toEqual([
      'Alt',
      'Bau',
      'Chor',
      'Dorn',
    ]);
    expect(second.nextCursor).toBeNull();
  });

  it('exports the result of a list', async () => {
    const q = (await create({ name: 'Mobil', filter: { kind: 'contact', channel: 'mobile' } })).json();
    const res = await organizer.post('/api/exports', {
      orgId: orgs.kreisA1,
      queryId: q.id,
      columns: ['lastName', 'mobile'],
      format: 'csv',
    });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.toString('utf8').slice(1).trim().split('\r\n')).toEqual([
      'Nachname;Mobil',
      'Alt;0171 1234567',
      'Dorn;0172 7654321',
    ]);
  });

  it('describes the registered filter kinds with their option schemas', async () => {
    const res = await organizer.get('/api/queries/filter-kinds');
    expect(res.statusCode).toBe(200);
    const kinds = res.json().items.map((k: { kind: string }) => k.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'group',
        'field',
        'customField',
        'status',
        'orgUnit',
        'postalCode',
        'age',
        'contact',
        'tags',
        'source',
        'sample',
        'savedQuery',
      ]),
    );
    const tags = res.json().items.find((k: { kind: string }) => k.kind === 'tags');
    expect(tags.schema.properties.match.enum).toEqual(['any', 'all', 'none']);
    const caller = await loginAs(t, 'caller', orgs.kreisA1);
    expect((await caller.get('/api/queries/filter-kinds')).statusCode).toBe(403);
    expect(
      (await caller.post('/api/queries/preview', { orgId: orgs.kreisA1, filter: and() })).statusCode,
    ).toBe(403);
  });
});
