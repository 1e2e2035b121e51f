import type { DomainPrivacy } from '../privacy/catalogue.ts';

/** Bodies of sent messages are cleared this many days after sending (they hold links and names). */
export const MAIL_BODY_RETENTION_DAYS = 30;
/** Messages (address, subject, status) are deleted this many days after they were queued. */
export const MAIL_RETENTION_DAYS = 180;
export const MAIL_RETENTION_JOB = 'mail-retention';

export const mailPrivacy: DomainPrivacy = {
  domain: 'mail',
  tables: [
    {
      table: 'mail_messages',
      subject: 'address',
      subjectColumns: [],
      personalColumns: ['to_address', 'subject', 'text_body', 'html_body', 'error'],
      purpose:
        'Delivering system mail (invitations, password resets, sign-in notices) and showing the outbox.',
      erasure: {
        action: 'keep',
        reason: 'not linked to a person record (sent to an address); removed by the retention rules below',
      },
      access: {
        section: 'mail',
        columns: ['created_at', 'to_address', 'subject', 'template', 'status', 'sent_at'],
      },
      retention: {
        kind: 'rules',
        rules: [
          {
            days: MAIL_BODY_RETENTION_DAYS,
            from: 'sent_at',
            action: { clear: ['text_body', 'html_body'] },
            where: 'sent messages',
            job: MAIL_RETENTION_JOB,
          },
          { days: MAIL_RETENTION_DAYS, from: 'created_at', action: 'delete_rows', job: MAIL_RETENTION_JOB },
        ],
      },
    },
  ],
};
