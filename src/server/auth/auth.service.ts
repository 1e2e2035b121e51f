import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import QRCode from 'qrcode';
import type { z } from 'zod';
import type { LoginBody, UserView } from '../../shared/auth.ts';
import type { Role } from '../../shared/permissions.ts';
import { audit } from '../audit/audit.service.ts';
import type { Actor, BaseCtx, Ctx } from '../context.ts';
import type { User } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { currentInstructionVersion } from '../instruction/instruction.repo.ts';
import * as links from '../links/links.service.ts';
import * as repo from './auth.repo.ts';
import { hashPassword, hashToken, newToken, readableCode, verifyPassword } from './secrets.ts';

export const SESSION_COOKIE = 'draht_session';
const SESSION_DAYS = 14;
const SESSION_TOUCH_MS = 10 * 60 * 1000;
const FAILURE_WINDOW_MS = 15 * 60 * 1000;
const RESET_HOURS = 2;

const sessionExpiry = () => new Date(Date.now() + SESSION_DAYS * 24 * 3600 * 1000);

export function toUserView(
  u: Pick<User, 'id' | 'email' | 'name' | 'locale' | 'isSuperadmin' | 'totpEnabledAt'>,
): UserView {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    locale: u.locale,
    isSuperadmin: u.isSuperadmin,
    totpEnabled: u.totpEnabledAt != null,
  };
}

// Login -----------------------------------------------------------------------------------------

async function checkTotp(ctx: BaseCtx, user: User, code: string): Promise<boolean> {
  if (/^\d{6}$/.test(code) && user.totpSecret) {
    const result = await verifyTotp({ secret: user.totpSecret, token: code, epochTolerance: 30 });
    if (result.valid) return true;
  }
  const used = await repo.consumeRecoveryCode(
    ctx.db,
    user.id,
    hashToken(code.replaceAll(/[\s-]/g, '').toLowerCase()),
  );
  return Number(used.numUpdatedRows) === 1;
}

/**
 * Failed sign-ins are counted per account and per client address, apart (in the database, so every
 * instance sees them). Up to the free number nothing happens; after that each further attempt must
 * wait a growing delay after the last failure (2 s, 4 s, 8 s … at most 15 minutes). A whole call
 * centre behind one address is not locked out by one volunteer's typos: the address gets a hundred.
 */
export const THROTTLE = { accountFreeFailures: 5, ipFreeFailures: 100, maxDelaySeconds: 15 * 60 } as const;

/** Seconds to wait before the next attempt with these keys (0: go ahead). */
export async function secondsUntilNextAttempt(ctx: BaseCtx, keys: { key: string; free: number }[]) {
  const stats = await repo.failureStats(
    ctx.db,
    keys.map((k) => k.key),
    new Date(Date.now() - FAILURE_WINDOW_MS),
  );
  let wait = 0;
  for (const { key, free } of keys) {
    const s = stats[key];
    if (!s || s.count < free) continue;
    const delay = Math.min(2 ** (s.count - free + 1), THROTTLE.maxDelaySeconds);
    wait = Math.max(wait, Math.ceil(s.lastAt.getTime() / 1000 + delay - Date.now() / 1000));
  }
  return wait;
}

const throttleKeys = (ctx: BaseCtx, email: string) => [
  { key: `email:${email.toLowerCase()}`, free: THROTTLE.accountFreeFailures },
  ...(ctx.ip ? [{ key: `ip:${ctx.ip}`, free: THROTTLE.ipFreeFailures }] : []),
];

/** A password hash nobody has: unknown accounts cost the same time as known ones. */
let dummyHash: Promise<string> | undefined;
const dummyPasswordHash = () => {
  dummyHash ??= hashPassword(newToken());
  return dummyHash;
};

/** What a verified sign-in hands to createSession: whose, and whether a second factor was checked. */
export interface SignInProof {
  userId: string;
  secondFactor: 'verified' | 'none';
}

/**
 * Email + password (+ the second factor when the account has one), throttled. Every path that signs
 * an existing account in (login, accepting an invitation, later ones) verifies through here and
 * then calls createSession with the proof.
 */
export async function verifyCredentials(
  ctx: BaseCtx,
  input: { email: string; password: string; totp?: string },
  wrongPasswordMessage = 'Email or password is wrong.',
): Promise<{ user: User; proof: SignInProof }> {
  const keys = throttleKeys(ctx, input.email);
  const wait = await secondsUntilNextAttempt(ctx, keys);
  if (wait > 0) {
    throw new AppError(
      'rate_limited',
      `Too many failed sign-ins. Please wait ${wait} seconds and try again.`,
      [{ path: 'retryAfterSeconds', message: String(wait) }],
    );
  }
  const user = await repo.findUserByEmail(ctx.db, input.email);
  const hash = user?.passwordHash ?? (await dummyPasswordHash());
  const passwordOk = (await verifyPassword(hash, input.password)) && user != null;
  if (!user || !passwordOk || user.disabledAt) {
    await repo.recordFailures(
      ctx.db,
      keys.map((k) => k.key),
    );
    throw new AppError('invalid_credentials', wrongPasswordMessage);
  }
  if (user.totpEnabledAt) {
    if (!input.totp) throw new AppError('totp_required', 'Enter the code from your authenticator app.');
    if (!(await checkTotp(ctx, user, input.totp))) {
      await repo.recordFailures(
        ctx.db,
        keys.map((k) => k.key),
      );
      throw new AppError('invalid_credentials', 'The authentication code is wrong.');
    }
  }
  await repo.clearFailures(ctx.db, keys[0].key);
  return { user, proof: { userId: user.id, secondFactor: user.totpEnabledAt ? 'verified' : 'none' } };
}

