import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, clientFor, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeCityAssignment, makeOrgTree, makeUser, type OrgTree } from '../../../test/factories.ts';
import { createSession } from '../auth/auth.service.ts';
import type { BaseCtx } from '../context.ts';

/** Grants that rows seem to carry (caller rows, links, invitations) end when the role behind them ends. */
let t: TestApp;
let orgs: OrgTree;
let adminA1: Client;
let organizerA1: Client;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  adminA1 = await loginAs(t, 'admin', orgs.kreisA1);
  organizerA1 = await loginAs(t, 'organizer', orgs.kreisA1);
});
afterAll(() => t.close());

const ctx = (): BaseCtx => ({
  db: t.db,
  config: t.config,
  mail: t.mail,
  jobs: t.jobs,
  log: t.app.log,
  ip: null,
});

/** A volunteer calling for Kreis A1 and Kreis A2 at once. */
async function twoUnitCaller() {
  const user = await makeUser(t.db, {
    memberships: [
      { orgId: orgs.kreisA1, role: 'caller' },
      { orgId: orgs.kreisA2, role: 'caller' },
    ],
  });
  const cookie = await createSession(ctx(), { userId: user.id, secondFactor: 'none' }, 'vitest');
  return clientFor(t.app, { userId: user.id, email: user.email }, { cookie });
}

let seq = 0;
async function assignmentWithPeople(callers: Client[]) {
  const city = `Zugriff-${++seq}`;
  for (const lastName of ['Eins', 'Zwei']) {
    const res = await organizerA1.post('/api/people', {
      orgId: orgs.kreisA1,
      lastName,
      city,
      phones: [{ number: '0171 2345678' }],
    });
    expect(res.statusCode).toBe(201);
  }
  const a = await makeCityAssignment(organizerA1, orgs.kreisA1, city);
  for (const c of callers) {
    expect(
      (await organizerA1.post(`/api/call-assignments/${a.id}/callers`, { userId: c.userId })).statusCode,
    ).toBe(200);
  }
  return a.id;
}

describe('a caller whose role was removed', () => {
  it('cannot call, search targets or see the assignment any more, and their claim is freed', async () => {
    const caller = await twoUnitCaller();
    const colleague = await loginAs(t, 'caller', orgs.kreisA1);
    const id = await assignmentWithPeople([caller, colleague]);
    const claimed = await caller.post(`/api/call-assignments/${id}/next`);
    expect(claimed.statusCode).toBe(200);
    const claimedPerson = claimed.json().call.person.id as string;
    expect(
      (await caller.get('/api/me/call-assignments')).json().items.map((a: { id: string }) => a.id),
    ).toContain(id);

    const removed = await adminA1.delete(`/api/orgs/${orgs.kreisA1}/memberships/${caller.userId}`);
    expect(removed.statusCode).toBe(204);

    const notFound = { error: { code: 'not_found', message: 'Not found.' } };
    for (const res of [
      await caller.post(`/api/call-assignments/${id}/next`),
      await caller.get(`/api/call-assignments/${id}/targets?q=eins`),
      await caller.post(`/api/call-assignments/${id}/heartbeat`),
      await caller.get(`/api/call-assignments/${id}/my-stats`),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual(notFound);
    }
    expect((await caller.get('/api/me/call-assignments')).json().items).toEqual([]);
    // Their caller row and their claim are gone: a colleague can take both people.
    const rows = await t.db
      .selectFrom('callAssignmentCallers')
      .select('userId')
      .where('assignmentId', '=', id)
      .execute();
    expect(rows.map((r) => r.userId)).toEqual([colleague.userId]);
    const taken = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const res = await colleague.post(`/api/call-assignments/${id}/next`);
      expect(res.statusCode).toBe(200);
      taken.add(res.json().call.person.id);
      await colleague.post(`/api/calls/${res.json().call.id}/outcome`, {
        clientId: `c-${id}-${i}`,
        outcome: 'reached',
      });
    }
    expect(taken).toContain(claimedPerson);
    // Their role in Kreis A2 still works there.
    expect((await caller.get(`/api/orgs/${orgs.kreisA2}`)).statusCode).toBe(200);
  });

  it('a caller row left without any role grants nothing (checked at every request)', async () => {
    const caller = await twoUnitCaller();
    const id = await assignmentWithPeople([caller]);
    // However the role went (here straight in the database), the row alone opens nothing.
    await t.db
      .deleteFrom('memberships')
      .where('userId', '=', caller.userId)
      .where('orgId', '=', orgs.kreisA1)
      .execute();
    expect((await caller.post(`/api/call-assignments/${id}/next`)).statusCode).toBe(404);
    expect((await caller.get('/api/me/call-assignments')).json().items).toEqual([]);
  });
});

