import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/app.ts';
import { createTestDatabase } from '../../../test/db.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { createJobLayer, type JobLayer } from '../jobs/queue.ts';
import { mailJobs } from './mail.jobs.ts';
import { createMailService, type MailService } from './mail.service.ts';
import { renderMail } from './mail.templates.ts';

interface Received {
  to: string[];
  raw: string;
}

let smtp: SMTPServer;
let port: number;
const received: Received[] = [];
let rejectNext = 0;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(_address, _session, callback) {
      if (rejectNext > 0) {
        rejectNext--;
        return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
    logger: false,
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  port = (smtp.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('mail delivery over SMTP through the job queue', () => {
  let database: DatabaseHandle;
  let mail: MailService;
  let queue: JobLayer | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = testConfig({
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: 'Draht <noreply@draht.test>',
    });
    queue = createJobLayer([mailJobs]);
    mail = createMailService(config, queue);
    const silent = { error: () => {}, warn: () => {}, info: () => {} } as never;
    const jobs = queue;
    jobs.bind((db) => ({ db: db ?? database.db, config, mail, jobs, log: silent, ip: null }));
    await queue.start(database, { workers: true, log: silent, pollingIntervalSeconds: 0.5 });
  });
  afterAll(async () => {
    await queue?.stop();
    mail.close();
    await database.close();
  });

  it('queues a message in the database and a worker sends it with a text and an HTML part', async () => {
    const { id } = await mail.send(database.db, {
      to: 'erika@example.org',
      locale: 'de',
      template: 'passwordReset',
      vars: { name: 'Erika', link: 'http://draht.test/reset-password/abc', hours: 2 },
    });
    const msg = await waitFor(() => received.find((r) => r.to.includes('erika@example.org')));
    expect(msg.raw).toMatch(/^Subject: .*Draht/m);
    expect(msg.raw).toContain('http://draht.test/reset-password/abc');
    expect(msg.raw).toContain('text/plain');
    expect(msg.raw).toContain('text/html');
    expect(msg.raw).toContain('From: Draht <noreply@draht.test>');
    // A fixed Message-ID from the row: a consent proof can name the mail it was confirmed from.
    expect(msg.raw).toMatch(new RegExp(`^Message-ID: <${id}@draht\\.test>`, 'mi'));
    const row = await waitFor(async () => {
      const r = await database.db
        .selectFrom('mailMessages')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return r.status === 'sent' ? r : undefined;
    });
    expect(row.sentAt).toBeInstanceOf(Date);
  });

  it('keeps a refused message queued with the error and retries it later', async () => {
    rejectNext = 1;
    const { id } = await mail.send(database.db, {
      to: 'bounce@example.org',
      locale: 'en',
      template: 'passwordReset',
      vars: { name: '', link: 'http://draht.test/reset-password/x', hours: 2 },
    });
    const failed = await waitFor(async () => {
      const r = await database.db
        .selectFrom('mailMessages')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return r.attempts >= 1 ? r : undefined;
    });
    expect(failed.error).toContain('mailbox unavailable');
    // The next run (here triggered by hand, in production by the minutely schedule) delivers it.
    expect(await mail.deliverQueued(database.db)).toBe(1);
    expect(received.some((r) => r.to.includes('bounce@example.org'))).toBe(true);
  });
});

describe('mail templates', () => {
  it('renders German and English with the link in both parts and escapes HTML', () => {
    const vars = {
      orgName: 'KV <Leipzig>',
      roleLabel: 'caller',
      inviterName: 'Ann',
      link: 'http://x/invitation/t',
      days: 7,
    };
    const de = renderMail('invitation', 'de', vars);
    const en = renderMail('invitation', 'en', vars);
    expect(de.subject).toBe('Einladung zu Draht: KV <Leipzig>');
    expect(en.subject).toBe('Invitation to Draht: KV <Leipzig>');
    for (const m of [de, en]) {
      expect(m.text).toContain('http://x/invitation/t');
      expect(m.html).toContain('href="http://x/invitation/t"');
      expect(m.html).toContain('KV &lt;Leipzig&gt;');
      expect(m.html).not.toContain('<Leipzig>');
    }
  });
});
