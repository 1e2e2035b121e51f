import { z } from 'zod';
import { IsoDate } from './common.ts';

/** A background job that failed after its last retry (the dead-letter view). */
export const FailedJob = z.object({
  id: z.uuid(),
  /** The job's name, e.g. `mail-deliver`. */
  name: z.string(),
  /** The entity it was about (`import:<id>`), null for sweeps. */
  key: z.string().nullable(),
  /** The payload it was sent with (ids only). */
  payload: z.unknown(),
  error: z.string().nullable(),
  /** Runs before it was given up on (first run plus retries). */
  attempts: z.number().int(),
  queuedAt: IsoDate,
  failedAt: IsoDate,
});

export const FailedJobsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** The id of the last job of the previous page. */
  cursor: z.uuid().optional(),
});
