import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, clientFor, createTestApp, sessionCookieOf, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, makeUser, type OrgTree } from '../../../test/factories.ts';

let t: TestApp;
let orgs: OrgTree;
let admin: Client;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  admin = await loginAs(t, 'admin', orgs.kreisA1);
});
afterAll(() => t.close());

async function invitationLink(email: string): Promise<string> {
  const mail = await t.db
    .selectFrom('mailMessages')
    .select(['textBody', 'subject', 'htmlBody'])
    .where('toAddress', '=', email)
    .where('template', '=', 'invitation')
    .orderBy('createdAt', 'desc')
    .executeTakeFirstOrThrow();
  return /\/invitation\/([\w-]+)/.exec(mail.textBody)![1];
}

describe('inviting a person to a unit', () => {
  it('invites, mails a link, and the invitee sets name and password, confirms the instruction and gets in', async () => {
    const res = await admin.post(`/api/orgs/${orgs.ortA1a}/invitations`, {
      email: 'Neu@Example.org',
      role: 'organizer',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().id).toEqual(expect.any(String));

    const mail = await t.db
      .selectFrom('mailMessages')
      .selectAll()
      .where('toAddress', '=', 'neu@example.org')
      .executeTakeFirstOrThrow();
    expect(mail.subject).toContain('Ort A1a');
    expect(mail.textBody).toContain('http://draht.test/invitation/');
    expect(mail.htmlBody).toContain('<a href="http://draht.test/invitation/');
    const token = await invitationLink('neu@example.org');

    const preview = await t.app.inject({ method: 'GET', url: `/api/invitations/${token}` });
    expect(preview.json()).toEqual({
      orgName: 'Ort A1a',
      role: 'organizer',
      email: 'neu@example.org',
      existingUser: false,
    });

    const accepted = await t.app.inject({
      method: 'POST',
      url: `/api/invitations/${token}/accept`,
      payload: { name: 'Nora Neu', password: 'sicheres passwort' },
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().user).toMatchObject({ email: 'neu@example.org', name: 'Nora Neu' });
    const cookie = sessionCookieOf(accepted)!;
    const invitee = clientFor(
      t.app,
      { userId: accepted.json().user.id, email: 'neu@example.org' },
      { cookie },
    );

    const me = await invitee.get('/api/auth/me');
    expect(me.json()).toMatchObject({
      memberships: [{ orgId: orgs.ortA1a, role: 'organizer' }],
      instructionConfirmed: false,
    });

    // Personal data stays closed until the instruction is confirmed; the org tree is not personal data.
    const blocked = await invitee.get(`/api/orgs/${orgs.ortA1a}/memberships`);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('instruction_required');
    expect((await invitee.get('/api/orgs')).statusCode).toBe(200);

    const { version } = (await invitee.get('/api/instruction')).json();
    expect((await invitee.post('/api/auth/confirm-instruction', { version })).statusCode).toBe(200);
    expect((await invitee.get('/api/auth/me')).json().instructionConfirmed).toBe(true);
    const members = await invitee.get(`/api/orgs/${orgs.ortA1a}/memberships`);
    expect(members.statusCode).toBe(200);
    expect(members.json().items).toEqual([
      expect.objectContaining({ email: 'neu@example.org', role: 'organizer' }),
    ]);

    // The link worked once.
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/invitations/${token}/accept`,
      payload: { name: 'Nora Neu', password: 'sicheres passwort' },
    });
    expect(again.statusCode).toBe(410);
    expect(again.json().error.code).toBe('invitation_invalid');
  });

  it('answers 409 for someone who already has a role in the unit and sends nothing', async () => {
    const member = await makeUser(t.db, { memberships: [{ orgId: orgs.kreisA1, role: 'caller' }] });
    const before = await t.db.selectFrom('mailMessages').select('id').execute();
    const res = await admin.post(`/api/orgs/${orgs.kreisA1}/invitations`, {
      email: member.email,
      role: 'admin',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('already_member');
    expect(await t.db.selectFrom('mailMessages').select('id').execute()).toHaveLength(before.length);
    const m = await t.db
      .selectFrom('memberships')
      .select('role')
      .where('userId', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(m.role).toBe('caller');
  });

  it('lets an existing account accept with its own password and keeps its name', async () => {
    const existing = await makeUser(t.db, {
      name: 'Erika Bestand',
      memberships: [{ orgId: orgs.landB, role: 'caller' }],
    });
    await admin.post(`/api/orgs/${orgs.kreisA1}/invitations`, { email: existing.email, role: 'caller' });
    const token = await invitationLink(existing.email);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/invitations/${token}` })).json().existingUser,
    ).toBe(true);
    const wrong = await t.app.inject({
      method: 'POST',
      url: `/api/invitations/${token}/accept`,
      payload: { name: 'Someone', password: 'not hers at all' },
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/invitations/${token}/accept`,
      payload: { name: 'Someone', password: existing.password },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.name).toBe('Erika Bestand');
    const roles = await t.db
      .selectFrom('memberships')
      .select(['orgId', 'role'])
      .where('userId', '=', existing.id)
      .execute();
    expect(roles).toEqual(
      expect.arrayContaining([
        { orgId: orgs.landB, role: 'caller' },
        { orgId: orgs.kreisA1, role: 'caller' },
      ]),
    );
  });

  it('treats revoked, replaced, expired and made-up links as invalid (410), never as an error', async () => {
    const first = (
      await admin.post(`/api/orgs/${orgs.kreisA1}/invitations`, { email: 'zwei@example.org', role: 'caller' })
    ).json();
    const firstToken = await invitationLink('zwei@example.org');
    await admin.post(`/api/orgs/${orgs.kreisA1}/invitations`, { email: 'zwei@example.org', role: 'caller' });
    const secondToken = await invitationLink('zwei@example.org');
    expect(secondToken).not.toBe(firstToken);
    expect((await t.app.inject({ method: 'GET', url: `/api/invitations/${firstToken}` })).statusCode).toBe(
      410,
    );

    const list = (await admin.get(`/api/orgs/${orgs.kreisA1}/invitations`)).json().items;
    expect(list.find((i: { id: string }) => i.id === first.id).status).toBe('revoked');
    const pending = list.find(
      (i: { status: string; email: string }) => i.status === 'pending' && i.email === 'zwei@example.org',
    );
    expect((await admin.delete(`/api/invitations/${pending.id}`)).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/invitations/${secondToken}` })).statusCode).toBe(
      410,
    );

    await admin.post(`/api/orgs/${orgs.kreisA1}/invitations`, { email: 'alt@example.org', role: 'caller' });
    const oldToken = await invitationLink('alt@example.org');
    await t.db
      .updateTable('linkTokens')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('purpose', '=', 'invitation')
      .where('subjectId', 'in', (eb) =>
        eb.selectFrom('invitations').select('id').where('email', '=', 'alt@example.org'),
      )
      .execute();
    const expired = await t.app.inject({
      method: 'POST',
      url: `/api/invitations/${oldToken}/accept`,
      payload: { name: 'A', password: 'lang genug 123' },
    });
    expect(expired.statusCode).toBe(410);

    const madeUp = await t.app.inject({
      method: 'GET',
      url: '/api/invitations/this-token-does-not-exist-at-all',
    });
    expect(madeUp.statusCode).toBe(410);
    expect(madeUp.json().error.message).toMatch(/invalid, used or expired/);
  });

  it('lets an organizer invite callers into her units, and nothing more', async () => {
    const organizer = await loginAs(t, 'organizer', orgs.kreisA1);
    // Callers into her unit and the units below it: the common case.
    const invited = await organizer.post(`/api/orgs/${orgs.ortA1a}/invitations`, {
      email: 'anruferin@example.org',
      role: 'caller',
    });
    expect(invited.statusCode).toBe(201);
    const token = await invitationLink('anruferin@example.org');
    expect((await t.app.inject({ method: 'GET', url: `/api/invitations/${token}` })).json()).toMatchObject({
      orgName: 'Ort A1a',
      role: 'caller',
    });
    // She sees and may revoke the caller invitations of her unit.
    const listed = (await organizer.get(`/api/orgs/${orgs.ortA1a}/invitations`)).json().items;
    expect(listed.map((i: { email: string }) => i.email)).toContain('anruferin@example.org');
    expect((await organizer.delete(`/api/invitations/${invited.json().id}`)).statusCode).toBe(204);

    // Any other role is refused with a reason, and nothing is mailed.
    const before = await t.db.selectFrom('mailMessages').select('id').execute();
    for (const role of ['admin', 'organizer'] as const) {
      const res = await organizer.post(`/api/orgs/${orgs.kreisA1}/invitations`, {
        email: `hoch-${role}@example.org`,
        role,
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
    expect(await t.db.selectFrom('mailMessages').select('id').execute()).toHaveLength(before.length);

    // An admin's organizer invitation is not hers to revoke.
    const byAdmin = (
      await admin.post(`/api/orgs/${orgs.kreisA1}/invitations`, {
        email: 'orga2@example.org',
        role: 'organizer',
      })
    ).json();
    expect((await organizer.delete(`/api/invitations/${byAdmin.id}`)).statusCode).toBe(403);

    // Outside her scope (sibling Kreis, the Land above): not found, as if the unit did not exist.
    for (const orgId of [orgs.kreisA2, orgs.landA]) {
      const res = await organizer.post(`/api/orgs/${orgId}/invitations`, {
        email: 'woanders@example.org',
        role: 'caller',
      });
      expect(res.statusCode).toBe(404);
    }
  });

  it('does not let callers or sibling admins invite', async () => {
    const caller = await loginAs(t, 'caller', orgs.kreisA1);
    expect(
      (await caller.post(`/api/orgs/${orgs.kreisA1}/invitations`, { email: 'x@example.org', role: 'caller' }))
        .statusCode,
    ).toBe(403);
    const siblingAdmin = await loginAs(t, 'admin', orgs.kreisA2);
    expect(
      (
        await siblingAdmin.post(`/api/orgs/${orgs.kreisA1}/invitations`, {
          email: 'x@example.org',
          role: 'caller',
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('managing roles', () => {
  it('changes a role and removes a membership, but not one’s own', async () => {
    const member = await makeUser(t.db, { memberships: [{ orgId: orgs.ortA1b, role: 'caller' }] });
    expect(
      (await admin.patch(`/api/orgs/${orgs.ortA1b}/memberships/${member.id}`, { role: 'organizer' }))
        .statusCode,
    ).toBe(204);
    const list = (await admin.get(`/api/orgs/${orgs.kreisA1}/memberships?subtree=true`)).json().items;
    expect(list).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: member.id, orgId: orgs.ortA1b, role: 'organizer' }),
      ]),
    );
    expect(
      (await admin.get(`/api/orgs/${orgs.kreisA1}/memberships`))
        .json()
        .items.some((m: { userId: string }) => m.userId === member.id),
    ).toBe(false);

    expect(
      (await admin.patch(`/api/orgs/${orgs.kreisA1}/memberships/${admin.userId}`, { role: 'caller' }))
        .statusCode,
    ).toBe(422);
    expect((await admin.delete(`/api/orgs/${orgs.ortA1b}/memberships/${member.id}`)).statusCode).toBe(204);
    expect((await admin.delete(`/api/orgs/${orgs.ortA1b}/memberships/${member.id}`)).statusCode).toBe(404);
  });
});
