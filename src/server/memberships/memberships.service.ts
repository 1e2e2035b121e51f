import type { Role } from '../../shared/permissions.ts';
import { audit } from '../audit/audit.service.ts';
import * as authRepo from '../auth/auth.repo.ts';
import { createSession, loadActor, toUserView, verifyCredentials } from '../auth/auth.service.ts';
import { requireOrgPermission } from '../auth/scope.ts';
import { hashPassword } from '../auth/secrets.ts';
import { removeCallerRowsWithoutRole } from '../calls/call-assignments.service.ts';
import type { BaseCtx, Ctx } from '../context.ts';
import { AppError } from '../errors.ts';
import * as links from '../links/links.service.ts';
import { subtreeIds } from '../orgs/orgs.repo.ts';
import * as repo from './memberships.repo.ts';

const INVITATION_DAYS = 7;

const ROLE_LABELS: Record<'de' | 'en', Record<Role, string>> = {
  de: { admin: 'Admin', organizer: 'Organisator*in', caller: 'Anrufer*in' },
  en: { admin: 'admin', organizer: 'organizer', caller: 'caller' },
};

export async function listMemberships(ctx: Ctx, orgId: string, opts: { subtree?: boolean }) {
  await requireOrgPermission(ctx, orgId, 'memberships:read');
  const orgIds = opts.subtree ? await subtreeIds(ctx.db, [orgId]) : [orgId];
  const rows = await repo.findMemberships(ctx.db, orgIds);
  return {
    items: rows.map((r) => ({ ...r, role: r.role as Role, createdAt: r.createdAt.toISOString() })),
    nextCursor: null,
  };
}

export async function changeRole(ctx: Ctx, orgId: string, userId: string, role: Role) {
  await requireOrgPermission(ctx, orgId, 'memberships:write');
  if (userId === ctx.actor.userId) throw new AppError('rule_violation', 'You cannot change your own role.');
  const res = await repo.updateMembershipRole(ctx.db, userId, orgId, role);
  if (Number(res.numUpdatedRows) !== 1) throw new AppError('not_found', 'Membership not found.');
  await audit.record(ctx, 'membership.role_changed', { type: 'user', id: userId, orgId }, { role });
}

export async function removeMembership(ctx: Ctx, orgId: string, userId: string) {
  await requireOrgPermission(ctx, orgId, 'memberships:write');
  if (userId === ctx.actor.userId)
    throw new AppError('rule_violation', 'You cannot remove your own membership.');
  const callerRowsRemoved = await ctx.db.transaction().execute(async (trx) => {
    const res = await repo.deleteMembership(trx, userId, orgId);
    if (Number(res.numDeletedRows) !== 1) throw new AppError('not_found', 'Membership not found.');
    // The role carried their caller rows: assignments they may no longer reach lose them now.
    return removeCallerRowsWithoutRole(trx, userId);
  });
  await audit.record(ctx, 'membership.removed', { type: 'user', id: userId, orgId }, { callerRowsRemoved });
}

// Invitations -------------------------------------------------------------------------------------

function invitationStatus(
  i: { acceptedAt: Date | null },
  link: { revokedAt: Date | null; expiresAt: Date | null } | undefined,
) {
  if (i.acceptedAt) return 'accepted' as const;
  if (!link || link.revokedAt) return 'revoked' as const;
  return link.expiresAt && link.expiresAt.getTime() < Date.now()
    ? ('expired' as const)
    : ('pending' as const);
}

export async function listInvitations(ctx: Ctx, orgId: string) {
  await requireOrgPermission(ctx, orgId, 'memberships:read');
  const rows = await repo.findInvitations(ctx.db, orgId);
  const tokens = await links.listLinkTokens(
    ctx.db,
    'invitation',
    rows.map((i) => i.id),
  );
  const linkOf = new Map(tokens.map((l) => [l.subjectId, l]));
  return {
    items: rows.map((i) => {
      const link = linkOf.get(i.id);
      return {
        id: i.id,
        orgId: i.orgId,
        email: i.email,
        role: i.role as Role,
        createdAt: i.createdAt.toISOString(),
        expiresAt: (link?.expiresAt ?? i.createdAt).toISOString(),
        status: invitationStatus(i, link),
      };
    }),
    nextCursor: null,
  };
}

/**
 * Who may invite whom: `memberships:write` (admins) invites any role; `memberships:invite` alone
 * (organizers) invites callers only. A unit outside the actor's scope is 404, a role they may not
 * hand out 403.
 */
async function requireInvitePermission(ctx: Ctx, orgId: string, role: Role) {
  const org = await requireOrgPermission(ctx, orgId, 'memberships:invite');
  if (role !== 'caller') {
    try {
      await requireOrgPermission(ctx, orgId, 'memberships:write');
    } catch (err) {
      if (err instanceof AppError && err.code === 'forbidden')
        throw new AppError('forbidden', 'Your role in this unit allows inviting callers only.');
      throw err;
    }
  }
  return org;
}

/**
 * Invites an address to a unit with a role: a single-use link valid for 7 days goes out by mail.
 * Someone who already has a role in this unit is not invited again (409).
 */
