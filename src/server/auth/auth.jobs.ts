import { deleteExpiredCounters } from '../http/rate-limit.repo.ts';
import type { JobModule, NoPayload } from '../jobs/queue.ts';
import { deleteExpiredAuthData } from './auth.service.ts';

declare module '../jobs/jobs.ts' {
  interface JobPayloads {
    'auth-cleanup': NoPayload;
  }
}

export const authJobs = {
  /** Hourly: expired sessions and reset links, old login failures, rate-limit windows that ran out. */
  'auth-cleanup': {
    schedule: { cron: '17 * * * *', payload: {} },
    run: async (_payload, ctx) => {
      await deleteExpiredAuthData(ctx.db);
      await deleteExpiredCounters(ctx.db);
    },
  },
} satisfies JobModule;
