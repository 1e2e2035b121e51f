import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export interface AuditRow {
  actorUserId: string | null;
  orgId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

export function insertAuditEntry(db: Db, row: AuditRow) {
  return db
    .insertInto('auditLog')
    .values({ ...row, details: JSON.stringify(row.details) })
    .execute();
}

export interface AuditFilter {
  /** Entries of these units (a subtree); undefined = all (superadmin). */
  orgIds?: string[];
  /** Also entries without a unit that concern the instance (superadmin only). */
  userId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  after?: { at: string; id: string };
  limit: number;
}

export function findAuditEntries(db: Db, f: AuditFilter) {
  let q = db
    .selectFrom('auditLog as a')
    .leftJoin('users as u', 'u.id', 'a.actorUserId')
    .select([
      'a.id',
      'a.at',
      'a.actorUserId',
      'u.name as actorName',
      'u.email as actorEmail',
      'a.orgId',
      'a.action',
      'a.targetType',
      'a.targetId',
      'a.details',
      sql<string>`a.at::text`.as('atKey'),
    ]);
  if (f.orgIds)
    q = q.where('a.orgId', 'in', f.orgIds.length ? f.orgIds : ['00000000-0000-0000-0000-000000000000']);
  if (f.userId) q = q.where('a.actorUserId', '=', f.userId);
  if (f.action) q = q.where('a.action', 'like', `${f.action.replace(/[%_\\]/g, '\\$&')}%`);
  if (f.from) q = q.where('a.at', '>=', f.from);
  if (f.to) q = q.where('a.at', '<', f.to);
  if (f.after) {
    const { at, id } = f.after;
    q = q.where(sql<boolean>`(a.at, a.id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  return q
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(f.limit + 1)
    .execute();
}
