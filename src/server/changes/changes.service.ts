import type { z } from 'zod';
import {
  boundOf,
  CHANGE_KINDS,
  type ChangeDigestBody,
  type ChangeDigestView,
  type ChangeItem,
  type ChangeKind,
  type ChangeList,
  type ChangeListQuery,
} from '../../shared/changes.ts';
import { audit } from '../audit/audit.service.ts';
import { permissionRoots, requireOrgPermission } from '../auth/scope.ts';
import type { Ctx } from '../context.ts';
import { AppError } from '../errors.ts';
import { CURSORS, decodeCursor, pageOf } from '../pagination.ts';
import * as repo from './changes.repo.ts';

/**
 * The change list of a unit (`GET /api/orgs/:id/changes`): what happened to the people of its
 * subtree in a time range, and who moved out of it. Names only where the actor may read the person
 * now; field names, never values; every view is audit-logged.
 */
export async function listChanges(
  ctx: Ctx,
  orgId: string,
  q: z.infer<typeof ChangeListQuery>,
): Promise<ChangeList> {
  await requireOrgPermission(ctx, orgId, 'people:read');
  const from = new Date(boundOf(q.from, 'from'));
  const to = new Date(boundOf(q.to, 'to'));
  const after = decodeCursor(q.cursor, CURSORS.atId);
  const orgRoots = ctx.actor.isSuperadmin ? undefined : ctx.actor.memberships.map((m) => m.orgId);
  const [rows, counts] = await Promise.all([
    repo.findChanges(ctx.db, {
      orgId,
      from,
      to,
      kind: q.kind,
      readRoots: permissionRoots(ctx, 'people:read'),
      orgRoots,
      after: after ? { at: after[0], id: after[1] } : undefined,
      limit: q.limit,
    }),
    repo.countChanges(ctx.db, orgId, from, to),
  ]);
  const { items, nextCursor } = pageOf(rows, q.limit, (r) => [r.atKey, r.id]);
  const view = items.map(toItem);
  await audit.record(
    ctx,
    'changes.viewed',
    { type: 'org', id: orgId, orgId },
    {
      from: from.toISOString(),
      to: to.toISOString(),
      ...(q.kind ? { kind: q.kind } : {}),
      personIds: [...new Set(view.flatMap((i) => (i.person ? [i.person.id] : [])))],
    },
  );
  return {
    items: view,
    nextCursor,
    counts: Object.fromEntries(CHANGE_KINDS.map((k) => [k, counts.byKind[k] ?? 0])) as Record<
      ChangeKind,
      number
    >,
  };
}

function toItem(r: repo.ChangeRow): ChangeItem {
  const moved = r.kind.startsWith('moved');
  return {
    id: r.id,
    kind: r.kind,
    at: new Date(r.at).toISOString(),
    person: r.personReadable
      ? { id: r.personId, name: [r.firstName, r.lastName].filter(Boolean).join(' ') }
      : null,
    // A move's fields hold the old unit's id (the change log's convention), not field names.
    fields: moved ? [] : r.fields,
    source: r.source,
    otherOrg:
      moved && r.otherOrgId && r.otherOrgVisible && r.otherOrgName
        ? { id: r.otherOrgId, name: r.otherOrgName }
        : null,
  };
}

// --- settings ---------------------------------------------------------------------------------

const userView = (u: repo.DigestUserRow) => ({
  userId: u.userId,
  name: u.name,
  email: u.email,
  role: u.role,
  orgId: u.orgId,
  orgName: u.orgName,
});

/**
 * Who gets a unit's digest: the chosen users that still hold a role on the unit or above (checked
 * at every use), else the unit's own admins.
 */
export async function digestRecipients(db: Ctx['db'], orgId: string) {
  const [inLine, chosen] = await Promise.all([
    repo.findRoleHoldersInLine(db, orgId),
    repo.findChosenRecipientIds(db, orgId),
  ]);
  const picked = inLine.filter((u) => chosen.includes(u.userId));
  if (picked.length) return { inLine, chosen, recipients: picked };
  return { inLine, chosen, recipients: inLine.filter((u) => u.role === 'admin' && u.orgId === orgId) };
}

export async function getDigestSettings(ctx: Ctx, orgId: string): Promise<ChangeDigestView> {
  await requireOrgPermission(ctx, orgId, 'mail:configure');
  const [row, who] = await Promise.all([repo.findDigest(ctx.db, orgId), digestRecipients(ctx.db, orgId)]);
  return {
    orgId,
    frequency: row?.frequency ?? 'daily',
    recipientUserIds: who.chosen,
    effectiveRecipients: who.recipients.map(userView),
    candidates: who.inLine.map(userView),
    lastDigestUntil: row?.lastDigestUntil ? new Date(row.lastDigestUntil).toISOString() : null,
  };
}

export async function saveDigestSettings(ctx: Ctx, orgId: string, body: z.infer<typeof ChangeDigestBody>) {
  await requireOrgPermission(ctx, orgId, 'mail:configure');
  const ids = [...new Set(body.recipientUserIds)];
  const inLine = new Set((await repo.findRoleHoldersInLine(ctx.db, orgId)).map((u) => u.userId));
  const outside = ids.filter((id) => !inLine.has(id));
  if (outside.length) {
    throw new AppError(
      'rule_violation',
      'Responsible persons must hold a role on this unit or a unit above it.',
      outside.map((id) => ({ path: 'body.recipientUserIds', message: id, reason: 'no_role_in_line' })),
    );
  }
  const before = await repo.findDigest(ctx.db, orgId);
  // Switched on again: report from now on, not the backlog of the time it was off.
  const restart = before?.frequency === 'off' && body.frequency !== 'off';
  await ctx.db.transaction().execute(async (trx) => {
    await repo.saveDigest(
      trx,
      {
        orgId,
        frequency: body.frequency,
        ...(restart ? { lastDigestUntil: new Date() } : {}),
        updatedBy: ctx.actor.userId,
      },
      ids,
    );
    await audit.record(
      { ...ctx, db: trx },
      'changes.digest_configured',
      { type: 'org', id: orgId, orgId },
      { frequency: body.frequency, recipientUserIds: ids },
    );
  });
  return getDigestSettings(ctx, orgId);
}
