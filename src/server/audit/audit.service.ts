import type { z } from 'zod';
import type { AuditEntryView, AuditQuery } from '../../shared/audit.ts';
import { orgIdsWithPermission, requireOrgPermission } from '../auth/scope.ts';
import type { BaseCtx, Ctx } from '../context.ts';
import { subtreeIds } from '../orgs/orgs.repo.ts';
import { CURSORS, decodeCursor, pageOf } from '../pagination.ts';
import { findAuditEntries, insertAuditEntry } from './audit.repo.ts';

export interface AuditTarget {
  type: string;
  id: string;
  /** The unit the entry belongs to: admins of it and the units above see the entry. */
  orgId?: string | null;
}

type AuditCtx = BaseCtx & { actor: { userId: string } | null };

/**
 * The audit log of every module: who did what to which record. Details hold ids and field
 * names, never the personal data itself.
 */
export const audit = {
  async record(ctx: AuditCtx, action: string, target: AuditTarget, details: Record<string, unknown> = {}) {
    await insertAuditEntry(ctx.db, {
      actorUserId: ctx.actor?.userId ?? null,
      orgId: target.orgId ?? null,
      action,
      targetType: target.type,
      targetId: target.id,
      details,
      ip: ctx.ip,
    });
  },
};

export async function listAuditEntries(ctx: Ctx, q: z.infer<typeof AuditQuery>) {
  let orgIds: string[] | undefined;
  if (q.orgId) {
    await requireOrgPermission(ctx, q.orgId, 'audit:read');
    orgIds = await subtreeIds(ctx.db, [q.orgId]);
  } else {
    orgIds = await orgIdsWithPermission(ctx, 'audit:read');
  }
  const after = decodeCursor(q.cursor, CURSORS.atId);
  const rows = await findAuditEntries(ctx.db, {
    orgIds,
    userId: q.userId,
    action: q.action,
    from: q.from ? new Date(q.from) : undefined,
    // A bare date as upper bound includes that whole day.
    to: q.to ? new Date(q.to.length === 10 ? Date.parse(q.to) + 86400000 : q.to) : undefined,
    after: after ? { at: String(after[0]), id: String(after[1]) } : undefined,
    limit: q.limit,
  });
  const { items, nextCursor } = pageOf(rows, q.limit, (r) => [r.atKey, r.id]);
  return {
    items: items.map(
      (r): AuditEntryView => ({
        id: r.id,
        at: r.at.toISOString(),
        actorUserId: r.actorUserId,
        actorName: r.actorName,
        actorEmail: r.actorEmail,
        orgId: r.orgId,
        action: r.action,
        targetType: r.targetType,
        targetId: r.targetId,
        details: r.details,
      }),
    ),
    nextCursor,
  };
}
