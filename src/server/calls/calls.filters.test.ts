import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { ALWAYS_OPEN, loginAs, makeOrgTree, type OrgTree } from '../../../test/factories.ts';

let t: TestApp;
let orgs: OrgTree;
let organizer: Client;
let siblingOrganizer: Client;
let landAdmin: Client;
/** Person ids by last name. */
const id: Record<string, string> = {};

interface Campaign {
  id: string;
  listId: string;
  owner: Client;
  caller: Client;
}
/** Assignments: A and B of Kreis A1, S of the sibling Kreis A2, L of Land A (above Kreis A1). */
const a: Record<'A' | 'B' | 'S' | 'L', Campaign> = {} as never;

const QUESTIONS = [
  { id: 'topic', type: 'single_choice', text: 'Thema?', options: ['Miete', 'Klima', 'Verkehr'] },
  { id: 'themes', type: 'multiple_choice', text: 'Themen?', options: ['Umwelt', 'Verkehr', 'Bildung'] },
  { id: 'come', type: 'yes_no', text: 'Kommst du?' },
  { id: 'mood', type: 'scale', text: 'Stimmung?', min: 1, max: 5 },
  { id: 'notes', type: 'free_text', text: 'Notizen' },
];

/** An open assignment, callable around the clock with no cooldown, on a list the test points at one person. */
async function makeCampaign(owner: Client, orgId: string, callerOrgId: string): Promise<Campaign> {
  const list = await owner.post('/api/queries', {
    orgId,
    name: `Ziel ${randomUUID().slice(0, 6)}`,
    filter: { kind: 'field', field: 'lastName', op: 'equals', value: '-' },
  });
  expect(list.statusCode, list.body).toBe(201);
  const res = await owner.post('/api/call-assignments', {
    orgId,
    title: `Anrufe ${randomUUID().slice(0, 6)}`,
    targetQueryId: list.json().id,
    callingHours: ALWAYS_OPEN,
    cooldownHours: 0,
    maxAttempts: 50,
    questions: QUESTIONS,
    status: 'open',
  });
  expect(res.statusCode, res.body).toBe(201);
  const caller = await loginAs(t, 'caller', callerOrgId);
  const added = await owner.post(`/api/call-assignments/${res.json().id}/callers`, { userId: caller.userId });
  expect(added.statusCode, added.body).toBe(200);
  return { id: res.json().id, listId: list.json().id, owner, caller };
}

async function addPerson(lastName: string, orgId = orgs.kreisA1, by = organizer) {
  const res = await by.post('/api/people', {
    orgId,
    firstName: 'Test',
    lastName,
    phones: [{ number: '0171 1234567' }],
  });
  expect(res.statusCode, res.body).toBe(201);
  id[lastName] = res.json().id;
}

/** Records one call of the person through the real queue: the target list is pointed at them first. */
async function call(c: Campaign, lastName: string, body: Record<string, unknown>) {
  const patched = await c.owner.patch(`/api/queries/${c.listId}`, {
    filter: { kind: 'field', field: 'lastName', op: 'equals', value: lastName },
  });
  expect(patched.statusCode, patched.body).toBe(200);
  const res = await c.caller.post(`/api/call-assignments/${c.id}/next`);
  expect(res.statusCode, res.body).toBe(200);
  const claimed = res.json().call;
  expect(claimed?.person.id).toBe(id[lastName]);
  const done = await c.caller.post(`/api/calls/${claimed.id}/outcome`, { clientId: randomUUID(), ...body });
  expect(done.statusCode, done.body).toBe(200);
  return claimed.id as string;
}

