import type { JobModule, NoPayload } from '../jobs/queue.ts';
import { runChangeDigests } from './change-digest.service.ts';

export const CHANGE_DIGEST_IMMEDIATE_JOB = 'change-digest-immediate';
export const CHANGE_DIGEST_DAILY_JOB = 'change-digest-daily';
export const CHANGE_DIGEST_WEEKLY_JOB = 'change-digest-weekly';

declare module '../jobs/jobs.ts' {
  interface JobPayloads {
    'change-digest-immediate': NoPayload;
    'change-digest-daily': NoPayload;
    'change-digest-weekly': NoPayload;
  }
}

/**
 * Data-change digests. `immediate` units are swept every minute (a unit is mailed once it has been
 * quiet for five minutes, at the latest an hour after its first unreported change), `daily` at
 * 05:00 UTC, `weekly` on Mondays at 05:00 UTC. Writers of changes send nothing: the sweep keeps
 * imports and person writes as fast as before.
 */
export const changesJobs = {
  [CHANGE_DIGEST_IMMEDIATE_JOB]: {
    schedule: { cron: '* * * * *', payload: {} },
    run: (_payload, ctx) => runChangeDigests(ctx, 'immediate'),
  },
  [CHANGE_DIGEST_DAILY_JOB]: {
    schedule: { cron: '0 5 * * *', payload: {} },
    run: (_payload, ctx) => runChangeDigests(ctx, 'daily'),
  },
  [CHANGE_DIGEST_WEEKLY_JOB]: {
    schedule: { cron: '0 5 * * 1', payload: {} },
    run: (_payload, ctx) => runChangeDigests(ctx, 'weekly'),
  },
} satisfies JobModule;
