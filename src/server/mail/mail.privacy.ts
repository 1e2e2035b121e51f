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
    {
      table: 'mailing_recipients',
      subject: 'person',
      subjectColumns: ['person_id'],
      personalColumns: ['email', 'error'],
      purpose:
        'The frozen recipient list of a mailing: who gets it at which address, delivery status (no open or click tracking).',
      erasure: {
        action: 'erase',
        by: 'foreign_key',
        note: 'the mailing keeps its frozen total; the address goes to mail_suppressions as a hash (reason erased)',
      },
      access: { section: 'mailings', columns: ['mailing_id', 'email', 'status', 'sent_at'] },
      retention: { kind: 'until_erased' },
    },
    {
      table: 'mail_suppressions',
      subject: 'address',
      subjectColumns: [],
      personalColumns: ['address_hash', 'reason'],
      purpose:
        'Keeping unsubscribed, bounced and erased addresses from being mailed again (Art. 17(2), 21(3)); only a salted hash.',
      erasure: {
        action: 'keep',
        reason: 'holds no address, only a salted hash, which is what keeps an erased person unmailed',
      },
      access: { none: 'a salted hash cannot be listed for a person without their address' },
      retention: {
        kind: 'kept',
        reason: 'an unsubscribe must hold as long as the addresses may be imported again',
      },
    },
    {
      table: 'mailings',
      subject: 'user',
      subjectColumns: ['created_by'],
      personalColumns: ['paused_reason'],
      purpose: 'The mailings a unit wrote and sent, and who wrote them.',
      erasure: {
        action: 'keep',
        reason: "a mailing is the unit's record, not about a person; the author is set null with the account",
      },
      access: { none: 'no data about members' },
      retention: { kind: 'kept', reason: "the unit's record of what it sent" },
    },
  ],
  notPersonal: [
    { table: 'mail_templates', reason: 'reusable mail bodies of a unit, with placeholders instead of names' },
    {
      table: 'mail_images',
      reason:
        'images a unit uploads for its mails (logos, pictures it publishes in them), not linked to any person record; a photo showing people is published content like the mail text, and the unit deletes an image it no longer wants shown',
    },
  ],
};
