import { generateSecret, generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sessionCookieOf, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, makeUser, type OrgTree } from '../../../test/factories.ts';
import type { BaseCtx } from '../context.ts';
import * as repo from './auth.repo.ts';
import { createSession, THROTTLE } from './auth.service.ts';

let t: TestApp;
let orgs: OrgTree;

beforeAll(async () => {
  // Behind a proxy, so throttling tests can speak from distinct client addresses.
  t = await createTestApp({ env: { TRUST_PROXY: '1' } });
  orgs = await makeOrgTree(t.db);
});
afterAll(() => t.close());

const login = (body: Record<string, unknown>, ip = '198.51.100.1') =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: body, headers: { 'x-forwarded-for': ip } });

/** Failures written as they would have been, `secondsAgo` in the past. */
async function pastFailures(key: string, count: number, secondsAgo = 0) {
  const at = new Date(Date.now() - secondsAgo * 1000);
  await t.db
    .insertInto('loginFailures')
    .values(Array.from({ length: count }, () => ({ key, at })))
    .execute();
}

async function withTotp(user: { id: string }) {
  const secret = generateSecret();
  await repo.updateUser(t.db, user.id, { totpSecret: secret, totpEnabledAt: new Date() });
  return secret;
}

describe('throttling failed sign-ins', () => {
  it('after five failures of one account the next attempt waits 2 s (told in seconds), then succeeds', async () => {
    const user = await makeUser(t.db);
    for (let i = 0; i < THROTTLE.accountFreeFailures; i++) {
      expect((await login({ email: user.email, password: `wrong-${i}` }, `10.1.0.${i}`)).statusCode).toBe(
        401,
      );
    }
    const waiting = await login({ email: user.email, password: user.password }, '10.1.0.99');
    expect(waiting.statusCode).toBe(429);
    expect(waiting.json().error.code).toBe('rate_limited');
    const seconds = Number(waiting.json().error.details[0].message);
    expect(waiting.json().error.details[0].path).toBe('retryAfterSeconds');
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(2);
    expect(waiting.headers['retry-after']).toBe(String(seconds));
    await new Promise((r) => setTimeout(r, seconds * 1000 + 100));
    expect((await login({ email: user.email, password: user.password }, '10.1.0.99')).statusCode).toBe(200);
  });

  it('the delay grows with every further failure and never exceeds 15 minutes', async () => {
    const user = await makeUser(t.db);
    await pastFailures(`email:${user.email}`, 9);
    const nine = await login({ email: user.email, password: user.password });
    expect(nine.statusCode).toBe(429);
    // 9 failures, 5 free: 2^5 = 32 s after the last one.
    expect(Number(nine.json().error.details[0].message)).toBeGreaterThanOrEqual(31);
    expect(Number(nine.json().error.details[0].message)).toBeLessThanOrEqual(32);
    await pastFailures(`email:${user.email}`, 30);
    const many = await login({ email: user.email, password: user.password });
    expect(Number(many.json().error.details[0].message)).toBe(THROTTLE.maxDelaySeconds);
    // Failures older than the 15-minute window no longer count.
    const other = await makeUser(t.db);
    await pastFailures(`email:${other.email}`, 20, 16 * 60);
    expect((await login({ email: other.email, password: other.password })).statusCode).toBe(200);
  });

  it('a call centre behind one address: one volunteer mistyping does not lock out the others', async () => {
    const ip = '203.0.113.50';
    const typo = await makeUser(t.db);
    for (let i = 0; i < 12; i++) await login({ email: typo.email, password: `typo-${i}` }, ip);
    expect((await login({ email: typo.email, password: typo.password }, ip)).statusCode).toBe(429);
    // Twenty colleagues behind the same address sign in fine.
    for (let i = 0; i < 20; i++) {
      const colleague = await makeUser(t.db);
      expect((await login({ email: colleague.email, password: colleague.password }, ip)).statusCode).toBe(
        200,
      );
    }
  });

  it('an address with a hundred failures across accounts waits; other addresses do not', async () => {
    const ip = '203.0.113.77';
    await pastFailures(`ip:${ip}`, THROTTLE.ipFreeFailures);
    const user = await makeUser(t.db);
    const blocked = await login({ email: user.email, password: user.password }, ip);
    expect(blocked.statusCode).toBe(429);
    expect((await login({ email: user.email, password: user.password }, '203.0.113.78')).statusCode).toBe(
      200,
    );
  });

  it('an unknown account costs about as much time as a wrong password (no timing oracle)', async () => {
    const user = await makeUser(t.db);
    // The fastest of several tries: load on the machine only ever adds time, never removes it.
    const fastest = async (email: string) => {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const start = performance.now();
        const res = await login({ email, password: `wrong-${i}` }, `10.9.${i}.${email.length}`);
        times.push(performance.now() - start);
        expect(res.statusCode).toBe(401);
        await t.db.deleteFrom('loginFailures').execute();
      }
      return Math.min(...times);
    };
    await fastest('warm-up@example.org');
    const known = await fastest(user.email);
    const unknown = await fastest('nobody-here@example.org');
    // Both verify an argon2 hash; without the dummy hash the unknown one takes a tenth of the time.
    expect(unknown, `unknown ${unknown} ms, known ${known} ms`).toBeGreaterThan(known * 0.35);
  });
});

