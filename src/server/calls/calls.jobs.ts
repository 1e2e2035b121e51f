import type { JobModule, NoPayload } from '../jobs/queue.ts';
import { syncOpenAssignments } from './call-queue.service.ts';

export const CALL_TARGETS_SYNC_JOB = 'call-targets-sync';

declare module '../jobs/jobs.ts' {
  interface JobPayloads {
    'call-targets-sync': NoPayload;
  }
}

export const callsJobs = {
  /**
   * Every five minutes the queues of open assignments take in people who joined their lists
   * (also those "next" would not notice, e.g. a list by tag), so callers rarely wait for a sync.
   */
  [CALL_TARGETS_SYNC_JOB]: {
    schedule: { cron: '*/5 * * * *', payload: {} },
    run: (_payload, ctx) => syncOpenAssignments(ctx.db),
  },
} satisfies JobModule;
