import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { DAY_MS } from '../privacy/catalogue.ts';
import { deleteExpiredMail } from './mail.jobs.ts';
import { MAIL_BODY_RETENTION_DAYS, MAIL_RETENTION_DAYS } from './mail.privacy.ts';

/** How long system mail keeps addresses and bodies (mail.privacy.ts). */

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function message(status: 'sent' | 'queued' | 'failed' | 'outbox', to: string) {
  const row = await t.db
    .insertInto('mailMessages')
    .values({
      toAddress: to,
      subject: 'Einladung',
      textBody: 'Hallo Erika, hier ist dein Link',
      htmlBody: '<p>Hallo Erika</p>',
      template: 'invitation',
      status,
      sentAt: status === 'sent' ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const read = (id: string) =>
  t.db
    .selectFrom('mailMessages')
    .select(['toAddress', 'textBody', 'htmlBody', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();

describe('mail retention', () => {
  it(`clears bodies of sent mail after ${MAIL_BODY_RETENTION_DAYS} days and deletes messages after ${MAIL_RETENTION_DAYS}`, async () => {
    const sent = await message('sent', 'erika@example.org');
    const outbox = await message('outbox', 'otto@example.org');
    const now = Date.now();

    expect(await deleteExpiredMail(t.db, new Date(now + (MAIL_BODY_RETENTION_DAYS - 1) * DAY_MS))).toEqual({
      cleared: 0,
      deleted: 0,
    });
    expect((await read(sent))?.textBody).toBe('Hallo Erika, hier ist dein Link');

    expect(await deleteExpiredMail(t.db, new Date(now + (MAIL_BODY_RETENTION_DAYS + 1) * DAY_MS))).toEqual({
      cleared: 1,
      deleted: 0,
    });
    // Sent: the address and status stay for the outbox view, the body (names, links) is gone.
    expect(await read(sent)).toEqual({
      toAddress: 'erika@example.org',
      textBody: '',
      htmlBody: null,
      status: 'sent',
    });
    // Not sent (the admin may still need it): untouched.
    expect(await read(outbox)).toMatchObject({
      textBody: 'Hallo Erika, hier ist dein Link',
      status: 'outbox',
    });

    expect(await deleteExpiredMail(t.db, new Date(now + (MAIL_RETENTION_DAYS + 1) * DAY_MS))).toEqual({
      cleared: 0,
      deleted: 2,
    });
    expect(await read(sent)).toBeUndefined();
    expect(await read(outbox)).toBeUndefined();
  });
});