export async function login(
  ctx: BaseCtx,
  input: z.infer<typeof LoginBody>,
  userAgent: string | null,
): Promise<{ user: UserView; sessionToken: string }> {
  const { user, proof } = await verifyCredentials(ctx, input);
  const sessionToken = await createSession(ctx, proof, userAgent);
  await audit.record({ ...ctx, actor: { userId: user.id } }, 'auth.login', { type: 'user', id: user.id });
  return { user: toUserView(user), sessionToken };
}

/**
 * The only place a session is made. It refuses an account with a second factor unless the proof
 * says it was checked, and a disabled account: no path can sign somebody in around them. A
 * brand-new account (registration, invitation) passes `secondFactor: 'none'`.
 */
export async function createSession(
  ctx: BaseCtx,
  proof: SignInProof,
  userAgent: string | null,
): Promise<string> {
  const user = await repo.findUserById(ctx.db, proof.userId);
  if (!user || user.disabledAt) throw new AppError('invalid_credentials', 'Email or password is wrong.');
  if (user.totpEnabledAt && proof.secondFactor !== 'verified') {
    throw new AppError('totp_required', 'Enter the code from your authenticator app.');
  }
  const token = newToken();
  await repo.insertSession(ctx.db, {
    id: hashToken(token),
    userId: user.id,
    expiresAt: sessionExpiry(),
    userAgent: userAgent?.slice(0, 300) ?? null,
  });
  return token;
}

export async function logout(ctx: BaseCtx, sessionToken: string | undefined): Promise<void> {
  if (sessionToken) await repo.deleteSession(ctx.db, hashToken(sessionToken));
}

// Resolving who is asking -------------------------------------------------------------------------

export async function loadActor(ctx: BaseCtx, userId: string, via: Actor['via']): Promise<Actor | null> {
  const rows = await repo.loadActorRows(ctx.db, userId);
  if (!rows || rows.user.disabledAt) return null;
  return {
    userId: rows.user.id,
    email: rows.user.email,
    name: rows.user.name,
    locale: rows.user.locale,
    isSuperadmin: rows.user.isSuperadmin,
    memberships: rows.memberships.map((m) => ({ orgId: m.orgId, role: m.role as Role })),
    instructionConfirmed: Boolean(rows.user.instructionConfirmed),
    via,
  };
}

export async function actorFromSession(ctx: BaseCtx, sessionToken: string): Promise<Actor | null> {
  const id = hashToken(sessionToken);
  const session = await repo.findLiveSession(ctx.db, id);
  if (!session) return null;
  if (Date.now() - session.lastSeenAt.getTime() > SESSION_TOUCH_MS) {
    await repo.touchSession(ctx.db, id, sessionExpiry());
  }
  return loadActor(ctx, session.userId, 'session');
}

export async function actorFromApiToken(ctx: BaseCtx, token: string): Promise<Actor | null> {
  const row = await repo.findApiToken(ctx.db, hashToken(token));
  if (!row) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > SESSION_TOUCH_MS) {
    await repo.touchApiToken(ctx.db, row.id);
  }
  return loadActor(ctx, row.userId, 'token');
}

// The signed-in user's own account -----------------------------------------------------------------

export async function me(ctx: Ctx) {
  const user = await repo.findUserById(ctx.db, ctx.actor.userId);
  if (!user) throw new AppError('not_authenticated', 'Please log in.');
  return {
    user: toUserView(user),
    memberships: ctx.actor.memberships,
    instructionConfirmed: ctx.actor.instructionConfirmed,
    currentInstructionVersion: (await currentInstructionVersion(ctx.db))?.version ?? 0,
  };
}

export async function updateMe(ctx: Ctx, patch: { name?: string; locale?: 'de' | 'en' }) {
  await repo.updateUser(ctx.db, ctx.actor.userId, patch);
  return me(ctx);
}

export async function changePassword(
  ctx: Ctx,
  currentPassword: string,
  newPassword: string,
  sessionToken?: string,
) {
  const user = await repo.findUserById(ctx.db, ctx.actor.userId);
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
    throw new AppError('invalid_credentials', 'The current password is wrong.');
  }
  await repo.updateUser(ctx.db, user.id, { passwordHash: await hashPassword(newPassword) });
  // Other devices are signed out; this one stays.
  await repo.deleteSessionsOfUser(ctx.db, user.id, sessionToken ? hashToken(sessionToken) : undefined);
  await audit.record(ctx, 'auth.password_changed', { type: 'user', id: user.id });
}

// Password reset ----------------------------------------------------------------------------------

