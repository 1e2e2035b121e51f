import { z } from 'zod';
import { IsoDate } from './common.ts';

export const AuditQuery = z.strictObject({
  orgId: z.uuid().optional(),
  userId: z.uuid().optional(),
  action: z.string().trim().min(1).max(100).optional(),
  from: IsoDate.or(z.iso.date()).optional(),
  to: IsoDate.or(z.iso.date()).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

export const AuditEntryView = z.object({
  id: z.uuid(),
  at: IsoDate,
  actorUserId: z.uuid().nullable(),
  actorName: z.string().nullable(),
  actorEmail: z.string().nullable(),
  orgId: z.uuid().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;
