import type { z } from 'zod';
import type { CallInviteAcceptBody, CallInviteLinkCreate, CallInviteLinkView } from '../../shared/calls.ts';
import type { ErrorDetail } from '../../shared/errors.ts';
import { audit } from '../audit/audit.service.ts';
import * as authRepo from '../auth/auth.repo.ts';
import { actorFromSession, createSession, loadActor } from '../auth/auth.service.ts';
import { holdsPermissionOn } from '../auth/scope.ts';
import { hashPassword } from '../auth/secrets.ts';
import { type BaseCtx, type Ctx, withDb } from '../context.ts';
import { AppError } from '../errors.ts';
import * as links from '../links/links.service.ts';
import * as memberships from '../memberships/memberships.repo.ts';
import { requireManagedAssignment } from './call-assignments.service.ts';
import * as repo from './call-invites.repo.ts';
import * as callsRepo from './calls.repo.ts';

const DAY_MS = 24 * 3600 * 1000;
const DEFAULT_DAYS = 14;
const MAX_DAYS = 366;

/**
 * Creates an invitation link to the assignment (calls:manage on its unit, else 404). The token is
 * in the returned URL only; the database keeps its SHA-256.
 */
export async function createInviteLink(
  ctx: Ctx,
  assignmentId: string,
  input: z.infer<typeof CallInviteLinkCreate>,
) {
  const a = await requireManagedAssignment(ctx, assignmentId);
  const now = Date.now();
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : new Date(now + DEFAULT_DAYS * DAY_MS);
  if (expiresAt.getTime() <= now)
    throw new AppError('validation_failed', 'The expiry date is in the past.', [
      { path: 'body.expiresAt', message: 'must be in the future' },
    ]);
  if (expiresAt.getTime() > now + MAX_DAYS * DAY_MS)
    throw new AppError('validation_failed', 'An invitation link can be valid for at most one year.', [
      { path: 'body.expiresAt', message: 'at most one year ahead' },
    ]);
  if (a.status === 'closed')
    throw new AppError('rule_violation', 'The assignment is closed: reopen it before inviting callers.');
  const { token, ...link } = await links.issueLinkToken(ctx.db, {
    purpose: 'call_invite',
    subjectId: assignmentId,
    expiresAt,
    maxUses: input.maxUses ?? null,
    createdBy: ctx.actor.userId,
  });
  const linkExpiresAt = link.expiresAt ?? expiresAt;
  await audit.record(
    ctx,
    'call_invite.created',
    { type: 'call_assignment', id: assignmentId, orgId: a.orgId },
    { linkId: link.id, maxUses: link.maxUses, expiresAt: linkExpiresAt.toISOString() },
  );
  return {
    id: link.id,
    url: `${ctx.config.publicUrl}/join/${token}`,
    expiresAt: linkExpiresAt.toISOString(),
    maxUses: link.maxUses,
  };
}

export async function listInviteLinks(ctx: Ctx, assignmentId: string) {
  await requireManagedAssignment(ctx, assignmentId);
  const rows = await links.listLinkTokens(ctx.db, 'call_invite', [assignmentId], 200);
  return {
    items: rows.map(
      (l): CallInviteLinkView => ({
        id: l.id,
        expiresAt: (l.expiresAt ?? l.createdAt).toISOString(),
        maxUses: l.maxUses,
        uses: l.useCount,
        revokedAt: l.revokedAt?.toISOString() ?? null,
        createdAt: l.createdAt.toISOString(),
      }),
    ),
    nextCursor: null,
  };
}

export async function revokeInviteLink(ctx: Ctx, assignmentId: string, linkId: string) {
  const a = await requireManagedAssignment(ctx, assignmentId);
  if (
    !(await links.revokeLinkToken(ctx.db, { purpose: 'call_invite', subjectIds: [assignmentId], id: linkId }))
  )
    throw new AppError('not_found', 'Invitation link not found.');
  await audit.record(
    ctx,
    'call_invite.revoked',
    { type: 'call_assignment', id: assignmentId, orgId: a.orgId },
    { linkId },
  );
}

// ---- public: the link itself ------------------------------------------------------------------

const invalidLink = () =>
  new AppError(
    'invitation_invalid',
    'This invitation link is invalid, used up or expired. Ask the organizers for a new one.',
  );

/**
 * A link carries the grant of whoever made it: it works only while they may still run the
 * assignment (their role removed, their account disabled: the link is dead).
 */
