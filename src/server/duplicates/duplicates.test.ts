import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, type OrgTree } from '../../../test/factories.ts';
import { scanDuplicates } from './duplicates.service.ts';

let t: TestApp;
let orgs: OrgTree;
let organizerA: Client;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  organizerA = await loginAs(t, 'organizer', orgs.landA);
});
afterAll(() => t.close());

interface Summary {
  id: string;
  firstName: string;
  lastName: string;
  phones: { raw: string; e164: string | null }[];
}
interface Candidate {
  id: string;
  score: number;
  reasons: string[];
  a: Summary;
  b: Summary;
}

const create = async (c: Client, body: Record<string, unknown>, orgId = orgs.landA) => {
  const res = await c.post('/api/people', { orgId, ...body });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; orgId: string };
};
const scan = async (c: Client, orgId: string) => {
  const res = await c.post('/api/duplicates/scan', { orgId });
  expect(res.statusCode).toBe(202);
  return res.json();
};
const list = async (c: Client, orgId: string, extra = ''): Promise<Candidate[]> => {
  const res = await c.get(`/api/duplicates?orgId=${orgId}&limit=500${extra}`);
  expect(res.statusCode).toBe(200);
  return res.json().items;
};
const pairOf = (items: Candidate[], x: string, y: string) =>
  items.find((c) => [c.a.id, c.b.id].sort().join() === [x, y].sort().join());

