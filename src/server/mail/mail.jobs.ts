import type { Db } from '../db/database.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import { daysBefore } from '../privacy/catalogue.ts';
import { MAIL_BODY_RETENTION_DAYS, MAIL_RETENTION_DAYS, MAIL_RETENTION_JOB } from './mail.privacy.ts';
import { applyMailRetention } from './mail.repo.ts';
import type { MailService } from './mail.service.ts';

export const MAIL_DELIVERY_JOB = 'mail-deliver';

/** The retention defaults of mail_messages (mail.privacy.ts), applied at `now`. */
export function deleteExpiredMail(db: Db, now = new Date()) {
  return applyMailRetention(
    db,
    daysBefore(now, MAIL_BODY_RETENTION_DAYS),
    daysBefore(now, MAIL_RETENTION_DAYS),
  );
}

/**
 * Sends queued mail; the minutely run catches messages queued while no worker listened. Daily,
 * bodies of sent mail and old messages go (retention, mail.privacy.ts).
 */
export function mailJobs(db: Db, mail: MailService): JobDefinition[] {
  return [
    {
      name: MAIL_DELIVERY_JOB,
      cron: '* * * * *',
      run: async () => {
        await mail.deliverQueued(db);
      },
    },
    {
      name: MAIL_RETENTION_JOB,
      cron: '41 3 * * *',
      run: async () => {
        await deleteExpiredMail(db);
      },
    },
  ];
}
