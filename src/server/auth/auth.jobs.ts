import type { Db } from '../db/database.ts';
import { deleteExpiredCounters } from '../http/rate-limit.repo.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import { deleteExpiredAuthData } from './auth.service.ts';

/** Hourly: expired sessions and reset links, old login failures, rate-limit windows that ran out. */
export function authJobs(db: Db): JobDefinition[] {
  return [
    {
      name: 'auth-cleanup',
      cron: '17 * * * *',
      run: async () => {
        await deleteExpiredAuthData(db);
        await deleteExpiredCounters(db);
      },
    },
  ];
}
