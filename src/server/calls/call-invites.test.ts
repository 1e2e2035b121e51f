import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, clientFor, createTestApp, sessionCookieOf, type TestApp } from '../../../test/app.ts';
import { loginAs, makeCityAssignment, makeOrgTree, makeUser, type OrgTree } from '../../../test/factories.ts';

let t: TestApp;
let orgs: OrgTree;
let organizer: Client;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  organizer = await loginAs(t, 'organizer', orgs.kreisA1);
});
afterAll(() => t.close());

let seq = 0;

/** An open assignment of Kreis A1 on "everyone in <city>", with one callable person in it. */
async function makeAssignment(body: Record<string, unknown> = {}) {
  const city = `Einladestadt-${++seq}`;
  const assignment = await makeCityAssignment(organizer, orgs.kreisA1, city, body);
  const person = await organizer.post('/api/people', {
    orgId: orgs.kreisA1,
    firstName: 'Vera',
    lastName: `Person-${randomUUID().slice(0, 6)}`,
    city,
    phones: [{ number: '0171 1234567' }],
  });
  expect(person.statusCode).toBe(201);
  return assignment.id;
}

async function makeLink(assignmentId: string, body: Record<string, unknown> = {}) {
  const res = await organizer.post(`/api/call-assignments/${assignmentId}/invite-links`, body);
  expect(res.statusCode).toBe(201);
  const link = res.json() as { id: string; url: string; expiresAt: string; maxUses: number | null };
  return { ...link, token: link.url.split('/join/')[1] };
}

// Every public request from its own address, so the per-IP rate limit stays out of the way.
let ip = 0;
const publicRequest = (opts: InjectOptions) =>
  t.app.inject({ remoteAddress: `10.1.${Math.floor(++ip / 250)}.${ip % 250}`, ...opts });
const preview = (token: string) => publicRequest({ method: 'GET', url: `/api/call-invites/${token}` });
const accept = (token: string, body?: unknown, cookie?: string) =>
  publicRequest({
    method: 'POST',
    url: `/api/call-invites/${token}/accept`,
    ...(body === undefined ? {} : { payload: body as object }),
    ...(cookie ? { headers: { cookie: `draht_session=${cookie}` } } : {}),
  });
/** Signs a user in through the login route; returns the session cookie. */
async function sessionOf(user: { email: string; password: string }) {
  const login = await publicRequest({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: user.email, password: user.password },
  });
  expect(login.statusCode).toBe(200);
  return sessionCookieOf(login)!;
}
const volunteer = (name = 'Nele Neu') => ({
  name,
  email: `neu-${randomUUID().slice(0, 8)}@example.org`,
  password: 'sicheres passwort',
});