describe('scan', () => {
  let emailPair: [string, string];
  let phonePair: [string, string];
  let birthPair: [string, string];
  let postalPair: [string, string];
  let fullPair: [string, string];
  let unrelated: [string, string];

  beforeAll(async () => {
    const mk = (body: Record<string, unknown>) => create(organizerA, body).then((p) => p.id);
    emailPair = [
      await mk({ firstName: 'Anna', lastName: 'Adler', emails: [{ email: 'anna.adler@example.org' }] }),
      await mk({ firstName: 'Berta', lastName: 'Zander', emails: [{ email: 'Anna.Adler@Example.org' }] }),
    ];
    phonePair = [
      await mk({ firstName: 'Peter', lastName: 'Pohl', phones: [{ number: '0351 / 765 43-21' }] }),
      await mk({ firstName: 'Olga', lastName: 'Ruf', phones: [{ number: '+49 (351) 7654321' }] }),
    ];
    birthPair = [
      await mk({ firstName: 'Jürgen', lastName: 'Müller', birthDate: '1970-03-01', postalCode: '01067' }),
      await mk({ firstName: 'Juergen', lastName: 'Mueller', birthDate: '1970-03-01', postalCode: '04109' }),
    ];
    postalPair = [
      await mk({ firstName: 'Katharina', lastName: 'Schneider', postalCode: '01069' }),
      await mk({ firstName: 'Katharina', lastName: 'Schnieder', postalCode: '01069' }),
    ];
    fullPair = [
      await mk({
        firstName: 'Sabine',
        lastName: 'Vollmer',
        birthDate: '1985-05-05',
        postalCode: '04109',
        emails: [{ email: 'sabine@example.org' }],
        phones: [{ number: '0341 1112223' }],
      }),
      await mk({
        firstName: 'Sabine',
        lastName: 'Vollmer',
        birthDate: '1985-05-05',
        postalCode: '04109',
        emails: [{ email: 'sabine@example.org' }],
        phones: [{ number: '+49 341 1112223' }],
      }),
    ];
    unrelated = [
      await mk({ firstName: 'Maria', lastName: 'Weber', postalCode: '01069', birthDate: '1990-01-01' }),
      await mk({ firstName: 'Moritz', lastName: 'Wagner', postalCode: '01069', birthDate: '1990-01-01' }),
    ];
    const result = await scan(organizerA, orgs.landA);
    expect(result).toMatchObject({ orgId: orgs.landA, status: 'done' });
  });

  it('finds same email, same phone in other formatting, similar name with same birth date or postal code', async () => {
    const items = await list(organizerA, orgs.landA);
    expect(pairOf(items, ...emailPair)?.reasons).toEqual(['email']);
    expect(pairOf(items, ...phonePair)?.reasons).toEqual(['phone']);
    expect(pairOf(items, ...birthPair)?.reasons).toEqual(['name_birth_date']);
    expect(pairOf(items, ...postalPair)?.reasons).toEqual(['name_postal_code']);
    expect(pairOf(items, ...fullPair)?.reasons).toEqual([
      'email',
      'name_birth_date',
      'name_postal_code',
      'phone',
    ]);
    expect(pairOf(items, ...unrelated)).toBeUndefined();
    // Side by side: what is needed to compare.
    const full = pairOf(items, ...fullPair)!;
    expect(full.a).toMatchObject({
      firstName: 'Sabine',
      lastName: 'Vollmer',
      birthDate: '1985-05-05',
      postalCode: '04109',
      orgName: 'Ort A2a',
      emails: [{ email: 'sabine@example.org', isPrimary: true }],
    });
    expect(full.b.phones[0].e164).toBe('+493411112223');
  });

  it('orders by score, strongest evidence first, and pages through all', async () => {
    const items = await list(organizerA, orgs.landA);
    const scores = items.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    const score = (pair: [string, string]) => pairOf(items, ...pair)!.score;
    expect(score(fullPair)).toBeGreaterThan(score(emailPair));
    expect(score(emailPair)).toBeGreaterThan(score(phonePair));
    expect(score(birthPair)).toBeGreaterThan(score(postalPair));
    expect(score(fullPair)).toBeLessThanOrEqual(1);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { items: Candidate[]; nextCursor: string | null } = (
        await organizerA.get(
          `/api/duplicates?orgId=${orgs.landA}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        )
      ).json();
      seen.push(...res.items.map((c) => c.id));
      cursor = res.nextCursor;
    } while (cursor);
    expect(seen).toEqual(items.map((c) => c.id));
  });

  it('re-scans idempotently; dismissed pairs stay dismissed', async () => {
    const before = await list(organizerA, orgs.landA);
    const pair = pairOf(before, ...phonePair)!;
    const res = await organizerA.post(`/api/duplicates/${pair.id}/dismiss`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: pair.id, status: 'dismissed' });
    await scan(organizerA, orgs.landA);
    await scanDuplicates(t.db, orgs.bund);
    const after = await list(organizerA, orgs.landA);
    expect(after.map((c) => c.id).sort()).toEqual(
      before
        .map((c) => c.id)
        .filter((id) => id !== pair.id)
        .sort(),
    );
    expect((await list(organizerA, orgs.landA, '&status=dismissed')).map((c) => c.id)).toEqual([pair.id]);
    const audit = await t.db
      .selectFrom('auditLog')
      .select('action')
      .where('targetId', '=', pair.id)
      .execute();
    expect(audit).toEqual([{ action: 'duplicates.dismissed' }]);
  });

  it('drops open pairs that no longer match after the data changed', async () => {
    const a = await create(organizerA, { lastName: 'Wechsel', emails: [{ email: 'wechsel@example.org' }] });
    const b = await create(organizerA, { lastName: 'Anders', emails: [{ email: 'wechsel@example.org' }] });
    await scan(organizerA, orgs.landA);
    expect(pairOf(await list(organizerA, orgs.landA), a.id, b.id)).toBeDefined();
    await organizerA.patch(`/api/people/${b.id}`, { emails: [{ email: 'neu@example.org' }] });
    await scan(organizerA, orgs.landA);
    expect(pairOf(await list(organizerA, orgs.landA), a.id, b.id)).toBeUndefined();
  });

  it('shows latest scan status', async () => {
    const res = await organizerA.get(`/api/duplicates/scan?orgId=${orgs.landA}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().scan).toMatchObject({ orgId: orgs.landA, status: 'done', pairs: expect.any(Number) });
  });
});

describe('scope', () => {
  it('never pairs across sibling units for their organizers, and lists only pairs wholly in the subtree', async () => {
    const organizerB = await loginAs(t, 'organizer', orgs.landB);
    const inA = await create(organizerA, { lastName: 'Grenzfall', emails: [{ email: 'grenz@example.org' }] });
    const inB = await create(
      organizerB,
      { lastName: 'Grenzfall', emails: [{ email: 'grenz@example.org' }] },
      orgs.landB,
    );
    await scan(organizerA, orgs.landA);
    await scan(organizerB, orgs.landB);
    expect(pairOf(await list(organizerA, orgs.landA), inA.id, inB.id)).toBeUndefined();
    expect(pairOf(await list(organizerB, orgs.landB), inA.id, inB.id)).toBeUndefined();
    // A scan of the whole party finds it; only someone responsible for both sides sees it.
    const superadmin = await loginAs(t, 'superadmin');
    await scan(superadmin, orgs.bund);
    const pair = pairOf(await list(superadmin, orgs.bund), inA.id, inB.id);
    expect(pair).toBeDefined();
    expect(pairOf(await list(organizerA, orgs.landA), inA.id, inB.id)).toBeUndefined();
    expect((await organizerA.post(`/api/duplicates/${pair!.id}/dismiss`)).statusCode).toBe(404);
    expect((await organizerB.get(`/api/duplicates?orgId=${orgs.landA}`)).statusCode).toBe(404);
    expect((await organizerB.post('/api/duplicates/scan', { orgId: orgs.landA })).statusCode).toBe(404);
    // Merging across is refused for both organizers (one person is out of scope: 404).
    const merge = await organizerA.post('/api/people/merge', {
      keepId: inA.id,
      mergeIds: [inB.id],
      fields: {},
    });
    expect(merge.statusCode).toBe(404);
    expect((await organizerA.get(`/api/people/${inA.id}`)).statusCode).toBe(200);
    expect((await organizerB.get(`/api/people/${inB.id}`)).statusCode).toBe(200);
  });

  it('keeps callers out (403) and rejects bad merge requests (400)', async () => {
    const caller = await loginAs(t, 'caller', orgs.landA);
    const p1 = await create(organizerA, { lastName: 'Eins' });
    const p2 = await create(organizerA, { lastName: 'Zwei' });
    expect((await caller.get(`/api/duplicates?orgId=${orgs.landA}`)).statusCode).toBe(403);
    expect((await caller.post('/api/duplicates/scan', { orgId: orgs.landA })).statusCode).toBe(403);
    expect((await caller.get(`/api/duplicates/scan?orgId=${orgs.landA}`)).statusCode).toBe(403);
    const anyCandidate = (await list(organizerA, orgs.landA))[0];
    expect((await caller.post(`/api/duplicates/${anyCandidate.id}/dismiss`)).statusCode).toBe(403);
    expect(
      (await caller.post('/api/people/merge', { keepId: p1.id, mergeIds: [p2.id], fields: {} })).statusCode,
    ).toBe(403);

    const self = await organizerA.post('/api/people/merge', { keepId: p1.id, mergeIds: [p1.id, p2.id] });
    expect(self.statusCode).toBe(400);
    const foreign = await organizerA.post('/api/people/merge', {
      keepId: p1.id,
      mergeIds: [p2.id],
      fields: { lastName: '00000000-0000-4000-8000-000000000009' },
    });
    expect(foreign.statusCode).toBe(400);
    const unknownField = await organizerA.post('/api/people/merge', {
      keepId: p1.id,
      mergeIds: [p2.id],
      fields: { passwordHash: p2.id },
    });
    expect(unknownField.statusCode).toBe(400);
    const missing = await organizerA.post('/api/people/merge', {
      keepId: p1.id,
      mergeIds: ['00000000-0000-4000-8000-000000000009'],
    });
    expect(missing.statusCode).toBe(404);
    expect((await organizerA.get(`/api/people/${p2.id}`)).statusCode).toBe(200);
  });
});

describe('merge', () => {
  it('keeps everything of both, picks fields as asked, redirects the old id and records the merge', async () => {
    const tag1 = (await organizerA.post(`/api/orgs/${orgs.landA}/tags`, { name: 'Plakate' })).json();
    const tag2 = (await organizerA.post(`/api/orgs/${orgs.landA}/tags`, { name: 'Infostand' })).json();
    const keep = await create(organizerA, {
      firstName: 'Maximilian',
      lastName: 'Muster',
      street: 'Alte Straße',
      houseNumber: '1',
      postalCode: '01067',
      city: 'Dresden',
      memberNumber: 'M-9001',
      membershipStatus: 'member',
      emails: [{ email: 'max@example.org' }],
      phones: [{ number: '0351 1000001' }],
    });
    const other = await create(organizerA, {
      firstName: 'Max',
      lastName: 'Muster',
      birthDate: '1980-02-02',
      street: 'Neue Straße',
      houseNumber: '2',
      postalCode: '04109',
      city: 'Leipzig',
      memberNumber: 'M-9002',
      doNotCall: true,
      emails: [{ email: 'MAX@example.org' }, { email: 'max.muster@example.org' }],
      phones: [{ number: '+49 351 1000001' }, { number: '0171 2000002' }],
    });
    await organizerA.put(`/api/people/${keep.id}/tags`, { tagIds: [tag1.id] });
    await organizerA.put(`/api/people/${other.id}/tags`, { tagIds: [tag1.id, tag2.id] });
    await organizerA.post(`/api/people/${keep.id}/notes`, { text: 'Notiz am Behaltenen' });
    await organizerA.post(`/api/people/${other.id}/notes`, { text: 'Notiz am Zusammengeführten' });
    await scan(organizerA, orgs.landA);
    const candidate = pairOf(await list(organizerA, orgs.landA), keep.id, other.id);
    expect(candidate).toBeDefined();

    const res = await organizerA.post('/api/people/merge', {
      keepId: keep.id,
      mergeIds: [other.id],
      fields: { firstName: other.id, street: other.id, houseNumber: other.id, memberNumber: keep.id },
    });
    expect(res.statusCode).toBe(200);
    const merged = res.json();
    expect(merged).toMatchObject({
      id: keep.id,
      firstName: 'Max', // chosen
      lastName: 'Muster',
      street: 'Neue Straße', // chosen
      houseNumber: '2',
      postalCode: '01067', // not named: the kept person's
      city: 'Dresden',
      birthDate: '1980-02-02', // empty on the kept person: filled
      memberNumber: 'M-9001',
      membershipStatus: 'member',
      doNotCall: true, // an objection is never lost
    });
    expect(merged.emails.map((e: { email: string }) => e.email.toLowerCase()).sort()).toEqual([
      'max.muster@example.org',
      'max@example.org',
    ]);
    expect(merged.emails.filter((e: { isPrimary: boolean }) => e.isPrimary)).toHaveLength(1);
    expect(merged.phones.map((p: { e164: string }) => p.e164).sort()).toEqual([
      '+491712000002',
      '+493511000001',
    ]);
    expect(merged.tags.map((x: { name: string }) => x.name).sort()).toEqual(['Infostand', 'Plakate']);

    // The old id leads to the kept person; the old row is gone.
    const viaOld = await organizerA.get(`/api/people/${other.id}`);
    expect(viaOld.statusCode).toBe(200);
    expect(viaOld.json().id).toBe(keep.id);
    expect(await t.db.selectFrom('people').select('id').where('id', '=', other.id).execute()).toEqual([]);

    // Timeline: both histories plus the merge, with the dropped member number.
    const timeline = (await organizerA.get(`/api/people/${keep.id}/timeline?limit=100`)).json().items;
    const kinds = timeline.map((e: { kind: string }) => e.kind);
    expect(kinds[0]).toBe('person.merged');
    expect(kinds.filter((k: string) => k === 'person.created')).toHaveLength(2);
    expect(kinds.filter((k: string) => k === 'note.added')).toHaveLength(2);
    expect(timeline[0].data).toMatchObject({
      mergedIds: [other.id],
      memberNumber: 'M-9001',
      droppedMemberNumbers: ['M-9002'],
    });
    const notes = await t.db.selectFrom('notes').select('text').where('personId', '=', keep.id).execute();
    expect(notes.map((n) => n.text).sort()).toEqual(['Notiz am Behaltenen', 'Notiz am Zusammengeführten']);
    const changes = await t.db
      .selectFrom('personChanges')
      .select('kind')
      .where('personId', '=', keep.id)
      .execute();
    expect(changes.filter((c) => c.kind === 'created')).toHaveLength(2);

    const audit = await t.db
      .selectFrom('auditLog')
      .select(['action', 'targetId', 'actorUserId'])
      .where('action', 'in', ['person.merged', 'person.merged_away'])
      .where('targetId', 'in', [keep.id, other.id])
      .execute();
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'person.merged', targetId: keep.id, actorUserId: organizerA.userId },
        { action: 'person.merged_away', targetId: other.id, actorUserId: organizerA.userId },
      ]),
    );
    // The pair is settled and no longer listed.
    expect(pairOf(await list(organizerA, orgs.landA), keep.id, other.id)).toBeUndefined();
    const row = await t.db
      .selectFrom('duplicateCandidates')
      .select('status')
      .where('id', '=', candidate!.id)
      .executeTakeFirst();
    expect(row?.status).toBe('merged');
    // The dropped member number is free again; the kept one is not.
    expect((await create(organizerA, { lastName: 'Neu', memberNumber: 'M-9002' })).id).toBeDefined();
    expect(
      (await organizerA.post('/api/people', { orgId: orgs.landA, lastName: 'X', memberNumber: 'M-9001' }))
        .statusCode,
    ).toBe(409);
  });

  it('takes the member number of the merged person when asked', async () => {
    const keep = await create(organizerA, { lastName: 'Nummer', memberNumber: 'N-1' });
    const other = await create(organizerA, { lastName: 'Nummer', memberNumber: 'N-2' });
    const res = await organizerA.post('/api/people/merge', {
      keepId: keep.id,
      mergeIds: [other.id],
      fields: { memberNumber: other.id },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().memberNumber).toBe('N-2');
    const event = (await organizerA.get(`/api/people/${keep.id}/timeline`)).json().items[0];
    expect(event.data.droppedMemberNumbers).toEqual(['N-1']);
  });

  it('redirects chains: every old id points to the final person', async () => {
    const a = await create(organizerA, { lastName: 'Kette', emails: [{ email: 'a@kette.example' }] });
    const b = await create(organizerA, { lastName: 'Kette', emails: [{ email: 'b@kette.example' }] });
    const c = await create(organizerA, { lastName: 'Kette', emails: [{ email: 'c@kette.example' }] });
    expect((await organizerA.post('/api/people/merge', { keepId: b.id, mergeIds: [a.id] })).statusCode).toBe(
      200,
    );
    expect((await organizerA.post('/api/people/merge', { keepId: c.id, mergeIds: [b.id] })).statusCode).toBe(
      200,
    );
    for (const old of [a.id, b.id]) {
      const res = await organizerA.get(`/api/people/${old}`);
      expect(res.json().id).toBe(c.id);
    }
    const redirects = await t.db
      .selectFrom('personRedirects')
      .select(['oldId', 'newId'])
      .where('oldId', 'in', [a.id, b.id])
      .execute();
    expect(redirects.map((r) => r.newId)).toEqual([c.id, c.id]);
    const final = (await organizerA.get(`/api/people/${c.id}`)).json();
    expect(final.emails.map((e: { email: string }) => e.email).sort()).toEqual([
      'a@kette.example',
      'b@kette.example',
      'c@kette.example',
    ]);
    // A merge naming an old id acts on the person it points to.
    const d = await create(organizerA, { lastName: 'Kette' });
    const res = await organizerA.post('/api/people/merge', { keepId: d.id, mergeIds: [a.id], fields: {} });
    expect(res.statusCode).toBe(200);
    expect((await organizerA.get(`/api/people/${a.id}`)).json().id).toBe(d.id);
    expect((await organizerA.get(`/api/people/${c.id}`)).json().id).toBe(d.id);
  });

  it('carries a "not a duplicate" decision over to the kept person', async () => {
    const x = await create(organizerA, {
      firstName: 'Lena',
      lastName: 'Lind',
      emails: [{ email: 'lena@lind.example' }],
    });
    const y = await create(organizerA, {
      firstName: 'Lena',
      lastName: 'Lind',
      emails: [{ email: 'lena@lind.example' }],
    });
    const z = await create(organizerA, {
      firstName: 'Leo',
      lastName: 'Lind',
      phones: [{ number: '0351 4445556' }],
    });
    await organizerA.patch(`/api/people/${y.id}`, { phones: [{ number: '0351 4445556' }] });
    await scan(organizerA, orgs.landA);
    const items = await list(organizerA, orgs.landA);
    const yz = pairOf(items, y.id, z.id)!;
    await organizerA.post(`/api/duplicates/${yz.id}/dismiss`);
    await organizerA.post('/api/people/merge', { keepId: x.id, mergeIds: [y.id] });
    await scan(organizerA, orgs.landA);
    expect(pairOf(await list(organizerA, orgs.landA), x.id, z.id)).toBeUndefined();
    expect(pairOf(await list(organizerA, orgs.landA, '&status=dismissed'), x.id, z.id)).toBeDefined();
  });

  it('refuses (404) when one of them lies outside the actor scope, changing nothing', async () => {
    const organizerA1 = await loginAs(t, 'organizer', orgs.kreisA1);
    const inside = await create(organizerA, { lastName: 'Innen', postalCode: '01067' });
    const outside = await create(organizerA, { lastName: 'Aussen', postalCode: '04109' });
    const res = await organizerA1.post('/api/people/merge', {
      keepId: inside.id,
      mergeIds: [outside.id],
      fields: {},
    });
    expect(res.statusCode).toBe(404);
    const reverse = await organizerA1.post('/api/people/merge', {
      keepId: outside.id,
      mergeIds: [inside.id],
    });
    expect(reverse.statusCode).toBe(404);
    expect((await organizerA.get(`/api/people/${outside.id}`)).json().id).toBe(outside.id);
    expect((await organizerA.get(`/api/people/${inside.id}`)).json().id).toBe(inside.id);
  });
});
