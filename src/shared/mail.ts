import { z } from 'zod';
import { IsoDate } from './common.ts';

export const OutboxItem = z.object({
  id: z.uuid(),
  createdAt: IsoDate,
  to: z.string(),
  subject: z.string(),
  template: z.string(),
  status: z.enum(['queued', 'sent', 'failed', 'outbox']),
  sentAt: IsoDate.nullable(),
  error: z.string().nullable(),
});
export const OutboxMessage = OutboxItem.extend({ text: z.string(), html: z.string().nullable() });
