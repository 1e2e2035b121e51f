import type { Db } from '../db/database.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import { deleteExpiredAuthData } from './auth.service.ts';

/** Hourly: expired sessions and reset links, old login failures. */
export function authJobs(db: Db): JobDefinition[] {
  return [{ name: 'auth-cleanup', cron: '17 * * * *', run: () => deleteExpiredAuthData(db) }];
}