const setEndedAt = (callId: string, at: string) =>
  sql`update calls set started_at = ${at}::timestamptz, ended_at = ${at}::timestamptz where id = ${callId}::uuid`.execute(
    t.db,
  );

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  organizer = await loginAs(t, 'organizer', orgs.kreisA1);
  siblingOrganizer = await loginAs(t, 'organizer', orgs.kreisA2);
  landAdmin = await loginAs(t, 'admin', orgs.landA);
  a.A = await makeCampaign(organizer, orgs.kreisA1, orgs.kreisA1);
  a.B = await makeCampaign(organizer, orgs.kreisA1, orgs.kreisA1);
  a.S = await makeCampaign(siblingOrganizer, orgs.kreisA2, orgs.kreisA2);
  a.L = await makeCampaign(landAdmin, orgs.landA, orgs.landA);
  for (const name of ['Alt', 'Bau', 'Chor', 'Dorn', 'Eck', 'Fink']) await addPerson(name);
  await addPerson('Gall', orgs.kreisA2, siblingOrganizer);

  // Alt: A no_answer ×2, then reached with every question answered.
  await call(a.A, 'Alt', { outcome: 'no_answer' });
  await call(a.A, 'Alt', { outcome: 'no_answer' });
  await call(a.A, 'Alt', {
    outcome: 'reached',
    answers: [
      { questionId: 'topic', value: 'Miete' },
      { questionId: 'themes', value: ['Umwelt', 'Verkehr'] },
      { questionId: 'come', value: true },
      { questionId: 'mood', value: 4 },
      { questionId: 'notes', value: 'Will Flyer verteilen' },
    ],
  });
  // Bau: A busy, then reached.
  await call(a.A, 'Bau', { outcome: 'busy' });
  await call(a.A, 'Bau', {
    outcome: 'reached',
    answers: [
      { questionId: 'topic', value: 'Klima' },
      { questionId: 'themes', value: ['Bildung'] },
      { questionId: 'come', value: false },
      { questionId: 'mood', value: 2 },
      { questionId: 'notes', value: 'keine Zeit' },
    ],
  });
  // Chor: A no_answer once, B reached.
  await call(a.A, 'Chor', { outcome: 'no_answer' });
  await call(a.B, 'Chor', { outcome: 'reached' });
  // Dorn: never called. Eck: B voicemail twice, the first one in June 2025.
  const eckFirst = await call(a.B, 'Eck', { outcome: 'voicemail' });
  await setEndedAt(eckFirst, '2025-06-01T12:00:00Z');
  await call(a.B, 'Eck', { outcome: 'voicemail' });
  // Fink: A reached in March 2025, two questions answered.
  const fink = await call(a.A, 'Fink', {
    outcome: 'reached',
    answers: [
      { questionId: 'topic', value: 'Verkehr' },
      { questionId: 'mood', value: 5 },
    ],
  });
  await setEndedAt(fink, '2025-03-15T12:00:00Z');
  // Gall (Kreis A2): reached in the sibling's assignment S.
  await call(a.S, 'Gall', { outcome: 'reached' });
});
afterAll(() => t.close());

const preview = (filter: unknown, orgId = orgs.kreisA1, c = organizer) =>
  c.post('/api/queries/preview', { orgId, filter });
/** Last names matched, sorted (every test unit holds at most 10 people, the sample size). */
async function match(filter: Record<string, unknown>, orgId = orgs.kreisA1, c = organizer) {
  const res = await preview(filter, orgId, c);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  expect(body.sample).toHaveLength(body.count);
  return body.sample.map((p: { lastName: string }) => p.lastName).sort();
}
const history = (parts: Record<string, unknown> = {}) => ({ kind: 'callHistory', ...parts });
/** An answer filter; `onA` puts it on assignment A (whose id exists only once the tests run). */
const answer = (questionId: string, cond: Record<string, unknown>) => ({
  kind: 'callAnswer',
  questionId,
  ...cond,
});
const onA = (f: Record<string, unknown>) => ({ assignmentId: a.A.id, ...f });
const not = <T extends object>(f: T) => ({ ...f, not: true });

