import type { JobModule, NoPayload } from '../jobs/queue.ts';
import { runQueuedScans, scanEverything } from './duplicates.service.ts';

export const DUPLICATE_SCAN_JOB = 'duplicates-scan';
export const DUPLICATE_NIGHTLY_JOB = 'duplicates-nightly';

declare module '../jobs/jobs.ts' {
  interface JobPayloads {
    /** Sent with the key `org:<id>` when a scan of that unit is requested. */
    'duplicates-scan': { orgId?: string };
    'duplicates-nightly': NoPayload;
  }
}

export const duplicatesJobs = {
  /**
   * Requested scans (sent on request, and a sweep every five minutes for requests a crashed or
   * busy instance left behind). Inline without a queue: the request then answers with the result.
   */
  [DUPLICATE_SCAN_JOB]: {
    schedule: { cron: '*/5 * * * *', payload: {} },
    inline: true,
    run: async (_payload, ctx) => {
      await runQueuedScans(ctx.db);
    },
  },
  /** Nightly scan of the whole instance. */
  [DUPLICATE_NIGHTLY_JOB]: {
    schedule: { cron: '40 2 * * *', payload: {} },
    run: (_payload, ctx) => scanEverything(ctx.db),
  },
} satisfies JobModule;
