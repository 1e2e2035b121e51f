import type { JobModule, NoPayload } from '../jobs/queue.ts';
import { deliverMailing, sweepMailings } from './mail-delivery.service.ts';

export const MAILING_DELIVERY_JOB = 'mailing-deliver';
export const MAILING_SWEEP_JOB = 'mailing-sweep';

declare module '../jobs/jobs.ts' {
  interface JobPayloads {
    'mailing-deliver': { mailingId: string };
    'mailing-sweep': NoPayload;
  }
}

/** The job key of a mailing's delivery: one waits and one runs per mailing. */
export const deliveryKey = (mailingId: string) => mailingId;

export const mailDeliveryJobs = {
  /**
   * Sends a mailing's due recipient rows (mail-delivery.service.ts). A run lasts at most about a
   * minute; when rows remain (budget spent, retries due later, SMTP server away) it sends itself
   * again for then, under the mailing's key.
   */
  [MAILING_DELIVERY_JOB]: {
    timeoutSeconds: 300,
    retry: { limit: 5, delaySeconds: 10, maxDelaySeconds: 300 },
    run: async ({ mailingId }, ctx) => {
      const run = await deliverMailing(ctx, mailingId);
      if (run.nextRunAt)
        await ctx.jobs.send(
          MAILING_DELIVERY_JOB,
          { mailingId },
          { key: deliveryKey(mailingId), startAfter: run.nextRunAt },
        );
      return run;
    },
  },
  /**
   * Every minute: rows a crashed worker left `sending` go back to the queue, and mailings with due
   * rows (or paused because the SMTP server was away) get their delivery job again.
   */
  [MAILING_SWEEP_JOB]: {
    schedule: { cron: '* * * * *', payload: {} },
    run: async (_payload, ctx) => {
      const { nudge } = await sweepMailings(ctx);
      for (const mailingId of nudge)
        await ctx.jobs.send(MAILING_DELIVERY_JOB, { mailingId }, { key: deliveryKey(mailingId) });
    },
  },
} satisfies JobModule;