describe('caller invitation links', () => {
  it('a new volunteer registers through the link and becomes caller of that assignment only', async () => {
    const assignmentId = await makeAssignment();
    const otherAssignmentId = await makeAssignment();
    const link = await makeLink(assignmentId);
    expect(link.url).toMatch(/^http:\/\/draht\.test\/join\/[\w-]{43}$/);
    expect(link.maxUses).toBeNull();
    const days = (Date.parse(link.expiresAt) - Date.now()) / 86400000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThan(14.1);

    const info = await preview(link.token);
    expect(info.statusCode).toBe(200);
    expect(info.json()).toEqual({ assignmentTitle: expect.stringMatching(/^Anrufe /), orgName: 'Kreis A1' });

    const me = volunteer();
    const res = await accept(link.token, me);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ assignmentId });
    const cookie = sessionCookieOf(res);
    expect(cookie).toBeTruthy();
    const user = await t.db
      .selectFrom('users')
      .select(['id', 'name', 'passwordHash'])
      .where('email', '=', me.email)
      .executeTakeFirstOrThrow();
    expect(user.name).toBe('Nele Neu');
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    const caller = clientFor(t.app, { userId: user.id, email: me.email }, { cookie: cookie! });

    const who = (await caller.get('/api/auth/me')).json();
    expect(who.memberships).toEqual([{ orgId: orgs.kreisA1, role: 'caller' }]);
    expect(who.instructionConfirmed).toBe(false);
    // Nothing personal before the instruction is confirmed.
    const blocked = await caller.post(`/api/call-assignments/${assignmentId}/next`);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('instruction_required');
    const version = (await caller.get('/api/instruction')).json().version;
    expect((await caller.post('/api/auth/confirm-instruction', { version })).statusCode).toBe(200);
    const mine = (await caller.get('/api/me/call-assignments')).json().items;
    expect(mine.map((a: { id: string }) => a.id)).toEqual([assignmentId]);

    const next = await caller.post(`/api/call-assignments/${assignmentId}/next`);
    expect(next.statusCode).toBe(200);
    expect(next.json().call.person.firstName).toBe('Vera');
    expect((await caller.post(`/api/call-assignments/${otherAssignmentId}/next`)).statusCode).toBe(404);
    expect((await caller.get(`/api/people?orgId=${orgs.kreisA1}`)).statusCode).toBe(403);
    expect((await caller.get(`/api/call-assignments/${assignmentId}`)).statusCode).toBe(403);

    const links = (await organizer.get(`/api/call-assignments/${assignmentId}/invite-links`)).json();
    expect(links.items).toEqual([
      {
        id: link.id,
        expiresAt: link.expiresAt,
        maxUses: null,
        uses: 1,
        revokedAt: null,
        createdAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(links)).not.toContain(link.token);
    const stored = await t.db
      .selectFrom('linkTokens')
      .select('tokenHash')
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow();
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.tokenHash).not.toContain(link.token);

    const assignment = (await organizer.get(`/api/call-assignments/${assignmentId}`)).json();
    expect(assignment.callers.map((c: { userId: string }) => c.userId)).toContain(user.id);
    const audit = await t.db
      .selectFrom('auditLog')
      .select(['action', 'actorUserId'])
      .where('action', 'like', 'call_invite.%')
      .where('targetId', '=', assignmentId)
      .orderBy('at')
      .execute();
    expect(audit).toEqual([
      { action: 'call_invite.created', actorUserId: organizer.userId },
      { action: 'call_invite.accepted', actorUserId: user.id },
    ]);
  });

  it('enforces max uses, also for concurrent accepts', async () => {
    const assignmentId = await makeAssignment();
    const link = await makeLink(assignmentId, { maxUses: 2 });
    expect(link.maxUses).toBe(2);
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => accept(link.token, volunteer(`Parallel ${i}`))),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 200, 410, 410, 410]);
    for (const r of results.filter((x) => x.statusCode === 410)) {
      expect(r.json().error.code).toBe('invitation_invalid');
    }
    const links = (await organizer.get(`/api/call-assignments/${assignmentId}/invite-links`)).json();
    expect(links.items[0].uses).toBe(2);
    const callers = (await organizer.get(`/api/call-assignments/${assignmentId}`)).json().callers;
    expect(callers).toHaveLength(2);
    // The losers left no account behind.
    const accounts = await t.db
      .selectFrom('users')
      .select('id')
      .where('name', 'like', 'Parallel %')
      .execute();
    expect(accounts).toHaveLength(2);
    expect((await preview(link.token)).statusCode).toBe(410);
  });

  it('expired, revoked, unknown links and closed assignments answer 410', async () => {
    const assignmentId = await makeAssignment();
    const expired = await makeLink(assignmentId);
    await t.db
      .updateTable('linkTokens')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('id', '=', expired.id)
      .execute();
    const revoked = await makeLink(assignmentId);
    const del = await organizer.delete(`/api/call-assignments/${assignmentId}/invite-links/${revoked.id}`);
    expect(del.statusCode).toBe(204);
    const unknown = 'x'.repeat(43);
    for (const token of [expired.token, revoked.token, unknown]) {
      const p = await preview(token);
      expect(p.statusCode).toBe(410);
      expect(p.json().error.code).toBe('invitation_invalid');
      const a = await accept(token, volunteer());
      expect(a.statusCode).toBe(410);
      expect(a.json().error.code).toBe('invitation_invalid');
    }
    const listed = (await organizer.get(`/api/call-assignments/${assignmentId}/invite-links`)).json().items;
    expect(listed.find((l: { id: string }) => l.id === revoked.id).revokedAt).toEqual(expect.any(String));

    const closing = await makeLink(assignmentId);
    expect((await preview(closing.token)).statusCode).toBe(200);
    await organizer.patch(`/api/call-assignments/${assignmentId}`, { status: 'closed' });
    expect((await preview(closing.token)).statusCode).toBe(410);
    expect((await accept(closing.token, volunteer())).statusCode).toBe(410);
    // A link of another assignment cannot be revoked through this one.
    const other = await makeAssignment();
    const otherLink = await makeLink(other);
    expect(
      (await organizer.delete(`/api/call-assignments/${assignmentId}/invite-links/${otherLink.id}`))
        .statusCode,
    ).toBe(404);
  });

  it('an existing user accepts with their session; their higher role stays', async () => {
    const assignmentId = await makeAssignment();
    const link = await makeLink(assignmentId, { maxUses: 5 });
    // A caller of another unit: gets the caller role here.
    const elsewhere = await makeUser(t.db, { memberships: [{ orgId: orgs.kreisB1, role: 'caller' }] });
    const cookie = await sessionOf(elsewhere);
    const res = await accept(link.token, undefined, cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ assignmentId });
    expect(sessionCookieOf(res)).toBeUndefined();
    const client = clientFor(t.app, { userId: elsewhere.id, email: elsewhere.email }, { cookie });
    expect((await client.get('/api/auth/me')).json().memberships).toEqual(
      expect.arrayContaining([
        { orgId: orgs.kreisB1, role: 'caller' },
        { orgId: orgs.kreisA1, role: 'caller' },
      ]),
    );
    expect(
      (await client.get('/api/me/call-assignments')).json().items.map((a: { id: string }) => a.id),
    ).toEqual([assignmentId]);
    // Accepting again changes nothing and uses nothing up.
    expect((await accept(link.token, {}, cookie)).statusCode).toBe(200);

    // An organizer of the unit keeps the organizer role.
    const org2 = await makeUser(t.db, { memberships: [{ orgId: orgs.kreisA1, role: 'organizer' }] });
    expect((await accept(link.token, {}, await sessionOf(org2))).statusCode).toBe(200);
    const org2Roles = await t.db
      .selectFrom('memberships')
      .select('role')
      .where('userId', '=', org2.id)
      .execute();
    expect(org2Roles).toEqual([{ role: 'organizer' }]);
    const uses = (await organizer.get(`/api/call-assignments/${assignmentId}/invite-links`)).json().items[0]
      .uses;
    expect(uses).toBe(2);

    // Without a session and without registration data: log in first.
    const anonymous = await accept(link.token);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('not_authenticated');
  });

  it('an email that already has an account is a 409 asking to log in', async () => {
    const assignmentId = await makeAssignment();
    const link = await makeLink(assignmentId);
    const existing = await makeUser(t.db, { memberships: [{ orgId: orgs.kreisB1, role: 'caller' }] });
    const res = await accept(link.token, {
      name: 'Doppelt',
      email: existing.email.toUpperCase(),
      password: 'noch ein passwort',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('email_taken');
    expect(res.json().error.message).toMatch(/log in/);
    expect(sessionCookieOf(res)).toBeUndefined();
    const uses = (await organizer.get(`/api/call-assignments/${assignmentId}/invite-links`)).json().items[0]
      .uses;
    expect(uses).toBe(0);
  });

  it('bad input is a 400 naming the field', async () => {
    const assignmentId = await makeAssignment();
    const link = await makeLink(assignmentId);
    const cases: [unknown, string][] = [
      [{ name: 'A', email: 'not-an-email', password: 'sicheres passwort' }, 'body.email'],
      [{ name: 'A', email: 'a@example.org', password: 'kurz' }, 'body.password'],
      [{ name: '  ', email: 'a@example.org', password: 'sicheres passwort' }, 'body.name'],
      [{ email: 'a@example.org', password: 'sicheres passwort' }, 'body.name'],
    ];
    for (const [body, path] of cases) {
      const res = await accept(link.token, body);
      expect({ body, status: res.statusCode }).toEqual({ body, status: 400 });
      expect(res.json().error.code).toBe('validation_failed');
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const extra = await accept(link.token, { ...volunteer(), role: 'admin' });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.details[0].message).toContain('role');
    expect((await accept(link.token, { name: 'A' })).json().error.message).toMatch(/email, password/);

    const create = (body: unknown) =>
      organizer.post(`/api/call-assignments/${assignmentId}/invite-links`, body);
    const past = await create({ expiresAt: new Date(Date.now() - 60_000).toISOString() });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.details).toEqual([{ path: 'body.expiresAt', message: 'must be in the future' }]);
    const tooLate = await create({ expiresAt: new Date(Date.now() + 400 * 86400000).toISOString() });
    expect(tooLate.statusCode).toBe(400);
    expect(tooLate.json().error.message).toMatch(/one year/);
    expect((await create({ maxUses: 0 })).statusCode).toBe(400);
    expect((await create({ expiresAt: 'tomorrow' })).statusCode).toBe(400);
    const custom = await create({
      expiresAt: new Date(Date.now() + 3 * 86400000).toISOString(),
      maxUses: 10,
    });
    expect(custom.statusCode).toBe(201);
    expect(custom.json().maxUses).toBe(10);
  });

  it('only managers of the assignment unit create, list and revoke links (404 otherwise)', async () => {
    const assignmentId = await makeAssignment();
    const link = await makeLink(assignmentId);
    const sibling = await loginAs(t, 'organizer', orgs.kreisA2);
    const base = `/api/call-assignments/${assignmentId}/invite-links`;
    expect((await sibling.post(base, {})).statusCode).toBe(404);
    expect((await sibling.get(base)).statusCode).toBe(404);
    expect((await sibling.delete(`${base}/${link.id}`)).statusCode).toBe(404);
    const caller = await loginAs(t, 'caller', orgs.kreisA1);
    expect((await caller.post(base, {})).statusCode).toBe(403);
    expect((await organizer.post(`/api/call-assignments/${randomUUID()}/invite-links`, {})).statusCode).toBe(
      404,
    );
    const admin = await loginAs(t, 'admin', orgs.landA);
    expect((await admin.post(base, {})).statusCode).toBe(201);
  });
});
