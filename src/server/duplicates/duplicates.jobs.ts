import type { Db } from '../db/database.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import { runQueuedScans, scanEverything } from './duplicates.service.ts';

export const DUPLICATE_SCAN_JOB = 'duplicates-scan';
export const DUPLICATE_NIGHTLY_JOB = 'duplicates-nightly';

/**
 * Requested scans (woken on request, and a sweep every five minutes for requests a crashed or
 * busy instance left behind), and a nightly scan of the whole instance.
 */
export function duplicatesJobs(db: Db): JobDefinition[] {
  return [
    {
      name: DUPLICATE_SCAN_JOB,
      cron: '*/5 * * * *',
      run: async () => {
        await runQueuedScans(db);
      },
    },
    { name: DUPLICATE_NIGHTLY_JOB, cron: '40 2 * * *', run: () => scanEverything(db) },
  ];
}
