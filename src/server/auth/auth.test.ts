import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, createTestApp, sessionCookieOf, type TestApp } from '../../../test/app.ts';
import { makeOrgTree, makeUser, type OrgTree } from '../../../test/factories.ts';

let t: TestApp;
let orgs: OrgTree;

beforeAll(async () => {
  // Behind a proxy, so rate-limit tests can speak from distinct client addresses.
  t = await createTestApp({ env: { TRUST_PROXY: '1' } });
  orgs = await makeOrgTree(t.db);
});
afterAll(() => t.close());

const login = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: body, headers });

describe('login and sessions', () => {
  it('logs in with email and password, sets an HttpOnly SameSite=Lax cookie, and /me shows the user', async () => {
    const user = await makeUser(t.db, {
      email: 'Anna@Example.org',
      memberships: [{ orgId: orgs.kreisA1, role: 'organizer' }],
    });
    const res = await login({ email: 'anna@example.org', password: user.password });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ id: user.id, email: 'Anna@Example.org', isSuperadmin: false });
    expect(res.json().user).not.toHaveProperty('passwordHash');
    const cookie = res.cookies.find((c) => c.name === 'draht_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');

    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      cookies: { draht_session: cookie.value },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { id: user.id },
      memberships: [{ orgId: orgs.kreisA1, role: 'organizer' }],
      instructionConfirmed: true,
    });
  });

  it('answers 401 invalid_credentials for a wrong password or unknown email, without telling which', async () => {
    const user = await makeUser(t.db);
    const wrong = await login({ email: user.email, password: 'not the password' });
    const unknown = await login({ email: 'nobody@example.org', password: 'whatever1' });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('invalid_credentials');
    }
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
  });

  it('rejects unknown fields with 400 and names them', async () => {
    const res = await login({ email: 'a@example.org', password: 'x', admin: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(JSON.stringify(res.json().error.details)).toContain('admin');
  });

  it('logout ends the session on the server', async () => {
    const user = await makeUser(t.db);
    const cookie = sessionCookieOf(await login({ email: user.email, password: user.password }))!;
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      cookies: { draht_session: cookie },
    });
    expect(out.statusCode).toBe(200);
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', cookies: { draht_session: cookie } });
    expect(me.statusCode).toBe(401);
    expect(me.json().error.code).toBe('not_authenticated');
  });

  it('refuses cross-site unsafe requests made with the session cookie (CSRF)', async () => {
    const user = await makeUser(t.db);
    const cookie = sessionCookieOf(await login({ email: user.email, password: user.password }))!;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      payload: { name: 'evil' },
      cookies: { draht_session: cookie },
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('csrf_failed');
    const sameOrigin = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      payload: { name: 'fine' },
      cookies: { draht_session: cookie },
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(sameOrigin.statusCode).toBe(201);
  });
});

describe('personal API tokens', () => {
  it('creates a token shown once, authenticates with Bearer, lists it without the secret, and revokes it', async () => {
    const user = await makeUser(t.db, { memberships: [{ orgId: orgs.landA, role: 'admin' }] });
    const cookie = sessionCookieOf(await login({ email: user.email, password: user.password }))!;
    const session = clientFor(t.app, { userId: user.id, email: user.email }, { cookie });
    const created = await session.post('/api/tokens', { name: 'Auswertung' });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    expect(token).toMatch(/^draht_/);

    const bearer = clientFor(t.app, { userId: user.id, email: user.email }, { bearer: token });
    const orgsRes = await bearer.get('/api/orgs');
    expect(orgsRes.statusCode).toBe(200);
    expect(orgsRes.json().items.map((o: { id: string }) => o.id)).toContain(orgs.kreisA1);

    const list = await session.get('/api/tokens');
    expect(list.json().items).toEqual([expect.objectContaining({ id, name: 'Auswertung' })]);
    expect(JSON.stringify(list.json())).not.toContain(token);

    expect((await session.delete(`/api/tokens/${id}`)).statusCode).toBe(204);
    expect((await bearer.get('/api/orgs')).statusCode).toBe(401);
    expect((await session.delete(`/api/tokens/${id}`)).statusCode).toBe(404);
  });

  it('does not let one user revoke another user’s token', async () => {
    const a = await makeUser(t.db);
    const b = await makeUser(t.db);
    const ca = clientFor(t.app, a as never, {
      cookie: sessionCookieOf(await login({ email: a.email, password: a.password }))!,
    });
    const cb = clientFor(t.app, b as never, {
      cookie: sessionCookieOf(await login({ email: b.email, password: b.password }))!,
    });
    const { id } = (await ca.post('/api/tokens', { name: 'mine' })).json();
    expect((await cb.delete(`/api/tokens/${id}`)).statusCode).toBe(404);
    expect((await ca.get('/api/tokens')).json().items).toHaveLength(1);
  });
});

