import type { Db } from '../db/database.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import type { MailService } from './mail.service.ts';

export const MAIL_DELIVERY_JOB = 'mail-deliver';

/** Sends queued mail; the minutely run catches messages queued while no worker listened. */
export function mailJobs(db: Db, mail: MailService): JobDefinition[] {
  return [
    {
      name: MAIL_DELIVERY_JOB,
      cron: '* * * * *',
      run: async () => {
        await mail.deliverQueued(db);
      },
    },
  ];
}
