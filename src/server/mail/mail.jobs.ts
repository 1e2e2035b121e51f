import type { Db } from '../db/database.ts';
import type { JobModule, NoPayload } from '../jobs/queue.ts';
import { daysBefore } from '../privacy/catalogue.ts';
import { MAIL_BODY_RETENTION_DAYS, MAIL_RETENTION_DAYS, MAIL_RETENTION_JOB } from './mail.privacy.ts';
import { applyMailRetention } from './mail.repo.ts';

export const MAIL_DELIVERY_JOB = 'mail-deliver';

declare module '../jobs/jobs.ts' {
  interface JobPayloads {
    'mail-deliver': NoPayload;
    'mail-retention': NoPayload;
  }
}

/** The retention defaults of mail_messages (mail.privacy.ts), applied at `now`. */
export function deleteExpiredMail(db: Db, now = new Date()) {
  return applyMailRetention(
    db,
    daysBefore(now, MAIL_BODY_RETENTION_DAYS),
    daysBefore(now, MAIL_RETENTION_DAYS),
  );
}

export const mailJobs = {
  /**
   * Sends queued mail (a sweep: sends without a key coalesce while one waits); the minutely run
   * catches messages queued while no worker listened.
   */
  [MAIL_DELIVERY_JOB]: {
    schedule: { cron: '* * * * *', payload: {} },
    run: async (_payload, ctx) => {
      await ctx.mail.deliverQueued(ctx.db);
    },
  },
  /** Daily: bodies of sent mail and old messages go (retention, mail.privacy.ts). */
  [MAIL_RETENTION_JOB]: {
    schedule: { cron: '41 3 * * *', payload: {} },
    run: async (_payload, ctx) => {
      await deleteExpiredMail(ctx.db);
    },
  },
} satisfies JobModule;