describe('two-factor authentication', () => {
  it('sets up TOTP with a QR code, then requires a code at login; recovery codes work once', async () => {
    const user = await makeUser(t.db);
    const cookie = sessionCookieOf(await login({ email: user.email, password: user.password }))!;
    const c = clientFor(t.app, { userId: user.id, email: user.email }, { cookie });
    const setup = await c.post('/api/auth/totp/setup');
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUrl, qrCodeDataUrl } = setup.json();
    expect(otpauthUrl).toContain('otpauth://totp/');
    expect(qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);

    expect((await c.post('/api/auth/totp/enable', { code: '000000' })).statusCode).toBe(400);
    const enabled = await c.post('/api/auth/totp/enable', { code: generateSync({ secret }) });
    expect(enabled.statusCode).toBe(200);
    const { recoveryCodes } = enabled.json();
    expect(recoveryCodes).toHaveLength(10);

    const noCode = await login({ email: user.email, password: user.password });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().error.code).toBe('totp_required');
    const badCode = await login({ email: user.email, password: user.password, totp: '123456' });
    expect(badCode.statusCode).toBe(401);
    const good = await login({ email: user.email, password: user.password, totp: generateSync({ secret }) });
    expect(good.statusCode).toBe(200);
    expect(good.json().user.totpEnabled).toBe(true);

    const recovery = await login({ email: user.email, password: user.password, totp: recoveryCodes[0] });
    expect(recovery.statusCode).toBe(200);
    const reused = await login({ email: user.email, password: user.password, totp: recoveryCodes[0] });
    expect(reused.statusCode).toBe(401);

    expect((await c.post('/api/auth/totp/disable', { password: 'wrong password' })).statusCode).toBe(401);
    expect((await c.post('/api/auth/totp/disable', { password: user.password })).statusCode).toBe(200);
    expect((await login({ email: user.email, password: user.password })).statusCode).toBe(200);
  });
});

describe('password reset', () => {
  it('mails a single-use link; the new password works, the old one and other sessions do not', async () => {
    const user = await makeUser(t.db);
    const oldCookie = sessionCookieOf(await login({ email: user.email, password: user.password }))!;
    const req = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: user.email },
    });
    expect(req.statusCode).toBe(202);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: 'ghost@example.org' },
    });
    expect(unknown.statusCode).toBe(202);

    const mail = await t.db
      .selectFrom('mailMessages')
      .selectAll()
      .where('toAddress', '=', user.email)
      .where('template', '=', 'passwordReset')
      .executeTakeFirstOrThrow();
    expect(mail.status).toBe('outbox');
    const token = /reset-password\/([\w-]+)/.exec(mail.textBody)![1];

    const reset = await t.app.inject({
      method: 'POST',
      url: `/api/auth/password-reset/${token}`,
      payload: { password: 'a brand new secret' },
    });
    expect(reset.statusCode).toBe(200);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/auth/password-reset/${token}`,
      payload: { password: 'another new secret' },
    });
    expect(again.statusCode).toBe(410);
    expect(again.json().error.code).toBe('token_invalid');

    expect((await login({ email: user.email, password: user.password })).statusCode).toBe(401);
    expect((await login({ email: user.email, password: 'a brand new secret' })).statusCode).toBe(200);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      cookies: { draht_session: oldCookie },
    });
    expect(me.statusCode).toBe(401);
  });
});

describe('housekeeping', () => {
  it('deletes expired sessions and login failures outside the window, keeps live ones', async () => {
    const { deleteExpiredAuthData } = await import('./auth.service.ts');
    const user = await makeUser(t.db);
    const live = sessionCookieOf(await login({ email: user.email, password: user.password }))!;
    await t.db
      .insertInto('sessions')
      .values({
        id: 'expired-session',
        userId: user.id,
        expiresAt: new Date(Date.now() - 1000),
        lastSeenAt: new Date(),
        userAgent: null,
      })
      .execute();
    await t.db
      .insertInto('loginFailures')
      .values({ key: 'email:old@example.org', at: new Date(Date.now() - 3600_000) })
      .execute();
    await deleteExpiredAuthData(t.db);
    const sessions = await t.db.selectFrom('sessions').select('id').where('userId', '=', user.id).execute();
    expect(sessions).toHaveLength(1);
    expect(
      await t.db
        .selectFrom('loginFailures')
        .select('id')
        .where('key', '=', 'email:old@example.org')
        .execute(),
    ).toEqual([]);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/auth/me', cookies: { draht_session: live } }))
        .statusCode,
    ).toBe(200);
  });
});
