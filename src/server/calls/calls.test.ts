import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import {
  loginAs,
  makeCityAssignment,
  makeOrgTree,
  makePerson as makePersonAs,
  type OrgTree,
} from '../../../test/factories.ts';
import { DEFAULT_CALLING_HOURS } from '../../shared/calls.ts';
import { callingWindowAt } from './calling-hours.ts';

let t: TestApp;
let orgs: OrgTree;
let organizer: Client;
let bundAdmin: Client;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  organizer = await loginAs(t, 'organizer', orgs.kreisA1);
  bundAdmin = await loginAs(t, 'admin', orgs.bund);
});
afterAll(() => t.close());

let citySeq = 0;

/** A saved list "everyone in <city>" and an open assignment on it, callable around the clock. */
async function makeAssignment(body: Record<string, unknown> = {}, callers: Client[] = []) {
  const city = `Stadt-${++citySeq}`;
  const assignment = await makeCityAssignment(organizer, orgs.kreisA1, city, body);
  for (const c of callers) {
    expect(
      (await organizer.post(`/api/call-assignments/${assignment.id}/callers`, { userId: c.userId }))
        .statusCode,
    ).toBe(200);
  }
  return { id: assignment.id, city, assignment };
}

const makePerson = (city: string, body: Record<string, unknown> = {}, by: Client = organizer) =>
  makePersonAs(by, orgs.kreisA1, { city, ...body });

const newCaller = () => loginAs(t, 'caller', orgs.kreisA1);
const next = (c: Client, id: string) => c.post(`/api/call-assignments/${id}/next`);
const outcome = (c: Client, callId: string, body: Record<string, unknown>) =>
  c.post(`/api/calls/${callId}/outcome`, { clientId: randomUUID(), ...body });

/** Takes calls (recording `reached`) until the queue is empty; returns the people in order. */
async function drain(c: Client, id: string) {
  const seen: string[] = [];
  for (let i = 0; i < 50; i++) {
    const res = await next(c, id);
    expect(res.statusCode).toBe(200);
    const { call, reason } = res.json();
    if (!call) {
      expect(reason).toBe('queue_empty');
      return seen;
    }
    seen.push(call.person.id);
    expect((await outcome(c, call.id, { outcome: 'reached' })).statusCode).toBe(200);
  }
  throw new Error('queue did not drain');
}

const setTarget = (assignmentId: string, personId: string, values: Record<string, unknown>) =>
  t.db
    .insertInto('callTargets')
    .values({ assignmentId, personId, ...values })
    .onConflict((oc) => oc.columns(['assignmentId', 'personId']).doUpdateSet(values))
    .execute();

