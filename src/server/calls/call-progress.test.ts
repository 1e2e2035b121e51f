import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import {
  ALWAYS_OPEN,
  loginAs,
  makeOrgTree,
  makePerson as makePersonAs,
  type OrgTree,
} from '../../../test/factories.ts';

/**
 * The progress figures of an assignment over a scripted sequence of outcomes: every figure is
 * written out, and the categories add up to the targets (issue "The first hour": the figures did
 * not add up — a person whose number was marked wrong vanished from the targets, do-not-call
 * outcomes were not counted as do-not-call, and "goal met" stayed 0 under the default goal).
 */

let t: TestApp;
let orgs: OrgTree;
let organizer: Client;
let caller: Client;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  organizer = await loginAs(t, 'organizer', orgs.kreisA1);
  caller = await loginAs(t, 'caller', orgs.kreisA1);
});
afterAll(() => t.close());

const CITY = 'Progressstadt';

const makePerson = (name: string, body: Record<string, unknown> = {}) =>
  makePersonAs(organizer, orgs.kreisA1, { firstName: name, lastName: 'Beispiel', city: CITY, ...body });

/** "A day later": every cooldown of the assignment is over. */
const cooldownsOver = (assignmentId: string) =>
  t.db
    .updateTable('callTargets')
    .set({ cooldownUntil: new Date(Date.now() - 60_000) })
    .where('assignmentId', '=', assignmentId)
    .execute();

const CATEGORY_KEYS = [
  'goalMet',
  'doNotCall',
  'reachedElsewhere',
  'declined',
  'noValidPhone',
  'leftList',
  'maxAttempts',
  'inProgress',
  'notCalledYet',
] as const;

describe('progress figures over a scripted sequence of outcomes', () => {
  it('counts every person in exactly one category; calls are counted apart', async () => {
    // The list most offices call: people of the city with a valid phone number.
    const list = await organizer.post('/api/queries', {
      orgId: orgs.kreisA1,
      name: 'Progressstadt mit Telefon',
      filter: {
        kind: 'group',
        op: 'and',
        children: [
          { kind: 'field', field: 'city', op: 'equals', value: CITY },
          { kind: 'contact', channel: 'phone' },
        ],
      },
    });
    expect(list.statusCode).toBe(201);
    const created = await organizer.post('/api/call-assignments', {
      orgId: orgs.kreisA1,
      title: 'Erste Stunde',
      targetQueryId: list.json().id,
      callingHours: ALWAYS_OPEN,
      status: 'open',
      maxAttempts: 2,
      cooldownHours: 24,
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect(
      (await organizer.post(`/api/call-assignments/${id}/callers`, { userId: caller.userId })).statusCode,
    ).toBe(200);

    for (const name of ['Anna', 'Ben', 'Cem', 'Dana', 'Emil', 'Fatma', 'Gero', 'Hana'])
      await makePerson(name);
    await makePerson('Ines', { doNotCall: true }); // in the list, asked earlier not to be called
    await makePerson('Jan', { phones: [] }); // not in the list: no phone
    await makePerson('Kai', { city: 'Anderswo' }); // not in the list

    const progress = async () => {
      const res = await organizer.get(`/api/call-assignments/${id}/progress`);
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    const call = async (outcome: string, extra: Record<string, unknown> = {}) => {
      const res = await caller.post(`/api/call-assignments/${id}/next`);
      const c = res.json().call;
      expect(c, `a call for ${outcome}`).toBeTruthy();
      const saved = await caller.post(`/api/calls/${c.id}/outcome`, {
        clientId: randomUUID(),
        outcome,
        ...extra,
      });
      expect(saved.statusCode).toBe(200);
      return c.person.id as string;
    };

    const before = await progress();
    expect(before).toMatchObject({
      targets: 9,
      attempted: 0,
      reached: 0,
      calls: 0,
      done: 0,
      remaining: 8,
      goalMet: 0,
      doNotCall: 1,
      notCalledYet: 8,
    });

    // The first hour: six calls to six different people.
    await call('reached');
    await call('reached');
    await call('no_answer');
    await call('wrong_number'); // their only number: they leave the "with phone" list
    await call('do_not_call');
    await call('call_back', { callBackAt: new Date(Date.now() + 3600_000).toISOString() });

    const first = await progress();
    expect(first).toMatchObject({
      targets: 9, // nobody vanished: the wrong number is still a target
      attempted: 6, // people called
      calls: 6, // calls recorded
      reached: 2,
      goalMet: 2, // default goal: reached in this assignment
      doNotCall: 2, // Ines and the do-not-call outcome
      reachedElsewhere: 0,
      declined: 0,
      noValidPhone: 1,
      leftList: 0,
      maxAttempts: 0,
      inProgress: 2, // no answer, call back
      notCalledYet: 2, // Gero and Hana (or whichever two the queue has not offered yet)
      done: 2,
      remaining: 4,
      cooldown: 1,
      callBackLater: 1,
    });
    expect(first.byOutcome).toEqual({
      reached: 2,
      no_answer: 1,
      busy: 0,
      voicemail: 0,
      call_back: 1,
      wrong_number: 1,
      number_outdated: 0,
      not_interested: 0,
      do_not_call: 1,
      other: 0,
    });

    // A day later: the last two fresh people, then the one who did not answer, a second time.
    await cooldownsOver(id);
    await call('not_interested');
    const moving = await call('no_answer');
    await cooldownsOver(id);
    await call('no_answer'); // attempt 2 of 2
    // The person who did not answer moves away: no longer in the list, but called here.
    expect((await organizer.patch(`/api/people/${moving}`, { city: 'Anderswo' })).statusCode).toBe(200);

    const second = await progress();
    expect(second).toMatchObject({
      targets: 9,
      attempted: 8,
      calls: 9,
      reached: 2,
      goalMet: 2,
      doNotCall: 2,
      reachedElsewhere: 0,
      declined: 1,
      noValidPhone: 1,
      leftList: 1,
      maxAttempts: 1,
      inProgress: 1, // the call-back, due in an hour
      notCalledYet: 0,
      done: 3,
      remaining: 1,
      cooldown: 0,
      callBackLater: 1,
    });
    // The categories partition the targets; the totals are their sums.
    expect(CATEGORY_KEYS.reduce((n, k) => n + second[k], 0)).toBe(9);
    expect(second.done).toBe(second.goalMet + second.reachedElsewhere + second.declined);
    expect(second.remaining).toBe(second.inProgress + second.notCalledYet);
    // What remains waits for its call-back time: the queue has nobody to offer now.
    expect((await caller.post(`/api/call-assignments/${id}/next`)).json()).toEqual({
      call: null,
      reason: 'queue_empty',
    });
  });
});