async function requireUsableLink(ctx: BaseCtx, token: string) {
  const found = await links.findUsableLinkToken(ctx.db, token, 'call_invite');
  const target = found ? await repo.findInviteTarget(ctx.db, found.subjectId) : undefined;
  if (!found || !target) throw invalidLink();
  const link = { id: found.id, createdBy: found.createdBy, ...target };
  const creator = link.createdBy ? await loadActor(ctx, link.createdBy, 'session') : null;
  if (!creator || !(await holdsPermissionOn({ ...ctx, actor: creator }, link.orgId, 'calls:manage'))) {
    throw invalidLink();
  }
  return link;
}

export async function previewInviteLink(ctx: BaseCtx, token: string) {
  const link = await requireUsableLink(ctx, token);
  return { assignmentTitle: link.assignmentTitle, orgName: link.orgName };
}

type AcceptInput = z.infer<typeof CallInviteAcceptBody>;
type Registration = { name: string; email: string; password: string; locale?: 'de' | 'en' };

/** A registration needs all of name, email and password; none of them means "the signed-in user". */
function registrationOf(input: AcceptInput | null | undefined): Registration | null {
  const { name, email, password } = input ?? {};
  if (name === undefined && email === undefined && password === undefined) return null;
  const missing: ErrorDetail[] = [];
  if (!name) missing.push({ path: 'body.name', message: 'required to register' });
  if (!email) missing.push({ path: 'body.email', message: 'required to register' });
  if (!password) missing.push({ path: 'body.password', message: 'required to register' });
  if (missing.length)
    throw new AppError(
      'validation_failed',
      `To register, send name, email and password (missing: ${missing.map((m) => m.path.slice(5)).join(', ')}).`,
      missing,
    );
  return { name: name!, email: email!, password: password!, locale: input?.locale };
}

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === '23505';
const emailTaken = () =>
  new AppError(
    'email_taken',
    'This email address already has an account: log in and open the invitation link again.',
  );

/**
 * Accepting registers a new account (or takes the signed-in user), gives them the caller role on
 * the assignment's unit when they hold no role there, adds them as a caller of the assignment and
 * signs them in: all in one transaction, with the use counted atomically so concurrent accepts
 * never exceed the link's maximum.
 */
export async function acceptInviteLink(
  ctx: BaseCtx,
  token: string,
  input: AcceptInput | null | undefined,
  session: { token: string | undefined; userAgent: string | null },
) {
  const registration = registrationOf(input);
  const link = await requireUsableLink(ctx, token);

  let existingUserId: string | null = null;
  let passwordHash: string | null = null;
  if (registration) {
    if (await authRepo.findUserByEmail(ctx.db, registration.email)) throw emailTaken();
    passwordHash = await hashPassword(registration.password);
  } else {
    const actor = session.token ? await actorFromSession(ctx, session.token) : null;
    if (!actor)
      throw new AppError('not_authenticated', 'Log in first, or register with name, email and password.');
    existingUserId = actor.userId;
    // Accepting again changes nothing and uses up nothing.
    if (await callsRepo.findCaller(ctx.db, link.assignmentId, actor.userId))
      return { assignmentId: link.assignmentId, sessionToken: null };
  }

  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const tctx = withDb(ctx, trx);
      if (!(await links.consumeLinkToken(trx, link.id))) throw invalidLink();
      const userId =
        existingUserId ??
        (
          await authRepo.insertUser(trx, {
            email: registration!.email,
            name: registration!.name,
            passwordHash: passwordHash!,
            ...(registration!.locale ? { locale: registration!.locale } : {}),
          })
        ).id;
      const role = await memberships.findMembership(trx, userId, link.orgId);
      if (!role)
        await memberships.insertMembership(trx, {
          userId,
          orgId: link.orgId,
          role: 'caller',
          createdBy: link.createdBy,
        });
      await callsRepo.upsertCaller(trx, {
        assignmentId: link.assignmentId,
        userId,
        prioritisedTagIds: [],
        excludedTagIds: [],
      });
      // An existing user keeps their session; a new account is signed in.
      const sessionToken = existingUserId
        ? null
        : await createSession(tctx, { userId, secondFactor: 'none' }, session.userAgent);
      await audit.record(
        { ...tctx, actor: { userId } },
        'call_invite.accepted',
        { type: 'call_assignment', id: link.assignmentId, orgId: link.orgId },
        { linkId: link.id, newAccount: !existingUserId, roleAdded: !role },
      );
      return { assignmentId: link.assignmentId, sessionToken };
    });
  } catch (err) {
    // Two registrations with the same address at once: the second one hits the unique index.
    if (registration && isUniqueViolation(err)) throw emailTaken();
    throw err;
  }
}