describe('who may call', () => {
  it('a volunteer of a sub-unit calls for the unit above, as long as that role lasts', async () => {
    const ortCaller = await loginAs(t, 'caller', orgs.ortA1a);
    const id = await assignmentWithPeople([ortCaller]);
    expect(
      (await ortCaller.get('/api/me/call-assignments')).json().items.map((a: { id: string }) => a.id),
    ).toEqual([id]);
    expect((await ortCaller.post(`/api/call-assignments/${id}/next`)).statusCode).toBe(200);
    const adminOrt = await loginAs(t, 'admin', orgs.ortA1a);
    expect(
      (await adminOrt.delete(`/api/orgs/${orgs.ortA1a}/memberships/${ortCaller.userId}`)).statusCode,
    ).toBe(204);
    // With no role left at all the guard refuses before any id is looked at: the same for every id.
    const refused = await ortCaller.post(`/api/call-assignments/${id}/next`);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toBe(
      (await ortCaller.post('/api/call-assignments/00000000-0000-4000-8000-00000000beef/next')).body,
    );
  });
});

describe('links carry the grant of whoever made them', () => {
  it('a call invite link stops working when its organizer loses the role', async () => {
    const organizer = await loginAs(t, 'organizer', orgs.kreisA1);
    const a = await makeCityAssignment(organizer, orgs.kreisA1, `Link-${++seq}`);
    const link = (await organizer.post(`/api/call-assignments/${a.id}/invite-links`, { maxUses: 5 })).json();
    const token = new URL(link.url).pathname.split('/').pop()!;
    expect((await t.app.inject({ method: 'GET', url: `/api/call-invites/${token}` })).statusCode).toBe(200);

    expect(
      (await adminA1.delete(`/api/orgs/${orgs.kreisA1}/memberships/${organizer.userId}`)).statusCode,
    ).toBe(204);
    const preview = await t.app.inject({ method: 'GET', url: `/api/call-invites/${token}` });
    expect(preview.statusCode).toBe(410);
    expect(preview.json().error.code).toBe('invitation_invalid');
    const accept = await t.app.inject({
      method: 'POST',
      url: `/api/call-invites/${token}/accept`,
      payload: { name: 'Neu', email: `neu-${seq}@example.org`, password: 'lang genug 123' },
    });
    expect(accept.statusCode).toBe(410);
    expect(
      await t.db.selectFrom('users').select('id').where('email', '=', `neu-${seq}@example.org`).execute(),
    ).toEqual([]);
  });

  it('an invitation is void once its sender may no longer grant that role there', async () => {
    const sender = await loginAs(t, 'admin', orgs.kreisA1);
    const email = `eingeladen-${++seq}@example.org`;
    expect(
      (await sender.post(`/api/orgs/${orgs.kreisA1}/invitations`, { email, role: 'admin' })).statusCode,
    ).toBe(201);
    const mail = await t.db
      .selectFrom('mailMessages')
      .select('textBody')
      .where('toAddress', '=', email)
      .executeTakeFirstOrThrow();
    const token = /\/invitation\/([\w-]+)/.exec(mail.textBody)![1];
    expect((await t.app.inject({ method: 'GET', url: `/api/invitations/${token}` })).statusCode).toBe(200);
    // The sender is demoted to caller: an admin invitation from them grants nothing any more.
    expect(
      (await adminA1.patch(`/api/orgs/${orgs.kreisA1}/memberships/${sender.userId}`, { role: 'caller' }))
        .statusCode,
    ).toBe(204);
    const preview = await t.app.inject({ method: 'GET', url: `/api/invitations/${token}` });
    expect(preview.statusCode).toBe(410);
    const accept = await t.app.inject({
      method: 'POST',
      url: `/api/invitations/${token}/accept`,
      payload: { name: 'Neu', password: 'lang genug 123' },
    });
    expect(accept.statusCode).toBe(410);
    expect(await t.db.selectFrom('users').select('id').where('email', '=', email).execute()).toEqual([]);
  });
});