/** Always answers the same, whether the address exists or not (no account enumeration). */
export async function requestPasswordReset(ctx: BaseCtx, email: string): Promise<void> {
  const user = await repo.findUserByEmail(ctx.db, email);
  if (!user || user.disabledAt) return;
  const { token } = await links.issueLinkToken(ctx.db, {
    purpose: 'password_reset',
    subjectId: user.id,
    expiresAt: new Date(Date.now() + RESET_HOURS * 3600 * 1000),
    maxUses: 1,
    createdBy: null,
  });
  await ctx.mail.send(ctx.db, {
    to: user.email,
    locale: user.locale,
    template: 'passwordReset',
    vars: { name: user.name, link: `${ctx.config.publicUrl}/reset-password/${token}`, hours: RESET_HOURS },
  });
  await audit.record({ ...ctx, actor: { userId: user.id } }, 'auth.password_reset_requested', {
    type: 'user',
    id: user.id,
  });
}

const invalidResetLink = () =>
  new AppError('token_invalid', 'This link is invalid, used or expired. Request a new one.');

/** Single use: the link's one use is taken in the transaction that sets the password. */
export async function resetPassword(ctx: BaseCtx, token: string, password: string): Promise<void> {
  const link = await links.findUsableLinkToken(ctx.db, token, 'password_reset');
  if (!link) throw invalidResetLink();
  const passwordHash = await hashPassword(password);
  const userId = link.subjectId;
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await links.consumeLinkToken(trx, link.id))) throw invalidResetLink();
    if (!(await repo.findUserById(trx, userId))) throw invalidResetLink();
    await repo.updateUser(trx, userId, { passwordHash });
    await repo.deleteSessionsOfUser(trx, userId);
  });
  await audit.record({ ...ctx, actor: { userId } }, 'auth.password_reset', { type: 'user', id: userId });
}

// Two-factor authentication -----------------------------------------------------------------------

export async function startTotpSetup(ctx: Ctx) {
  const secret = generateSecret();
  await repo.updateUser(ctx.db, ctx.actor.userId, { totpPendingSecret: secret });
  const otpauthUrl = generateURI({ issuer: 'Draht', label: ctx.actor.email, secret });
  const qrCodeDataUrl = await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 240 });
  return { secret, otpauthUrl, qrCodeDataUrl };
}

export async function enableTotp(ctx: Ctx, code: string) {
  const user = await repo.findUserById(ctx.db, ctx.actor.userId);
  if (!user?.totpPendingSecret) throw new AppError('rule_violation', 'Start the two-factor setup first.');
  const result = await verifyTotp({ secret: user.totpPendingSecret, token: code, epochTolerance: 30 });
  if (!result.valid)
    throw new AppError('validation_failed', 'The code does not match. Check the time on your phone.');
  const recoveryCodes = Array.from({ length: 10 }, () => readableCode(10));
  await ctx.db.transaction().execute(async (trx) => {
    await repo.updateUser(trx, user.id, {
      totpSecret: user.totpPendingSecret,
      totpPendingSecret: null,
      totpEnabledAt: new Date(),
    });
    await repo.replaceRecoveryCodes(trx, user.id, recoveryCodes.map(hashToken));
  });
  await audit.record(ctx, 'auth.totp_enabled', { type: 'user', id: user.id });
  return { recoveryCodes };
}

export async function disableTotp(ctx: Ctx, password: string) {
  const user = await repo.findUserById(ctx.db, ctx.actor.userId);
  if (!user || !(await verifyPassword(user.passwordHash, password))) {
    throw new AppError('invalid_credentials', 'The password is wrong.');
  }
  await repo.updateUser(ctx.db, user.id, { totpSecret: null, totpPendingSecret: null, totpEnabledAt: null });
  await repo.replaceRecoveryCodes(ctx.db, user.id, []);
  await audit.record(ctx, 'auth.totp_disabled', { type: 'user', id: user.id });
}

// Personal API tokens -----------------------------------------------------------------------------

export async function createApiToken(ctx: Ctx, name: string) {
  const token = newToken('draht_');
  const row = await repo.insertApiToken(ctx.db, {
    userId: ctx.actor.userId,
    name,
    tokenHash: hashToken(token),
  });
  await audit.record(ctx, 'auth.token_created', { type: 'api_token', id: row.id }, { name });
  return { id: row.id, name: row.name, token };
}

export async function listApiTokens(ctx: Ctx) {
  const rows = await repo.listApiTokens(ctx.db, ctx.actor.userId);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  }));
}

export async function revokeApiToken(ctx: Ctx, id: string) {
  const res = await repo.deleteApiToken(ctx.db, ctx.actor.userId, id);
  if (Number(res.numDeletedRows) !== 1) throw new AppError('not_found', 'Token not found.');
  await audit.record(ctx, 'auth.token_revoked', { type: 'api_token', id });
}

export async function deleteExpiredAuthData(db: BaseCtx['db']) {
  await repo.deleteExpiredAuthRows(db, new Date(Date.now() - FAILURE_WINDOW_MS));
  await links.deleteExpiredLinkTokens(db, ['password_reset']);
}