describe('call assignments', () => {
  it('creates with defaults, lists, reads and edits; callers only see their open assignments', async () => {
    const list = (
      await organizer.post('/api/queries', {
        orgId: orgs.kreisA1,
        name: 'Neumitglieder',
        filter: { kind: 'status', statuses: ['member'] },
      })
    ).json();
    const res = await organizer.post('/api/call-assignments', {
      orgId: orgs.kreisA1,
      title: 'Neumitglieder anrufen',
      targetQueryId: list.id,
      questions: [
        { type: 'yes_no', text: 'Kommst du zum Treffen?' },
        { id: 'topic', type: 'single_choice', text: 'Thema?', options: ['Miete', 'Klima'] },
      ],
    });
    expect(res.statusCode).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({
      status: 'draft',
      visibleFields: ['firstName', 'lastName', 'phones', 'postalCode', 'city'],
      maxAttempts: 3,
      cooldownHours: 24,
      lockMinutes: 10,
      callingHours: DEFAULT_CALLING_HOURS,
      callers: [],
    });
    expect(a.questions.map((q: { id: string }) => q.id)).toEqual(['q1', 'topic']);

    const listed = (await organizer.get(`/api/call-assignments?orgId=${orgs.kreisA1}`)).json();
    expect(listed.items.map((x: { id: string }) => x.id)).toContain(a.id);
    expect((await bundAdmin.get(`/api/call-assignments/${a.id}`)).statusCode).toBe(200);

    const caller = await newCaller();
    expect(
      (await organizer.post(`/api/call-assignments/${a.id}/callers`, { userId: caller.userId })).json()
        .callers,
    ).toHaveLength(1);
    expect((await caller.get('/api/me/call-assignments')).json().items).toEqual([]); // still a draft
    const patched = await organizer.patch(`/api/call-assignments/${a.id}`, {
      status: 'open',
      maxAttempts: 5,
    });
    expect(patched.json()).toMatchObject({ status: 'open', maxAttempts: 5 });
    const mine = (await caller.get('/api/me/call-assignments')).json().items;
    expect(mine).toEqual([
      {
        id: a.id,
        orgId: orgs.kreisA1,
        orgName: 'Kreis A1',
        title: 'Neumitglieder anrufen',
        description: null,
        status: 'open',
      },
    ]);
    // A caller manages nothing, and reads no assignment details.
    expect((await caller.get(`/api/call-assignments/${a.id}`)).statusCode).toBe(403);
    expect(
      (
        await caller.post('/api/call-assignments', {
          orgId: orgs.kreisA1,
          title: 'x',
          targetQueryId: list.id,
        })
      ).statusCode,
    ).toBe(403);
  });

  it('refuses bad input: duplicate question ids, unknown fields, a user from another branch as caller', async () => {
    const { id } = await makeAssignment();
    const dup = await organizer.patch(`/api/call-assignments/${id}`, {
      questions: [
        { id: 'a', type: 'yes_no', text: 'A?' },
        { id: 'a', type: 'free_text', text: 'B?' },
      ],
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.message).toContain('Question a');
    expect(
      (await organizer.patch(`/api/call-assignments/${id}`, { visibleFields: ['email'] })).statusCode,
    ).toBe(400);
    const stranger = await loginAs(t, 'caller', orgs.kreisB1);
    const res = await organizer.post(`/api/call-assignments/${id}/callers`, { userId: stranger.userId });
    expect(res.statusCode).toBe(422);
  });

  it('keeps sibling units and callers who were not added out (404)', async () => {
    const caller = await newCaller();
    const { id, city } = await makeAssignment({}, [caller]);
    await makePerson(city);
    const sibling = await loginAs(t, 'organizer', orgs.kreisA2);
    expect((await sibling.get(`/api/call-assignments/${id}`)).statusCode).toBe(404);
    expect((await sibling.patch(`/api/call-assignments/${id}`, { title: 'x' })).statusCode).toBe(404);
    expect((await sibling.post(`/api/call-assignments/${id}/next`)).statusCode).toBe(404);
    const otherCaller = await newCaller();
    expect((await next(otherCaller, id)).statusCode).toBe(404);
    const call = (await next(caller, id)).json().call;
    expect((await outcome(otherCaller, call.id, { outcome: 'reached' })).statusCode).toBe(404);
    expect((await otherCaller.post(`/api/calls/${call.id}/skip`, {})).statusCode).toBe(404);
    // Removed from the assignment: access ends at the next request, the claim is released.
    expect((await organizer.delete(`/api/call-assignments/${id}/callers/${caller.userId}`)).statusCode).toBe(
      204,
    );
    expect((await next(caller, id)).statusCode).toBe(404);
    expect((await outcome(caller, call.id, { outcome: 'reached' })).statusCode).toBe(409);
  });
});

describe('the queue', () => {
  it('shows only the allowed fields and fills the script', async () => {
    const caller = await newCaller();
    const { id, city } = await makeAssignment(
      { script: 'Hallo {{firstName}}, hier ist {{callerName}} von {{orgName}}.' },
      [caller],
    );
    const personId = await makePerson(city, {
      firstName: 'Jürgen',
      postalCode: '01067',
      birthDate: '1980-01-01',
      street: 'Hauptstraße',
      memberNumber: 'M-77',
      emails: [{ email: 'secret@example.org' }],
      phones: [
        { number: '0171 1234567' },
        { number: 'keine' },
        { number: '0351 999999', status: 'outdated' },
      ],
    });
    const res = await next(caller, id);
    expect(res.statusCode).toBe(200);
    const { call } = res.json();
    expect(Object.keys(call.person).sort()).toEqual([
      'city',
      'firstName',
      'id',
      'lastName',
      'phones',
      'postalCode',
    ]);
    expect(call.person).toMatchObject({ id: personId, firstName: 'Jürgen', city, postalCode: '01067' });
    expect(call.person.phones).toEqual([
      { id: expect.any(String), raw: '0171 1234567', e164: '+491711234567', type: 'mobile' },
    ]);
    expect(res.body).not.toContain('secret@example.org');
    expect(res.body).not.toContain('1980');
    expect(res.body).not.toContain('Hauptstraße');
    expect(call.script).toMatch(/^Hallo Jürgen, hier ist .+ von Kreis A1\.$/);
    expect(call.history).toEqual([]);
    const viewed = await t.db
      .selectFrom('auditLog')
      .select('action')
      .where('targetId', '=', personId)
      .where('action', '=', 'call.target_viewed')
      .execute();
    expect(viewed).toHaveLength(1);

    // Allowing e-mail shows it; hiding the first name also keeps it out of the script.
    await organizer.patch(`/api/call-assignments/${id}`, { visibleFields: ['lastName', 'emails'] });
    const again = (await next(caller, id)).json().call;
    expect(again.person.emails).toEqual(['secret@example.org']);
    expect(again.person.firstName).toBeUndefined();
    expect(again.script).not.toContain('Jürgen');
  });

  it('orders due call-backs first, then never-called people, then the oldest last attempt', async () => {
    const callers = [await newCaller(), await newCaller(), await newCaller(), await newCaller()];
    const { id, city } = await makeAssignment({}, callers);
    const older = await makePerson(city);
    const newer = await makePerson(city);
    const fresh = await makePerson(city);
    const callBack = await makePerson(city);
    await setTarget(id, older, { attempts: 1, lastAttemptAt: sql<Date>`now() - interval '3 days'` as never });
    await setTarget(id, newer, { attempts: 1, lastAttemptAt: sql<Date>`now() - interval '2 days'` as never });
    await setTarget(id, callBack, {
      attempts: 1,
      lastAttemptAt: sql<Date>`now() - interval '1 hour'` as never,
      callBackAt: sql<Date>`now() - interval '1 minute'` as never,
    });
    const order = [];
    for (const c of callers) order.push((await next(c, id)).json().call.person.id);
    expect(order).toEqual([callBack, fresh, older, newer]);
  });

  it('skips every person the rules exclude', async () => {
    const caller = await newCaller();
    const other = await newCaller();
    const { id, city } = await makeAssignment({ maxAttempts: 3 }, [caller, other]);
    const tag = (await organizer.post(`/api/orgs/${orgs.kreisA1}/tags`, { name: `Nicht-${city}` })).json();
    await organizer.post(`/api/call-assignments/${id}/callers`, {
      userId: caller.userId,
      excludedTagIds: [tag.id],
    });
    const ok1 = await makePerson(city);
    const ok2 = await makePerson(city, { phones: [{ number: '0351 1234567' }] });
    const afterCooldown = await makePerson(city);
    await setTarget(id, afterCooldown, {
      attempts: 2,
      cooldownUntil: sql<Date>`now() - interval '1 minute'` as never,
    });
    await makePerson(city, { phones: [] }); // no phone
    await makePerson(city, { phones: [{ number: 'keine' }] }); // no valid phone
    await makePerson(city, { phones: [{ number: '0171 7654321', status: 'outdated' }] });
    await makePerson(city, { doNotCall: true });
    const reached = await makePerson(city);
    await setTarget(id, reached, { attempts: 1, done: true, reached: true });
    const maxed = await makePerson(city);
    await setTarget(id, maxed, { attempts: 3 });
    const cooling = await makePerson(city);
    await setTarget(id, cooling, {
      attempts: 1,
      cooldownUntil: sql<Date>`now() + interval '5 hours'` as never,
    });
    const laterCallBack = await makePerson(city);
    await setTarget(id, laterCallBack, {
      attempts: 1,
      callBackAt: sql<Date>`now() + interval '5 hours'` as never,
    });
    const locked = await makePerson(city);
    await t.db
      .insertInto('callLocks')
      .values({
        id: randomUUID(),
        assignmentId: id,
        personId: locked,
        callerId: other.userId,
        lockedUntil: sql<Date>`now() + interval '5 minutes'` as never,
      })
      .execute();
    const tagged = await makePerson(city);
    await organizer.put(`/api/people/${tagged}/tags`, { tagIds: [tag.id] });
    await makePerson(`${city}-anders`); // not on the list
    await makePerson(city, { orgId: orgs.kreisB1 }, bundAdmin); // on the list's terms, but outside the unit
    expect(new Set(await drain(caller, id))).toEqual(new Set([ok1, ok2, afterCooldown]));
  });

  it('keeps one lock per caller, extends it, and frees it after expiry', async () => {
    const [a, b] = [await newCaller(), await newCaller()];
    const { id, city } = await makeAssignment({}, [a, b]);
    const person = await makePerson(city);
    const first = (await next(a, id)).json().call;
    expect(first.person.id).toBe(person);
    const same = (await next(a, id)).json().call;
    expect(same.id).toBe(first.id);
    expect((await next(b, id)).json()).toEqual({ call: null, reason: 'queue_empty' });

    const beat = await a.post(`/api/call-assignments/${id}/heartbeat`);
    expect(beat.statusCode).toBe(200);
    expect(new Date(beat.json().lockExpiresAt).getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
    expect((await b.post(`/api/call-assignments/${id}/heartbeat`)).statusCode).toBe(409);

    await t.db
      .updateTable('callLocks')
      .set({ lockedUntil: sql<Date>`now() - interval '1 second'` as never })
      .where('id', '=', first.id)
      .execute();
    const taken = (await next(b, id)).json().call;
    expect(taken.person.id).toBe(person);
    expect(taken.id).not.toBe(first.id);
    const late = await outcome(a, first.id, { outcome: 'reached' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toContain('another caller');
    expect((await outcome(b, taken.id, { outcome: 'no_answer' })).statusCode).toBe(200);
    expect(await t.db.selectFrom('calls').select('outcome').where('personId', '=', person).execute()).toEqual(
      [{ outcome: 'no_answer' }],
    );
    // A skip releases the lock without an attempt; the person waits before coming up again.
    const skipAssignment = await makeAssignment({}, [a]);
    await makePerson(skipAssignment.city);
    const skipped = (await next(a, skipAssignment.id)).json().call;
    expect((await a.post(`/api/calls/${skipped.id}/skip`, { reason: 'Kenne ich' })).statusCode).toBe(200);
    expect((await next(a, skipAssignment.id)).json().call).toBeNull();
  });

  it('answers "closed" outside calling hours and for assignments that are not open', async () => {
    const caller = await newCaller();
    const empty = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    const closedHours = await makeAssignment({ callingHours: empty }, [caller]);
    await makePerson(closedHours.city);
    expect((await next(caller, closedHours.id)).json()).toEqual({
      call: null,
      reason: 'outside_calling_hours',
    });
    const paused = await makeAssignment({ status: 'paused' }, [caller]);
    await makePerson(paused.city);
    expect((await next(caller, paused.id)).json()).toEqual({ call: null, reason: 'assignment_closed' });
    const ended = await makeAssignment({ startsOn: '2020-01-01', endsOn: '2020-12-31' }, [caller]);
    expect((await next(caller, ended.id)).json().reason).toBe('assignment_closed');
  });

  it('tells a caller of a paused assignment that it is paused and who runs it; others get the same 404', async () => {
    const caller = await newCaller();
    const { id, city } = await makeAssignment({ status: 'paused' }, [caller]);
    await makePerson(city);
    // Not in the list of open assignments, but readable on its own, with its status and unit.
    expect(
      (await caller.get('/api/me/call-assignments')).json().items.map((a: { id: string }) => a.id),
    ).not.toContain(id);
    const mine = await caller.get(`/api/me/call-assignments/${id}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toEqual({
      id,
      orgId: orgs.kreisA1,
      orgName: 'Kreis A1',
      title: `Anrufe ${city}`,
      description: null,
      status: 'paused',
    });
    // Someone who is no caller of it (even of the same unit), and a made-up id: the identical 404.
    const stranger = await newCaller();
    const denied = await stranger.get(`/api/me/call-assignments/${id}`);
    const missing = await stranger.get(`/api/me/call-assignments/${randomUUID()}`);
    expect(denied.statusCode).toBe(404);
    expect(denied.json()).toEqual(missing.json());
    expect((await organizer.get(`/api/me/call-assignments/${id}`)).statusCode).toBe(404);
    // Removed as a caller: 404 as well.
    await organizer.delete(`/api/call-assignments/${id}/callers/${caller.userId}`);
    expect((await caller.get(`/api/me/call-assignments/${id}`)).json()).toEqual(missing.json());
  });

  it('computes calling hours in the unit time zone (fake clock)', () => {
    const berlin = 'Europe/Berlin';
    // Monday 2026-11-23 12:00 in Berlin (UTC+1): open.
    expect(callingWindowAt(DEFAULT_CALLING_HOURS, berlin, new Date('2026-11-23T11:00:00Z'))).toEqual({
      open: true,
    });
    // Monday 21:00: closed until Tuesday 10:00.
    expect(callingWindowAt(DEFAULT_CALLING_HOURS, berlin, new Date('2026-11-23T20:00:00Z'))).toEqual({
      open: false,
      opensAt: new Date('2026-11-24T09:00:00Z'),
    });
    // Monday 08:00: opens the same day.
    expect(callingWindowAt(DEFAULT_CALLING_HOURS, berlin, new Date('2026-11-23T07:00:00Z'))).toEqual({
      open: false,
      opensAt: new Date('2026-11-23T09:00:00Z'),
    });
    // Saturday 18:30: Sunday is closed, so Monday 10:00.
    expect(callingWindowAt(DEFAULT_CALLING_HOURS, berlin, new Date('2026-11-28T17:30:00Z'))).toEqual({
      open: false,
      opensAt: new Date('2026-11-30T09:00:00Z'),
    });
    // Summer time (UTC+2).
    expect(callingWindowAt(DEFAULT_CALLING_HOURS, berlin, new Date('2026-07-06T06:00:00Z'))).toEqual({
      open: false,
      opensAt: new Date('2026-07-06T08:00:00Z'),
    });
  });
});

describe('outcomes', () => {
  it('records the attempt and its effects: timeline, note, outdated phone, do-not-call', async () => {
    const caller = await newCaller();
    const { id, city } = await makeAssignment({}, [caller]);
    const p = await makePerson(city, { phones: [{ number: '0171 1111111' }, { number: '0171 2222222' }] });
    let call = (await next(caller, id)).json().call;
    const dialled = call.person.phones.find((x: { raw: string }) => x.raw === '0171 1111111');
    expect(
      (await outcome(caller, call.id, { outcome: 'wrong_number', phoneId: dialled.id })).statusCode,
    ).toBe(200);
    const phones = await t.db
      .selectFrom('personPhones')
      .select(['raw', 'status'])
      .where('personId', '=', p)
      .execute();
    expect(Object.fromEntries(phones.map((x) => [x.raw, x.status]))).toEqual({
      '0171 1111111': 'outdated',
      '0171 2222222': 'valid',
    });
    // The other number is still callable at once.
    call = (await next(caller, id)).json().call;
    expect(call.person.phones.map((x: { raw: string }) => x.raw)).toEqual(['0171 2222222']);
    expect(call.history).toEqual([{ at: expect.any(String), outcome: 'wrong_number' }]);
    expect(
      (await outcome(caller, call.id, { outcome: 'do_not_call', note: 'Bitte nie wieder' })).statusCode,
    ).toBe(200);
    const person = await t.db
      .selectFrom('people')
      .select('doNotCall')
      .where('id', '=', p)
      .executeTakeFirstOrThrow();
    expect(person.doNotCall).toBe(true);
    const timeline = (await organizer.get(`/api/people/${p}/timeline`)).json().items;
    expect(timeline.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['call.wrong_number', 'call.do_not_call', 'note.added']),
    );
    expect(timeline.find((e: { kind: string }) => e.kind === 'call.do_not_call').data).toMatchObject({
      assignmentId: id,
    });
    const calls = await t.db
      .selectFrom('calls')
      .select(['outcome', 'orgId', 'callerId', 'note'])
      .where('assignmentId', '=', id)
      .orderBy('endedAt')
      .execute();
    expect(calls).toEqual([
      { outcome: 'wrong_number', orgId: orgs.kreisA1, callerId: caller.userId, note: null },
      { outcome: 'do_not_call', orgId: orgs.kreisA1, callerId: caller.userId, note: 'Bitte nie wieder' },
    ]);
    // Erasing the person keeps the counts: person_id becomes null.
    expect((await organizer.delete(`/api/people/${p}`)).statusCode).toBe(204);
    const left = await t.db
      .selectFrom('calls')
      .select(['personId', 'outcome'])
      .where('assignmentId', '=', id)
      .execute();
    expect(left).toHaveLength(2);
    expect(left.every((c) => c.personId === null)).toBe(true);
  });

  it('is idempotent per clientId and refuses a second, different outcome', async () => {
    const caller = await newCaller();
    const { id, city } = await makeAssignment({}, [caller]);
    await makePerson(city);
    const call = (await next(caller, id)).json().call;
    const body = { clientId: 'c-1', outcome: 'no_answer' };
    expect((await caller.post(`/api/calls/${call.id}/outcome`, body)).json()).toEqual({ ok: true });
    expect((await caller.post(`/api/calls/${call.id}/outcome`, body)).json()).toEqual({ ok: true });
    const other = await caller.post(`/api/calls/${call.id}/outcome`, { ...body, clientId: 'c-2' });
    expect(other.statusCode).toBe(409);
    expect(await t.db.selectFrom('calls').select('id').where('assignmentId', '=', id).execute()).toHaveLength(
      1,
    );
    const target = await t.db
      .selectFrom('callTargets')
      .select(['attempts', 'cooldownUntil'])
      .where('assignmentId', '=', id)
      .executeTakeFirstOrThrow();
    expect(target.attempts).toBe(1);
    expect(target.cooldownUntil!.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect((await next(caller, id)).json().call).toBeNull(); // in cooldown
  });

  it('needs a future time for a call-back, then offers the person to the same caller first', async () => {
    const [a, b] = [await newCaller(), await newCaller()];
    const { id, city } = await makeAssignment({}, [a, b]);
    const p = await makePerson(city);
    const call = (await next(a, id)).json().call;
    expect((await outcome(a, call.id, { outcome: 'call_back' })).statusCode).toBe(400);
    const past = await outcome(a, call.id, { outcome: 'call_back', callBackAt: '2020-01-01T10:00:00Z' });
    expect(past.statusCode).toBe(400);
    const soon = new Date(Date.now() + 3600_000).toISOString();
    expect((await outcome(a, call.id, { outcome: 'call_back', callBackAt: soon })).statusCode).toBe(200);
    expect((await next(b, id)).json().call).toBeNull();
    await t.db
      .updateTable('callTargets')
      .set({ callBackAt: sql<Date>`now() - interval '1 minute'` as never })
      .where('personId', '=', p)
      .execute();
    const other = await makePerson(city); // never called, but the due call-back comes first
    expect((await next(a, id)).json().call.person.id).toBe(p);
    expect((await next(b, id)).json().call.person.id).toBe(other);
  });

  it('checks answers against the questions and names the question', async () => {
    const caller = await newCaller();
    const { id, city } = await makeAssignment(
      {
        questions: [
          { id: 'come', type: 'yes_no', text: 'Kommst du?' },
          { id: 'topic', type: 'single_choice', text: 'Thema?', options: ['Miete', 'Klima'] },
          { id: 'many', type: 'multiple_choice', text: 'Was noch?', options: ['A', 'B'] },
          { id: 'mood', type: 'scale', text: 'Stimmung?', min: 1, max: 5 },
          { id: 'free', type: 'free_text', text: 'Sonst?' },
        ],
      },
      [caller],
    );
    await makePerson(city);
    const call = (await next(caller, id)).json().call;
    expect(call.questions.map((q: { id: string }) => q.id)).toEqual([
      'come',
      'topic',
      'many',
      'mood',
      'free',
    ]);
    const bad = [
      [{ questionId: 'nope', value: 'x' }, 'nope'],
      [{ questionId: 'come', value: 'ja' }, 'come'],
      [{ questionId: 'topic', value: 'Rente' }, 'topic'],
      [{ questionId: 'many', value: ['A', 'C'] }, 'many'],
      [{ questionId: 'mood', value: 6 }, 'mood'],
      [{ questionId: 'free', value: 3 }, 'free'],
    ] as const;
    for (const [answer, name] of bad) {
      const res = await outcome(caller, call.id, { outcome: 'reached', answers: [answer] });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toContain(`question ${name}`);
    }
    const answers = [
      { questionId: 'come', value: true },
      { questionId: 'topic', value: 'Klima' },
      { questionId: 'many', value: ['A', 'B'] },
      { questionId: 'mood', value: 4 },
      { questionId: 'free', value: 'Danke' },
    ];
    expect((await outcome(caller, call.id, { outcome: 'reached', answers })).statusCode).toBe(200);
    const row = await t.db
      .selectFrom('calls')
      .select('answers')
      .where('id', '=', call.id)
      .executeTakeFirstOrThrow();
    // Free-text answers are marked so that erasing the person removes them.
    expect(row.answers).toEqual([...answers.slice(0, 4), { ...answers[4], free: true }]);
  });
});

describe('progress', () => {
  it('counts targets by state, calls by outcome and by caller; scoped to the unit', async () => {
    const [c1, c2, idle] = [await newCaller(), await newCaller(), await newCaller()];
    const { id, city } = await makeAssignment({ maxAttempts: 2 }, [c1, c2, idle]);
    const progress = (c: Client = organizer) => c.get(`/api/call-assignments/${id}/progress`);

    const empty = await progress();
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toMatchObject({
      targets: 0,
      attempted: 0,
      remaining: 0,
      calls: 0,
      lastCallAt: null,
    });

    for (let i = 0; i < 5; i++) await makePerson(city); // callable
    await makePerson(city, { doNotCall: true });
    await makePerson(city, { phones: [] });
    const maxed = await makePerson(city);
    await setTarget(id, maxed, { attempts: 2 });
    await makePerson(`${city}-anders`); // not on the list
    await makePerson(city, { orgId: orgs.kreisB1 }, bundAdmin); // outside the unit

    const take = async (c: Client, body: Record<string, unknown>) => {
      const call = (await next(c, id)).json().call;
      expect((await outcome(c, call.id, body)).statusCode).toBe(200);
    };
    await take(c1, { outcome: 'reached' });
    await take(c2, { outcome: 'no_answer' });
    await take(c1, { outcome: 'call_back', callBackAt: new Date(Date.now() + 3600_000).toISOString() });
    await take(c2, { outcome: 'do_not_call' });

    const res = await progress();
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p).toMatchObject({
      targets: 8,
      attempted: 5,
      done: 1,
      reached: 1,
      // The person preset to do-not-call and the one who asked for it on the phone.
      doNotCall: 2,
      noValidPhone: 1,
      maxAttempts: 1,
      remaining: 3,
      cooldown: 1,
      callBackLater: 1,
      calls: 4,
    });
    expect(p.targets).toBe(p.done + p.doNotCall + p.noValidPhone + p.leftList + p.maxAttempts + p.remaining);
    expect(p.byOutcome).toMatchObject({ reached: 1, no_answer: 1, call_back: 1, do_not_call: 1, busy: 0 });
    expect(Object.values(p.byOutcome).reduce((a: number, b) => a + (b as number), 0)).toBe(4);
    expect(p.byCaller).toHaveLength(3);
    expect(p.byCaller).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ callerId: c1.userId, calls: 2, reached: 1 }),
        expect.objectContaining({ callerId: c2.userId, calls: 2, reached: 0 }),
        expect.objectContaining({ callerId: idle.userId, calls: 0, reached: 0, lastCallAt: null }),
      ]),
    );
    expect(p.byCaller[2].callerId).toBe(idle.userId); // most calls first
    expect(Date.parse(p.lastCallAt)).toBeGreaterThan(Date.now() - 60_000);

    // Scope: the unit above may read it; a sibling unit gets 404, a caller 403.
    expect((await progress(bundAdmin)).statusCode).toBe(200);
    expect((await progress(await loginAs(t, 'organizer', orgs.kreisA2))).statusCode).toBe(404);
    expect((await progress(c1)).statusCode).toBe(403);
  });
});

describe('concurrency', () => {
  it('never gives one person to two callers (50 callers claiming at once)', async () => {
    const callers = await Promise.all(Array.from({ length: 50 }, () => newCaller()));
    const { id, city } = await makeAssignment({}, callers);
    // 60 people, inserted directly (faster than the API).
    for (let i = 0; i < 60; i++) {
      const { id: personId } = await t.db
        .insertInto('people')
        .values({ orgId: orgs.kreisA1, lastName: `Parallel ${i}`, city, customFields: '{}' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.db
        .insertInto('personPhones')
        .values({ personId, raw: '0171 555', e164: '+49171555' })
        .execute();
    }
    const results = await Promise.all(callers.map((c) => next(c, id)));
    const people = results.map((r) => r.json().call?.person.id);
    // Every caller got someone (60 people for 50 callers), and nobody twice.
    expect(people.every(Boolean)).toBe(true);
    expect(new Set(people).size).toBe(people.length);
    const locks = await t.db
      .selectFrom('callLocks')
      .select('personId')
      .where('assignmentId', '=', id)
      .execute();
    expect(locks).toHaveLength(50);
    // The same caller asking five times at once gets one claim.
    const repeat = await Promise.all(Array.from({ length: 5 }, () => next(callers[0], id)));
    expect(new Set(repeat.map((r) => r.json().call.id)).size).toBe(1);
    if (t.database.kind === 'postgres') {
      // On PostgreSQL the claims really ran in parallel on separate connections.
      const callIds = results.map((r) => r.json().call.id);
      expect(new Set(callIds).size).toBe(50);
    }
  });
});

describe('goals and campaigns', () => {
  it('treats people in the goal list as done: they leave the queue and count as goal met', async () => {
    const caller = await newCaller();
    const { id, city } = await makeAssignment({}, [caller]);
    const done = await makePerson(city, { firstName: 'Erledigt' });
    const open = await makePerson(city, { firstName: 'Offen' });
    const goal = await organizer.post('/api/queries', {
      orgId: orgs.kreisA1,
      name: `Ziel ${city}`,
      filter: { kind: 'field', field: 'firstName', op: 'equals', value: 'Erledigt' },
    });
    const a = await organizer.patch(`/api/call-assignments/${id}`, { goalQueryId: goal.json().id });
    expect(a.json().goalQueryId).toBe(goal.json().id);
    expect(await drain(caller, id)).toEqual([open]);
    const progress = (await organizer.get(`/api/call-assignments/${id}/progress`)).json();
    // Goal met: the one in the goal list and the one reached here.
    expect(progress).toMatchObject({ targets: 2, done: 2, goalMet: 2, reached: 1, remaining: 0 });
    expect(done).toBeTruthy();

    const self = await organizer.patch(`/api/call-assignments/${id}`, {
      goalQueryId: a.json().targetQueryId,
    });
    expect(self.statusCode).toBe(400);
    expect(self.json().error.message).toMatch(/goal list cannot be the target list/);
  });

  it('skips people reached recently by another open assignment of the same campaign', async () => {
    const caller = await newCaller();
    const first = await makeAssignment({}, [caller]);
    const second = await makeAssignment({}, [caller]);
    // Both assignments target the same list.
    await organizer.patch(`/api/call-assignments/${second.id}`, {
      targetQueryId: first.assignment.targetQueryId,
    });
    const campaign = await organizer.post('/api/campaigns', {
      orgId: orgs.kreisA1,
      title: `Kampagne ${first.city}`,
      targetFilter: { kind: 'status', statuses: ['member'] },
    });
    const campaignId = campaign.json().id as string;
    await t.db
      .updateTable('callAssignments')
      .set({ campaignId })
      .where('id', 'in', [first.id, second.id])
      .execute();
    const p = await makePerson(first.city);
    expect(await drain(caller, first.id)).toEqual([p]);
    expect((await next(caller, second.id)).json()).toEqual({ call: null, reason: 'queue_empty' });
    expect((await organizer.get(`/api/call-assignments/${second.id}/progress`)).json()).toMatchObject({
      targets: 1,
      done: 1,
      reachedElsewhere: 1,
    });
    // The rule can be switched off per assignment; a paused first assignment no longer counts either.
    await organizer.patch(`/api/call-assignments/${second.id}`, { reachedElsewhereDays: 0 });
    const call = (await next(caller, second.id)).json().call;
    expect(call.person.id).toBe(p);
    await caller.post(`/api/calls/${call.id}/skip`, {});
    await organizer.patch(`/api/call-assignments/${second.id}`, { reachedElsewhereDays: 30 });
    await organizer.patch(`/api/call-assignments/${first.id}`, { status: 'paused' });
    await t.db
      .updateTable('callTargets')
      .set({ cooldownUntil: null })
      .where('assignmentId', '=', second.id)
      .execute();
    expect((await next(caller, second.id)).json().call.person.id).toBe(p);
  });
});

describe('what a reached call produces', () => {
  it('records event sign-ups, newsletter interest as pending consent, and follow-ups organizers resolve', async () => {
    const caller = await newCaller();
    const eventId = randomUUID();
    const { id, city } = await makeAssignment({ eventIds: [eventId] }, [caller]);
    const p = await makePerson(city);
    const call = (await next(caller, id)).json().call;
    expect(call.eventIds).toEqual([eventId]);

    const foreign = await outcome(caller, call.id, { outcome: 'reached', eventIds: [randomUUID()] });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.message).toMatch(/not offered/);
    const notReached = await outcome(caller, call.id, { outcome: 'no_answer', newsletter: true });
    expect(notReached.statusCode).toBe(400);
    expect(notReached.json().error.details[0].path).toBe('body.newsletter');

    const ok = await outcome(caller, call.id, {
      outcome: 'reached',
      eventIds: [eventId],
      newsletter: true,
      followUp: { reason: 'Möchte im Vorstand mitarbeiten' },
      note: 'Sehr engagiert',
    });
    expect(ok.statusCode).toBe(200);
    const consent = await t.db.selectFrom('consents').selectAll().where('personId', '=', p).execute();
    expect(consent).toEqual([
      expect.objectContaining({
        channel: 'newsletter',
        status: 'pending',
        source: 'call',
        sourceRef: call.id,
      }),
    ]);

    const followUps = (await organizer.get(`/api/call-assignments/${id}/follow-ups`)).json();
    expect(followUps.items).toEqual([
      expect.objectContaining({
        id: call.id,
        personId: p,
        personName: expect.stringMatching(/^Vera Person-/),
        callerId: caller.userId,
        outcome: 'reached',
        eventIds: [eventId],
        newsletter: true,
        note: 'Sehr engagiert',
        followUpReason: 'Möchte im Vorstand mitarbeiten',
        followUpResolvedAt: null,
      }),
    ]);
    expect((await caller.get(`/api/call-assignments/${id}/follow-ups`)).statusCode).toBe(403);
    expect((await caller.post(`/api/calls/${call.id}/follow-up/resolve`)).statusCode).toBe(403);
    const resolved = await organizer.post(`/api/calls/${call.id}/follow-up/resolve`);
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json().followUpResolvedAt).toEqual(expect.any(String));
    expect((await organizer.get(`/api/call-assignments/${id}/follow-ups`)).json().items).toEqual([]);
    expect(
      (await organizer.get(`/api/call-assignments/${id}/follow-ups?state=resolved`)).json().items,
    ).toHaveLength(1);
    const timeline = (await organizer.get(`/api/people/${p}/timeline`)).json().items;
    expect(timeline.find((e: { kind: string }) => e.kind === 'call.reached').data).toMatchObject({
      assignmentTitle: expect.stringContaining('Anrufe'),
      eventIds: [eventId],
      newsletter: true,
      followUp: 'Möchte im Vorstand mitarbeiten',
    });
    expect(timeline.map((e: { kind: string }) => e.kind)).toContain('consent.requested');
  });

  it('applies answer actions: tag, custom field, follow-up; refuses actions that do not fit', async () => {
    const caller = await newCaller();
    const tag = (
      await organizer.post(`/api/orgs/${orgs.kreisA1}/tags`, { name: `Helfer-${randomUUID().slice(0, 4)}` })
    ).json();
    const field = (
      await bundAdmin.post(`/api/orgs/${orgs.kreisA1}/fields`, {
        label: `Plakate ${randomUUID().slice(0, 4)}`,
        type: 'boolean',
      })
    ).json();
    const questions = [
      {
        id: 'help',
        type: 'yes_no',
        text: 'Hilfst du beim Plakatieren?',
        actions: [
          { when: 'yes', addTagId: tag.id, setField: { fieldId: field.id, value: true } },
          { when: 'no', followUp: 'Nachfragen, warum nicht' },
        ],
      },
      {
        id: 'topic',
        type: 'multiple_choice',
        text: 'Themen?',
        options: ['Miete', 'Klima'],
        actions: [{ when: 'Klima', followUp: 'Klima-AG vorstellen' }],
      },
    ];
    const bad = await organizer.post('/api/call-assignments', {
      orgId: orgs.kreisA1,
      title: 'x',
      targetQueryId: (await makeAssignment()).assignment.targetQueryId,
      questions: [{ ...questions[1], actions: [{ when: 'Verkehr', followUp: 'x' }] }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/Question topic: an action is for "Verkehr"/);
    const badField = await organizer.post('/api/call-assignments', {
      orgId: orgs.kreisA1,
      title: 'x',
      targetQueryId: (await makeAssignment()).assignment.targetQueryId,
      questions: [
        { ...questions[0], actions: [{ when: 'yes', setField: { fieldId: field.id, value: 'ja' } }] },
      ],
    });
    expect(badField.statusCode).toBe(400);
    expect(badField.json().error.details[0].path).toBe('body.questions.0.actions.0');

    const { id, city } = await makeAssignment({ questions }, [caller]);
    const yes = await makePerson(city, { firstName: 'Ja' });
    const no = await makePerson(city, { firstName: 'Nein' });
    for (let i = 0; i < 2; i++) {
      const call = (await next(caller, id)).json().call;
      expect(JSON.stringify(call.questions)).not.toContain('actions'); // callers don't see them
      const isYes = call.person.id === yes;
      const res = await outcome(caller, call.id, {
        outcome: 'reached',
        answers: [
          { questionId: 'help', value: isYes },
          { questionId: 'topic', value: isYes ? ['Miete'] : ['Miete', 'Klima'] },
        ],
      });
      expect(res.statusCode).toBe(200);
    }
    const tagged = await t.db
      .selectFrom('personTags')
      .select('personId')
      .where('tagId', '=', tag.id)
      .execute();
    expect(tagged.map((r) => r.personId)).toEqual([yes]);
    const fields = await t.db
      .selectFrom('people')
      .select(['id', 'customFields'])
      .where('id', 'in', [yes, no])
      .execute();
    expect(Object.fromEntries(fields.map((f) => [f.id, f.customFields]))).toEqual({
      [yes]: { [field.id]: true },
      [no]: {},
    });
    const followUps = (await organizer.get(`/api/call-assignments/${id}/follow-ups`)).json().items;
    expect(followUps).toEqual([
      expect.objectContaining({
        personId: no,
        followUpReason: 'Nachfragen, warum nicht; Klima-AG vorstellen',
      }),
    ]);
  });

  it('lists recent calls newest first with a cursor, for organizers only', async () => {
    const caller = await newCaller();
    const { id, city } = await makeAssignment({}, [caller]);
    for (let i = 0; i < 3; i++) await makePerson(city);
    const order = await drain(caller, id);
    const first = (await organizer.get(`/api/call-assignments/${id}/calls?limit=2`)).json();
    expect(first.items.map((c: { personId: string }) => c.personId)).toEqual([order[2], order[1]]);
    const rest = (
      await organizer.get(`/api/call-assignments/${id}/calls?limit=2&cursor=${first.nextCursor}`)
    ).json();
    expect(rest.items.map((c: { personId: string }) => c.personId)).toEqual([order[0]]);
    expect(rest.nextCursor).toBeNull();
    expect((await caller.get(`/api/call-assignments/${id}/calls`)).statusCode).toBe(403);
    const sibling = await loginAs(t, 'organizer', orgs.kreisA2);
    expect((await sibling.get(`/api/call-assignments/${id}/calls`)).statusCode).toBe(404);
  });

  it('shows notes of earlier attempts to callers only when the assignment allows it', async () => {
    const caller = await newCaller();
    const { id, city } = await makeAssignment({ cooldownHours: 0 }, [caller]);
    await makePerson(city);
    let call = (await next(caller, id)).json().call;
    await outcome(caller, call.id, { outcome: 'no_answer', note: 'Mailbox voll' });
    call = (await next(caller, id)).json().call;
    expect(call.history).toEqual([{ at: expect.any(String), outcome: 'no_answer' }]);
    await caller.post(`/api/calls/${call.id}/skip`, {});
    await organizer.patch(`/api/call-assignments/${id}`, { showPreviousNotes: true });
    await t.db
      .updateTable('callTargets')
      .set({ cooldownUntil: null })
      .where('assignmentId', '=', id)
      .execute();
    call = (await next(caller, id)).json().call;
    expect(call.history).toEqual([{ at: expect.any(String), outcome: 'no_answer', note: 'Mailbox voll' }]);
  });
});

describe('log a call and own figures', () => {
  it('finds people among the targets only and claims one who called back on their own', async () => {
    const caller = await newCaller();
    const other = await newCaller();
    const { id, city } = await makeAssignment({}, [caller, other]);
    const target = await makePerson(city, { firstName: 'Rückrufer', lastName: 'Zimmermann' });
    const busy = await makePerson(city, { firstName: 'Belegt', lastName: 'Zimmermann' });
    const outsider = await makePerson('Anderswo', { firstName: 'Fremd', lastName: 'Zimmermann' });

    const found = (await caller.get(`/api/call-assignments/${id}/targets?q=zimmermann`)).json().items;
    expect(found.map((x: { id: string }) => x.id).sort()).toEqual([busy, target].sort());
    expect(JSON.stringify(found)).not.toContain(outsider);
    expect((await caller.get(`/api/call-assignments/${id}/targets?q=z`)).statusCode).toBe(400);

    // The other caller is talking to "Belegt" right now (claimed directly).
    expect((await other.post(`/api/call-assignments/${id}/claim`, { personId: busy })).statusCode).toBe(200);
    const taken = await caller.post(`/api/call-assignments/${id}/claim`, { personId: busy });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.message).toMatch(/Another caller/);
    expect((await caller.post(`/api/call-assignments/${id}/claim`, { personId: outsider })).statusCode).toBe(
      404,
    );

    const claimed = await caller.post(`/api/call-assignments/${id}/claim`, { personId: target });
    expect(claimed.statusCode).toBe(200);
    expect(claimed.json().call.person).toMatchObject({ id: target, firstName: 'Rückrufer' });
    // Holding one call, another claim must wait; the same person is answered again.
    expect((await caller.post(`/api/call-assignments/${id}/claim`, { personId: busy })).statusCode).toBe(409);
    expect(
      (await caller.post(`/api/call-assignments/${id}/claim`, { personId: target })).json().call.id,
    ).toBe(claimed.json().call.id);
    expect((await outcome(caller, claimed.json().call.id, { outcome: 'reached' })).statusCode).toBe(200);

    const stats = (await caller.get(`/api/call-assignments/${id}/my-stats`)).json();
    expect(stats).toMatchObject({ calls: 1, reached: 1, eventSignUps: 0, newsletter: 0 });
    const later = (
      await caller.get(
        `/api/call-assignments/${id}/my-stats?since=${new Date(Date.now() + 60_000).toISOString()}`,
      )
    ).json();
    expect(later.calls).toBe(0);
    expect((await organizer.get(`/api/call-assignments/${id}/targets?q=zimmermann`)).statusCode).toBe(404);
  });
});

describe('the materialised queue', () => {
  it('puts a person whose last number turned out wrong into cooldown on the queue row', async () => {
    const caller = await newCaller();
    const { id, city } = await makeAssignment({ cooldownHours: 24 }, [caller]);
    const p = await makePerson(city);
    const call = (await next(caller, id)).json().call;
    expect((await outcome(caller, call.id, { outcome: 'wrong_number' })).statusCode).toBe(200);
    const row = await t.db
      .selectFrom('callTargets')
      .select(['cooldownUntil', 'attempts', 'done'])
      .where('assignmentId', '=', id)
      .where('personId', '=', p)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ attempts: 1, done: false });
    expect(row.cooldownUntil && row.cooldownUntil.getTime() > Date.now() + 23 * 3_600_000).toBe(true);
  });

  it('takes in people who become callable or join the list after the queue was synced', async () => {
    const caller = await newCaller();
    const { id, city } = await makeAssignment({}, [caller]);
    const silent = await makePerson(city, { phones: [] });
    expect((await next(caller, id)).json()).toEqual({ call: null, reason: 'queue_empty' });
    // A phone arrives: the change makes the empty queue sync again.
    expect(
      (await organizer.patch(`/api/people/${silent}`, { phones: [{ number: '0171 7654321' }] })).statusCode,
    ).toBe(200);
    expect(await drain(caller, id)).toEqual([silent]);
    const late = await makePerson(city);
    expect(await drain(caller, id)).toEqual([late]);
    const rows = await t.db
      .selectFrom('callTargets')
      .select('personId')
      .where('assignmentId', '=', id)
      .execute();
    expect(rows.map((r) => r.personId).sort()).toEqual([silent, late].sort());
  });
});