describe('smart search: call history', () => {
  it('matches people called in an assignment or in any assignment of the unit', async () => {
    expect(await match(history({ assignmentId: a.A.id }))).toEqual(['Alt', 'Bau', 'Chor', 'Fink']);
    expect(await match(history({ assignmentId: a.B.id }))).toEqual(['Chor', 'Eck']);
    expect(await match(history())).toEqual(['Alt', 'Bau', 'Chor', 'Eck', 'Fink']);
  });

  it('counts only calls with the given outcomes', async () => {
    expect(await match(history({ assignmentId: a.A.id, outcomes: ['no_answer'] }))).toEqual(['Alt', 'Chor']);
    expect(await match(history({ outcomes: ['voicemail', 'busy'] }))).toEqual(['Bau', 'Eck']);
    expect(await match(history({ outcomes: ['wrong_number'] }))).toEqual([]);
  });

  it('restricts calls to a date range, absolute or relative', async () => {
    expect(await match(history({ from: '2025-01-01', to: '2025-12-31' }))).toEqual(['Eck', 'Fink']);
    expect(await match(history({ from: '2025-06-01', to: '2025-06-01' }))).toEqual(['Eck']);
    expect(await match(history({ to: '2025-05-31' }))).toEqual(['Fink']);
    expect(await match(history({ withinLastDays: 30 }))).toEqual(['Alt', 'Bau', 'Chor', 'Eck']);
    expect(await match(history({ withinLastDays: 30, reached: true }))).toEqual(['Alt', 'Bau', 'Chor']);
    expect(await match(history({ to: '2025-12-31', outcomes: ['voicemail'] }))).toEqual(['Eck']);
  });

  it('counts attempts: at least, at most, exactly, never', async () => {
    expect(await match(history({ assignmentId: a.A.id, outcomes: ['no_answer'], minCalls: 2 }))).toEqual([
      'Alt',
    ]);
    expect(await match(history({ minCalls: 2 }))).toEqual(['Alt', 'Bau', 'Chor', 'Eck']);
    expect(await match(history({ minCalls: 3 }))).toEqual(['Alt']);
    expect(await match(history({ assignmentId: a.A.id, minCalls: 2 }))).toEqual(['Alt', 'Bau']);
    expect(await match(history({ assignmentId: a.A.id, maxCalls: 1 }))).toEqual([
      'Chor',
      'Dorn',
      'Eck',
      'Fink',
    ]);
    expect(await match(history({ assignmentId: a.A.id, minCalls: 1, maxCalls: 1 }))).toEqual([
      'Chor',
      'Fink',
    ]);
    // "At most 0 times" = never called (in that assignment / at all).
    expect(await match(history({ assignmentId: a.A.id, maxCalls: 0 }))).toEqual(['Dorn', 'Eck']);
    expect(await match(history({ maxCalls: 0 }))).toEqual(['Dorn']);
    expect(await match(history({ outcomes: ['reached'], maxCalls: 0 }))).toEqual(['Dorn', 'Eck']);
    expect(await match(history({ minCalls: 0 }))).toEqual(['Alt', 'Bau', 'Chor', 'Dorn', 'Eck', 'Fink']);
  });

  it('reached, not reached, and NOT', async () => {
    expect(await match(history({ assignmentId: a.A.id, reached: true }))).toEqual(['Alt', 'Bau', 'Fink']);
    expect(await match(history({ reached: true }))).toEqual(['Alt', 'Bau', 'Chor', 'Fink']);
    // reached: false = called (in the assignment) but never reached there.
    expect(await match(history({ assignmentId: a.A.id, reached: false }))).toEqual(['Chor']);
    expect(await match(history({ reached: false }))).toEqual(['Eck']);
    // NOT "reached" also finds those never called.
    expect(await match(not(history({ assignmentId: a.A.id, reached: true })))).toEqual([
      'Chor',
      'Dorn',
      'Eck',
    ]);
    expect(await match(not(history()))).toEqual(['Dorn']);
    expect(await match(not(history({ maxCalls: 0 })))).toEqual(['Alt', 'Bau', 'Chor', 'Eck', 'Fink']);
  });

  it('refuses contradicting options with a 400 naming the filter', async () => {
    for (const bad of [
      { minCalls: 3, maxCalls: 1 },
      { from: '2025-12-01', to: '2025-01-01' },
      { from: '2025-02-30' },
      { withinLastDays: 7, from: '2025-01-01' },
      { outcomes: ['vanished'] },
    ]) {
      const res = await preview({ kind: 'group', op: 'and', children: [history(bad)] });
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.message).toContain('Filter filter.children.0 (callHistory)');
    }
  });
});