export async function inviteToOrg(ctx: Ctx, orgId: string, email: string, role: Role) {
  const org = await requireInvitePermission(ctx, orgId, role);
  if (org.archivedAt) throw new AppError('rule_violation', 'The unit is archived.');
  const existing = await repo.findMembershipByEmail(ctx.db, email, orgId);
  if (existing) {
    throw new AppError(
      'already_member',
      `${email} already has the role "${existing.role}" in this unit. Change the role in the member list instead.`,
    );
  }
  const invitee = await authRepo.findUserByEmail(ctx.db, email);
  const locale = invitee?.locale ?? ctx.actor.locale;
  const invitation = await ctx.db.transaction().execute(async (trx) => {
    // An earlier open invitation of the same address to the same unit is replaced by this one.
    const earlier = await repo.findOpenInvitationIds(trx, orgId, email);
    await links.revokeLinkToken(trx, { purpose: 'invitation', subjectIds: earlier });
    const row = await repo.insertInvitation(trx, { orgId, email, role, invitedBy: ctx.actor.userId });
    const { token } = await links.issueLinkToken(trx, {
      purpose: 'invitation',
      subjectId: row.id,
      expiresAt: new Date(Date.now() + INVITATION_DAYS * 24 * 3600 * 1000),
      maxUses: 1,
      createdBy: ctx.actor.userId,
    });
    await ctx.mail.send(trx, {
      to: email,
      locale,
      template: 'invitation',
      vars: {
        orgName: org.name,
        roleLabel: ROLE_LABELS[locale][role],
        inviterName: ctx.actor.name || ctx.actor.email,
        link: `${ctx.config.publicUrl}/invitation/${token}`,
        days: INVITATION_DAYS,
      },
    });
    return row;
  });
  await audit.record(ctx, 'invitation.created', { type: 'invitation', id: invitation.id, orgId }, { role });
  return { id: invitation.id };
}

export async function revokeInvitation(ctx: Ctx, id: string) {
  const invitation = await repo.findInvitationById(ctx.db, id);
  if (!invitation) throw new AppError('not_found', 'Invitation not found.');
  await requireInvitePermission(ctx, invitation.orgId, invitation.role as Role);
  if (invitation.acceptedAt) throw new AppError('conflict', 'The invitation was already accepted.');
  await links.revokeLinkToken(ctx.db, { purpose: 'invitation', subjectIds: [id] });
  await audit.record(ctx, 'invitation.revoked', { type: 'invitation', id, orgId: invitation.orgId });
}

const invalidInvitation = () =>
  new AppError(
    'invitation_invalid',
    'This invitation link is invalid, used or expired. Ask for a new invitation.',
  );

/**
 * An invitation carries the grant of whoever sent it: it works only while they may still invite
 * to that unit with that role (their role removed or lowered, their account disabled: it is void).
 */
async function requireUsableInvitation(ctx: BaseCtx, token: string) {
  const link = await links.findUsableLinkToken(ctx.db, token, 'invitation');
  const inv = link ? await repo.findOpenInvitation(ctx.db, link.subjectId) : undefined;
  if (!link || !inv) throw invalidInvitation();
  const inviter = inv.invitedBy ? await loadActor(ctx, inv.invitedBy, 'session') : null;
  if (!inviter) throw invalidInvitation();
  try {
    await requireInvitePermission({ ...ctx, actor: inviter }, inv.orgId, inv.role as Role);
  } catch (err) {
    if (err instanceof AppError) throw invalidInvitation();
    throw err;
  }
  return { ...inv, linkId: link.id };
}

export async function previewInvitation(ctx: BaseCtx, token: string) {
  const inv = await requireUsableInvitation(ctx, token);
  const user = await authRepo.findUserByEmail(ctx.db, inv.email);
  return { orgName: inv.orgName, role: inv.role as Role, email: inv.email, existingUser: Boolean(user) };
}

/**
 * Accepting creates the account (or, for an existing account, checks its password), adds the
 * membership and signs the person in. The next stop for them is the data-protection instruction.
 */
export async function acceptInvitation(
  ctx: BaseCtx,
  token: string,
  input: { name: string; password: string; totp?: string },
  userAgent: string | null,
) {
  const inv = await requireUsableInvitation(ctx, token);
  const existing = await authRepo.findUserByEmail(ctx.db, inv.email);
  // An existing account signs in like at the login: throttled, password, second factor.
  const signedIn = existing
    ? await verifyCredentials(
        ctx,
        { email: inv.email, password: input.password, totp: input.totp },
        'This address already has an account: enter its password.',
      )
    : null;
  if (!existing && input.password.length < 8) {
    throw new AppError('validation_failed', 'The password needs at least 8 characters.', [
      { path: 'body.password', message: 'at least 8 characters' },
    ]);
  }
  const passwordHash = existing ? null : await hashPassword(input.password);
  const user = await ctx.db.transaction().execute(async (trx) => {
    const user =
      existing ??
      (await authRepo.insertUser(trx, { email: inv.email, name: input.name, passwordHash: passwordHash! }));
    // Single use: the link's use and the acceptance are taken once, whoever races.
    if (!(await links.consumeLinkToken(trx, inv.linkId))) throw invalidInvitation();
    const claimed = await repo.markInvitationAccepted(trx, inv.id, user.id);
    if (Number(claimed.numUpdatedRows) !== 1) throw invalidInvitation();
    if (!(await repo.findMembership(trx, user.id, inv.orgId))) {
      await repo.insertMembership(trx, {
        userId: user.id,
        orgId: inv.orgId,
        role: inv.role as Role,
        createdBy: inv.invitedBy,
      });
    }
    return user;
  });
  const sessionToken = await createSession(
    ctx,
    signedIn?.proof ?? { userId: user.id, secondFactor: 'none' },
    userAgent,
  );
  await audit.record(
    { ...ctx, actor: { userId: user.id } },
    'invitation.accepted',
    { type: 'invitation', id: inv.id, orgId: inv.orgId },
    { role: inv.role },
  );
  return { user: toUserView(user), sessionToken };
}