describe('every way to a session checks the second factor', () => {
  async function invitationToken(email: string): Promise<string> {
    const mail = await t.db
      .selectFrom('mailMessages')
      .select('textBody')
      .where('toAddress', '=', email)
      .where('template', '=', 'invitation')
      .orderBy('createdAt', 'desc')
      .executeTakeFirstOrThrow();
    return /\/invitation\/([\w-]+)/.exec(mail.textBody)![1];
  }

  it('accepting an invitation with an account that has TOTP needs the code', async () => {
    const admin = await loginAs(t, 'admin', orgs.kreisA1);
    const user = await makeUser(t.db, { memberships: [{ orgId: orgs.landB, role: 'caller' }] });
    const secret = await withTotp(user);
    await admin.post(`/api/orgs/${orgs.kreisA1}/invitations`, { email: user.email, role: 'organizer' });
    const token = await invitationToken(user.email);
    const accept = (body: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: `/api/invitations/${token}/accept`, payload: body });

    const noCode = await accept({ name: 'X', password: user.password });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().error.code).toBe('totp_required');
    expect(sessionCookieOf(noCode)).toBeUndefined();
    const wrongCode = await accept({ name: 'X', password: user.password, totp: '000000' });
    expect(wrongCode.statusCode).toBe(401);
    expect(sessionCookieOf(wrongCode)).toBeUndefined();
    // Nothing was granted by the refused attempts.
    const roles = await t.db
      .selectFrom('memberships')
      .select('orgId')
      .where('userId', '=', user.id)
      .execute();
    expect(roles.map((r) => r.orgId)).toEqual([orgs.landB]);

    const ok = await accept({ name: 'X', password: user.password, totp: generateSync({ secret }) });
    expect(ok.statusCode).toBe(200);
    expect(sessionCookieOf(ok)).toBeDefined();
  });

  it('the one function that makes sessions refuses an account with TOTP unless the code was verified', async () => {
    const user = await makeUser(t.db);
    await withTotp(user);
    const ctx: BaseCtx = { db: t.db, config: t.config, mail: t.mail, jobs: t.jobs, log: t.app.log, ip: null };
    await expect(createSession(ctx, { userId: user.id, secondFactor: 'none' }, null)).rejects.toMatchObject({
      code: 'totp_required',
    });
    const disabled = await makeUser(t.db);
    await t.db.updateTable('users').set({ disabledAt: new Date() }).where('id', '=', disabled.id).execute();
    await expect(
      createSession(ctx, { userId: disabled.id, secondFactor: 'none' }, null),
    ).rejects.toMatchObject({ code: 'invalid_credentials' });
  });
});