describe('smart search: call answers', () => {
  it.each([
    ['single choice equals', answer('topic', { op: 'equals', value: 'Miete' }), ['Alt']],
    ['single choice one of', answer('topic', { op: 'oneOf', values: ['Klima', 'Verkehr'] }), ['Bau', 'Fink']],
    ['multiple choice contains', answer('themes', { op: 'contains', value: 'Verkehr' }), ['Alt']],
    [
      'multiple choice any of',
      answer('themes', { op: 'oneOf', values: ['Bildung', 'Verkehr'] }),
      ['Alt', 'Bau'],
    ],
    ['yes', answer('come', { op: 'equals', value: true }), ['Alt']],
    ['no', answer('come', { op: 'equals', value: false }), ['Bau']],
    ['not yes', not(answer('come', { op: 'equals', value: true })), ['Bau', 'Chor', 'Dorn', 'Eck', 'Fink']],
    ['answered', answer('come', { op: 'answered' }), ['Alt', 'Bau']],
    ['scale equals', answer('mood', { op: 'equals', value: 5 }), ['Fink']],
    ['scale at least', answer('mood', { op: 'gte', value: 4 }), ['Alt', 'Fink']],
    ['scale at most', answer('mood', { op: 'lte', value: 2 }), ['Bau']],
    ['scale between', answer('mood', { op: 'between', from: 3, to: 4 }), ['Alt']],
    ['free text contains (any case)', answer('notes', { op: 'contains', value: 'flyer' }), ['Alt']],
    ['free text, % is literal', answer('notes', { op: 'contains', value: '%' }), []],
  ])('%s', async (_name, filter, expected) => {
    expect(await match(onA(filter))).toEqual(expected);
  });

  it('checks the question and the comparison against the assignment (400 naming the filter)', async () => {
    for (const [bad, text] of [
      [answer('topic', { op: 'equals', value: 'Unbekannt' }), 'expected one of Miete, Klima, Verkehr'],
      [answer('topic', { op: 'gte', value: 2 }), 'not allowed for a single_choice question'],
      [answer('come', { op: 'equals', value: 'ja' }), 'expected true or false'],
      [answer('themes', { op: 'oneOf', values: ['Sport'] }), '"Sport" is not an option'],
      [answer('nope', { op: 'answered' }), 'has no question nope'],
    ] as const) {
      const res = await preview({ kind: 'group', op: 'or', children: [history(), onA(bad)] });
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.message).toContain('Filter filter.children.1 (callAnswer)');
      expect(res.json().error.message).toContain(text);
    }
  });
});

describe('call filters and scope', () => {
  it("refuses a sibling unit's assignment with a 400 naming the filter", async () => {
    const h = await preview(history({ assignmentId: a.S.id }));
    expect(h.statusCode).toBe(400);
    expect(h.json().error.message).toBe(
      `Filter filter (callHistory): call assignment ${a.S.id} is not available in this unit`,
    );
    const ans = await preview({
      kind: 'group',
      op: 'and',
      children: [{ kind: 'callAnswer', assignmentId: a.S.id, questionId: 'come', op: 'answered' }],
    });
    expect(ans.statusCode).toBe(400);
    expect(ans.json().error.message).toContain('Filter filter.children.0 (callAnswer): call assignment');
    // The other way round as well; an unknown id is the same 400.
    const back = await preview(history({ assignmentId: a.A.id }), orgs.kreisA2, siblingOrganizer);
    expect(back.statusCode).toBe(400);
    expect((await preview(history({ assignmentId: randomUUID() }))).statusCode).toBe(400);
    // Saving a list with it is refused the same way.
    const saved = await organizer.post('/api/queries', {
      orgId: orgs.kreisA1,
      name: 'Fremd',
      filter: history({ assignmentId: a.S.id }),
    });
    expect(saved.statusCode).toBe(400);
  });

  it("accepts an assignment of a unit above; a unit above sees its sub-units' calls", async () => {
    expect(await match(history({ assignmentId: a.L.id, maxCalls: 0 }))).toEqual([
      'Alt',
      'Bau',
      'Chor',
      'Dorn',
      'Eck',
      'Fink',
    ]);
    expect(await match(history({ reached: true }), orgs.landA, landAdmin)).toEqual([
      'Alt',
      'Bau',
      'Chor',
      'Fink',
      'Gall',
    ]);
    expect(await match(history({ assignmentId: a.S.id }), orgs.landA, landAdmin)).toEqual(['Gall']);
  });

  it('never counts calls of assignments the unit may not see', async () => {
    expect(await match(history(), orgs.kreisA2, siblingOrganizer)).toEqual(['Gall']);
    // Gall moves into Kreis A1: the sibling's calls stay invisible there.
    await t.db.updateTable('people').set({ orgId: orgs.kreisA1 }).where('id', '=', id.Gall).execute();
    try {
      expect(await match(history({ reached: true }))).toEqual(['Alt', 'Bau', 'Chor', 'Fink']);
      expect(await match(history({ maxCalls: 0 }))).toEqual(['Dorn', 'Gall']);
      expect(await match(history({ maxCalls: 0 }), orgs.landA, landAdmin)).toEqual(['Dorn']);
    } finally {
      await t.db.updateTable('people').set({ orgId: orgs.kreisA2 }).where('id', '=', id.Gall).execute();
    }
  });

  it('lists the kinds under the calls module', async () => {
    const kinds = (await organizer.get('/api/queries/filter-kinds')).json().items;
    expect(
      kinds.filter((k: { module: string }) => k.module === 'calls').map((k: { kind: string }) => k.kind),
    ).toEqual(['callHistory', 'callAnswer']);
  });
});
