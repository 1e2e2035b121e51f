import type { JobModule, NoPayload } from '../jobs/queue.ts';
import {
  MAILING_START_JOB,
  MAILINGS_DUE_JOB,
  startDueMailing,
  startDueMailings,
} from './mailing-lifecycle.service.ts';

declare module '../jobs/jobs.ts' {
  interface JobPayloads {
    /** Start one scheduled mailing at its time, as the user who scheduled it. */
    'mailing-start': { mailingId: string; userId: string };
    'mailings-due': NoPayload;
  }
}

/** Scheduled mailings: started on time (the delivery itself is mail-delivery.jobs.ts). */
export const mailingsJobs = {
  /** Sent with `startAfter` = the scheduled time and key = the mailing id. */
  [MAILING_START_JOB]: {
    run: ({ mailingId, userId }, ctx) => startDueMailing(ctx, mailingId, userId),
  },
  /** Every minute: scheduled mailings whose time has passed (a reschedule, a missed job). */
  [MAILINGS_DUE_JOB]: {
    schedule: { cron: '* * * * *', payload: {} },
    run: (_payload, ctx) => startDueMailings(ctx),
  },
} satisfies JobModule;
