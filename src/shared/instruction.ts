import { z } from 'zod';
import { IsoDate } from './common.ts';

export const InstructionView = z.object({ version: z.number().int(), text: z.string(), createdAt: IsoDate });
export const InstructionUpdateBody = z.strictObject({ text: z.string().trim().min(50).max(50_000) });
export const ConfirmationsQuery = z.strictObject({ orgId: z.uuid() });
export const ConfirmationView = z.object({
  userId: z.uuid(),
  name: z.string(),
  email: z.string(),
  orgId: z.uuid(),
  role: z.string(),
  confirmedVersion: z.number().int().nullable(),
  confirmedAt: IsoDate.nullable(),
  current: z.boolean(),
});
