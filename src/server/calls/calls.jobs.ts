import type { Db } from '../db/database.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import { syncOpenAssignments } from './call-queue.service.ts';

export const CALL_TARGETS_SYNC_JOB = 'call-targets-sync';

/**
 * Every five minutes the queues of open assignments take in people who joined their lists
 * (also those "next" would not notice, e.g. a list by tag), so callers rarely wait for a sync.
 */
export function callsJobs(db: Db): JobDefinition[] {
  return [{ name: CALL_TARGETS_SYNC_JOB, cron: '*/5 * * * *', run: () => syncOpenAssignments(db) }];
}
