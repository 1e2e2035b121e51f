import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { makeOrgTree, type OrgTree } from '../../../test/factories.ts';
import { bodyText, type SmtpSink, startSmtpSink } from '../../../test/smtp.ts';
import { hashToken } from '../auth/secrets.ts';
import type { BaseCtx } from '../context.ts';
import type { DatabaseHandle, Db } from '../db/database.ts';
import type { MailingPurpose } from '../db/schema.ts';
import { createJobLayer } from '../jobs/queue.ts';
import { addressHash, getSuppressionSalt } from '../privacy/instance-keys.repo.ts';
import { createMailService } from './mail.service.ts';
import { mailDeliveryJobs } from './mail-delivery.jobs.ts';
import { deliverMailing, SMTP_UNAVAILABLE, sweepMailings } from './mail-delivery.service.ts';

/**
 * Mailing delivery against an in-process SMTP server (test/smtp.ts). Mailings and their frozen
 * recipient rows are made in SQL here (the freeze itself is tested with the mailings API), so each
 * case starts from the state the worker sees.
 */

let database: DatabaseHandle;
let sink: SmtpSink;
let t: TestApp;
let orgs: OrgTree;

const ctxOf = (app: TestApp): BaseCtx => ({
  db: app.db,
  config: app.config,
  mail: app.mail,
  jobs: app.jobs,
  log: app.app.log,
  ip: null,
});

beforeAll(async () => {
  database = await createTestDatabase();
  sink = await startSmtpSink();
  t = await createTestApp({
    database,
    env: { SMTP_URL: sink.url, MAIL_FROM: 'Draht <noreply@draht.test>' },
  });
  orgs = await makeOrgTree(database.db);
  const sender = await database.db
    .insertInto('mailSenderAddresses')
    .values({ address: 'kreis-a1@partei.test' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto('orgMailSettings')
    .values({
      orgId: orgs.kreisA1,
      senderName: 'Kreisverband A1',
      senderAddressId: sender.id,
      replyTo: 'antwort@partei.test',
      footer: 'Kreisverband A1, Hauptstraße 1, 01067 Dresden',
    })
    .execute();
});
afterAll(async () => {
  await t?.close();
  await sink?.stop();
  await database?.close();
});

interface Seeded {
  mailingId: string;
  rows: { id: string; email: string; messageId: string; personId: string }[];
}

/** A mailing in `sending` with one frozen recipient row per address (a person each). */
async function seedMailing(
  db: Db,
  emails: string[],
  opts: { purpose?: MailingPurpose; html?: string; subject?: string; orgId?: string } = {},
): Promise<Seeded> {
  const orgId = opts.orgId ?? orgs.kreisA1;
  const mailing = await db
    .insertInto('mailings')
    .values({
      orgId,
      subject: opts.subject ?? 'Einladung zum Sommerfest, {{firstName|Freundin}}',
      html: opts.html ?? '<p>Hallo {{firstName}},</p><p>komm vorbei!</p>',
      purpose: opts.purpose ?? 'member_info',
      status: 'sending',
      startedAt: new Date(),
      total: emails.length,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rows: Seeded['rows'] = [];
  for (const [i, email] of emails.entries()) {
    const person = await db
      .insertInto('people')
      .values({ orgId, firstName: `Vera${i}`, lastName: 'Test', source: 'manual' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('personEmails').values({ personId: person.id, email, isPrimary: true }).execute();
    const messageId = `<${randomUUID()}@draht.test>`;
    const row = await db
      .insertInto('mailingRecipients')
      .values({
        mailingId: mailing.id,
        personId: person.id,
        orgId,
        email,
        domain: email.split('@')[1],
        messageId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    rows.push({ id: row.id, email, messageId: messageId.slice(1, -1), personId: person.id });
  }
  return { mailingId: mailing.id, rows };
}

const addresses = (prefix: string, n: number, domain = 'example.org') =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}-${randomUUID().slice(0, 6)}@${domain}`);

async function rowsOf(db: Db, mailingId: string) {
  return db
    .selectFrom('mailingRecipients')
    .select(['id', 'email', 'status', 'attempts', 'sentAt', 'error', 'messageId'])
    .where('mailingId', '=', mailingId)
    .execute();
}

const received = (s: Seeded) => {
  const ids = new Set(s.rows.map((r) => r.messageId));
  return sink.messages.filter((m) => m.messageId && ids.has(m.messageId));
};

/** How often each Message-ID of the mailing arrived. */
const copies = (s: Seeded) => {
  const n = new Map(s.rows.map((r) => [r.messageId, 0]));
  for (const m of received(s)) n.set(m.messageId!, (n.get(m.messageId!) ?? 0) + 1);
  return n;
};

describe('delivering a mailing over SMTP', () => {
  it('sends every row once with its fixed Message-ID, unsubscribe headers and footer link', async () => {
    const s = await seedMailing(t.db, addresses('h', 12));
    const run = await deliverMailing(ctxOf(t), s.mailingId, { batchSize: 5 });
    expect(run).toMatchObject({ outcome: 'finished', sent: 12 });
    const got = received(s);
    expect(got).toHaveLength(12);
    for (const row of s.rows) {
      const m = got.find((x) => x.messageId === row.messageId);
      expect(m, row.email).toBeDefined();
      expect(m!.to).toEqual([row.email.toLowerCase()]);
      expect(m!.header('from')).toBe('Kreisverband A1 <kreis-a1@partei.test>');
      expect(m!.header('reply-to')).toBe('antwort@partei.test');
      const unsubscribe = m!.header('list-unsubscribe')!;
      const match =
        /^<(http:\/\/draht\.test\/u\/([\w-]+))>, <mailto:kreis-a1@partei\.test\?subject=unsubscribe-([\w-]+)>$/.exec(
          unsubscribe,
        );
      expect(match, unsubscribe).not.toBeNull();
      expect(match![3]).toBe(match![2]);
      expect(m!.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      expect(m!.header('subject')).toMatch(/^Einladung zum Sommerfest, Vera\d+$/);
      // The footer carries the same link, and the unit's imprint.
      const body = bodyText(m!.raw);
      expect(body).toContain(match![1]);
      expect(body).toContain('Hauptstraße 1');
      // The token is an unsubscribe link of this recipient row.
      const link = await t.db
        .selectFrom('linkTokens')
        .select(['purpose', 'subjectId', 'expiresAt'])
        .where('tokenHash', '=', hashToken(match![2]))
        .executeTakeFirstOrThrow();
      expect(link).toMatchObject({ purpose: 'unsubscribe', subjectId: row.id });
      expect(link.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    }
    const rows = await rowsOf(t.db, s.mailingId);
    expect(rows.every((r) => r.status === 'sent' && r.sentAt && r.attempts === 1)).toBe(true);
    const mailing = await t.db
      .selectFrom('mailings')
      .select(['status', 'finishedAt'])
      .where('id', '=', s.mailingId)
      .executeTakeFirstOrThrow();
    expect(mailing.status).toBe('sent');
    expect(mailing.finishedAt).not.toBeNull();
    const timeline = await t.db
      .selectFrom('timelineEvents')
      .select(['personId', 'data'])
      .where('kind', '=', 'mailing.received')
      .where(
        'personId',
        'in',
        s.rows.map((r) => r.personId),
      )
      .execute();
    expect(timeline).toHaveLength(12);
    expect(timeline[0].data).toMatchObject({ mailingId: s.mailingId });
    // Running again sends nothing: a row marked sent is never sent again.
    expect(await deliverMailing(ctxOf(t), s.mailingId)).toMatchObject({ outcome: 'stopped', sent: 0 });
    expect(received(s)).toHaveLength(12);
  });

  it('a 550 bounces the row and the address, and it is never tried again', async () => {
    const [bad] = addresses('gone', 1, 'bounce.test');
    const s = await seedMailing(t.db, [bad, ...addresses('ok', 3)]);
    sink.reject({ address: bad, code: 550 });
    const run = await deliverMailing(ctxOf(t), s.mailingId, { retryBaseSeconds: 0 });
    expect(run).toMatchObject({ outcome: 'finished', sent: 3, bounced: 1 });
    const rows = await rowsOf(t.db, s.mailingId);
    expect(rows.find((r) => r.email === bad)).toMatchObject({ status: 'bounced', attempts: 1 });
    expect(rows.find((r) => r.email === bad)!.error).toMatch(/550|unavailable/);
    const email = await t.db
      .selectFrom('personEmails')
      .select('status')
      .where('email', '=', bad)
      .executeTakeFirstOrThrow();
    expect(email.status).toBe('bounced');
    const hash = addressHash(await getSuppressionSalt(t.db), bad);
    const suppression = await t.db
      .selectFrom('mailSuppressions')
      .selectAll()
      .where('addressHash', '=', hash)
      .execute();
    expect(suppression).toMatchObject([{ reason: 'bounced', orgId: null, purpose: null }]);
    expect(sink.rejected.filter((r) => r.address === bad)).toHaveLength(1);
    await deliverMailing(ctxOf(t), s.mailingId, { retryBaseSeconds: 0 });
    expect(sink.rejected.filter((r) => r.address === bad)).toHaveLength(1);
    const bounceEvents = await t.db
      .selectFrom('timelineEvents')
      .select('kind')
      .where('personId', '=', s.rows[0].personId)
      .execute();
    expect(bounceEvents.map((e) => e.kind)).toContain('mail.bounced');
    sink.clearRules();
  });

  it('a 4xx is retried with backoff and then sent; after the last attempt the row fails', async () => {
    const [flaky, hopeless] = addresses('flaky', 2, 'greylist.test');
    const s = await seedMailing(t.db, [flaky, hopeless, ...addresses('ok', 2)]);
    sink.reject({ address: flaky, code: 451, times: 2 });
    sink.reject({ address: hopeless, code: 452 });
    // With a backoff the retry waits: the run ends and says when to look again.
    const first = await deliverMailing(ctxOf(t), s.mailingId, { retryBaseSeconds: 30 });
    expect(first.outcome).toBe('waiting');
    expect(first.nextRunAt!.getTime()).toBeGreaterThan(Date.now() + 20_000);
    let rows = await rowsOf(t.db, s.mailingId);
    expect(rows.find((r) => r.email === flaky)).toMatchObject({ status: 'queued', attempts: 1 });
    // Due again (the backoff has passed): without backoff the same run retries until done.
    await sql`update mailing_recipients set next_attempt_at = now() where mailing_id = ${s.mailingId}::uuid`.execute(
      t.db,
    );
    const second = await deliverMailing(ctxOf(t), s.mailingId, { retryBaseSeconds: 0, maxAttempts: 4 });
    expect(second.outcome).toBe('finished');
    rows = await rowsOf(t.db, s.mailingId);
    expect(rows.find((r) => r.email === flaky)).toMatchObject({ status: 'sent', attempts: 3 });
    expect(rows.find((r) => r.email === hopeless)).toMatchObject({ status: 'failed', attempts: 4 });
    expect([...copies(s).values()]).toEqual([1, 0, 1, 1]);
    sink.clearRules();
  });

  it('an unreachable SMTP server pauses the mailing with the reason; it resumes when the server is back, without doubles', async () => {
    const s = await seedMailing(t.db, addresses('down', 8));
    const port = sink.port;
    await sink.stop();
    const run = await deliverMailing(ctxOf(t), s.mailingId, { batchSize: 3, smtpRetrySeconds: 60 });
    expect(run.outcome).toBe('paused');
    expect(run.nextRunAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);
    const paused = await t.db
      .selectFrom('mailings')
      .select(['status', 'pausedReason'])
      .where('id', '=', s.mailingId)
      .executeTakeFirstOrThrow();
    expect(paused.status).toBe('paused');
    expect(paused.pausedReason).toMatch(new RegExp(`^${SMTP_UNAVAILABLE}: `));
    // Nothing was tried: every row waits as it was.
    const rows = await rowsOf(t.db, s.mailingId);
    expect(rows.every((r) => r.status === 'queued' && r.attempts === 0)).toBe(true);

    const messages = sink.messages;
    sink = await startSmtpSink({ port });
    sink.messages.push(...messages);
    // The retry job's run: the worker resumes its own pause.
    const resumed = await deliverMailing(ctxOf(t), s.mailingId, { batchSize: 3 });
    expect(resumed).toMatchObject({ outcome: 'finished', sent: 8 });
    expect([...copies(s).values()].every((n) => n === 1)).toBe(true);
  });

  it('a mailing paused by a person stays paused, and is not resumed by the worker', async () => {
    const s = await seedMailing(t.db, addresses('p', 2));
    await t.db.updateTable('mailings').set({ status: 'paused' }).where('id', '=', s.mailingId).execute();
    expect(await deliverMailing(ctxOf(t), s.mailingId)).toMatchObject({ outcome: 'stopped', sent: 0 });
    expect(received(s)).toHaveLength(0);
  });

  it('pause and resume mid-run, and a crash: no row marked sent goes again, only queued and in-flight rows are sent', async () => {
    const s = await seedMailing(t.db, addresses('mid', 30));
    let paused = false;
    const before = sink.messages.length;
    const watcher = setInterval(() => {
      if (!paused && sink.messages.length - before >= 7) {
        paused = true;
        void t.db.updateTable('mailings').set({ status: 'paused' }).where('id', '=', s.mailingId).execute();
      }
    }, 1);
    const run = await deliverMailing(ctxOf(t), s.mailingId, { batchSize: 4 });
    clearInterval(watcher);
    expect(run.outcome).toBe('stopped');
    let rows = await rowsOf(t.db, s.mailingId);
    const sentBefore = rows.filter((r) => r.status === 'sent').length;
    expect(sentBefore).toBeGreaterThanOrEqual(7);
    expect(sentBefore).toBeLessThan(30);
    expect(rows.some((r) => r.status === 'sending')).toBe(false);

    // A crash: two queued rows were claimed by a worker that died before it sent anything.
    const crashed = rows.filter((r) => r.status === 'queued').slice(0, 2);
    await t.db
      .updateTable('mailingRecipients')
      .set({ status: 'sending', claimedAt: new Date(Date.now() - 10 * 60_000) })
      .where(
        'id',
        'in',
        crashed.map((r) => r.id),
      )
      .execute();
    await t.db.updateTable('mailings').set({ status: 'sending' }).where('id', '=', s.mailingId).execute();
    // A young in-flight row is left alone by the sweeper…
    const swept = await sweepMailings(ctxOf(t));
    expect(swept.requeued).toEqual([s.mailingId]);
    expect(swept.nudge).toContain(s.mailingId);
    rows = await rowsOf(t.db, s.mailingId);
    expect(rows.filter((r) => crashed.some((c) => c.id === r.id)).map((r) => r.status)).toEqual([
      'queued',
      'queued',
    ]);
    const done = await deliverMailing(ctxOf(t), s.mailingId, { batchSize: 4 });
    expect(done.outcome).toBe('finished');
    expect(done.sent).toBe(30 - sentBefore);
    expect([...copies(s).values()].every((n) => n === 1)).toBe(true);
  });

  it('the sweeper leaves rows alone that are being sent right now', async () => {
    const s = await seedMailing(t.db, addresses('young', 1));
    await t.db
      .updateTable('mailingRecipients')
      .set({ status: 'sending', claimedAt: new Date() })
      .where('mailingId', '=', s.mailingId)
      .execute();
    const swept = await sweepMailings(ctxOf(t));
    expect(swept.requeued).not.toContain(s.mailingId);
    expect((await rowsOf(t.db, s.mailingId))[0].status).toBe('sending');
    // Its worker is alive: another run finds nothing to claim and leaves the finish to it.
    expect((await deliverMailing(ctxOf(t), s.mailingId)).outcome).toBe('waiting');
  });

  it('consent request mails carry a personal single-use consent link', async () => {
    const s = await seedMailing(t.db, addresses('cr', 2), {
      purpose: 'consent_request',
      html: '<p>Magst du unseren Newsletter?</p><p><a href="{{consentUrl}}" data-button="">Ja, gerne</a></p>',
    });
    await deliverMailing(ctxOf(t), s.mailingId);
    for (const m of received(s)) {
      const token = /http:\/\/draht\.test\/c\/([\w-]+)/.exec(bodyText(m.raw))?.[1];
      expect(token).toBeDefined();
      const link = await t.db
        .selectFrom('linkTokens')
        .select(['purpose', 'subjectId', 'maxUses'])
        .where('tokenHash', '=', hashToken(token!))
        .executeTakeFirstOrThrow();
      const row = s.rows.find((r) => r.messageId === m.messageId)!;
      expect(link).toEqual({ purpose: 'consent_request', subjectId: row.id, maxUses: 1 });
    }
  });

  it('goes out through the job queue: the delivery job sends the mailing', async () => {
    const s = await seedMailing(t.db, addresses('job', 5));
    const jobs = createJobLayer([mailDeliveryJobs]);
    const mail = createMailService(t.config, jobs);
    const silent = { error: () => {}, warn: () => {}, info: () => {} } as never;
    jobs.bind((db) => ({ db: db ?? t.db, config: t.config, mail, jobs, log: silent, ip: null }));
    await jobs.start(database, { workers: true, log: silent, pollingIntervalSeconds: 0.5 });
    try {
      await jobs.send('mailing-deliver', { mailingId: s.mailingId }, { key: s.mailingId });
      await sink.waitForCount(sink.messages.length + 5 - received(s).length, 30_000);
      for (let i = 0; i < 100; i++) {
        const m = await t.db
          .selectFrom('mailings')
          .select('status')
          .where('id', '=', s.mailingId)
          .executeTakeFirst();
        if (m?.status === 'sent') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect([...copies(s).values()]).toEqual([1, 1, 1, 1, 1]);
    } finally {
      await jobs.stop();
      mail.close();
    }
  });
});

/** The pool's connections are open before the clock matters. */
const warmUp = (app: TestApp) =>
  Promise.all(
    Array.from({ length: app.mail.poolSize }, () =>
      app.mail.transport!.sendMail({
        from: 'warm@draht.test',
        to: 'warm@fast.test',
        subject: 'warm',
        text: '.',
      }),
    ),
  );

describe('rates', () => {
  it('honours a per-domain rate (2/s) while other domains go at once', async () => {
    const app = await createTestApp({
      database,
      env: { SMTP_URL: sink.url, MAIL_DOMAIN_RATES: 'slow.test=2' },
    });
    try {
      await warmUp(app);
      const slow = addresses('s', 6, 'slow.test');
      const fast = addresses('f', 6, 'fast.test');
      const s = await seedMailing(app.db, [...slow, ...fast]);
      const run = await deliverMailing(ctxOf(app), s.mailingId, { batchSize: 10 });
      expect(run).toMatchObject({ outcome: 'finished', sent: 12 });
      const got = received(s).sort((a, b) => a.receivedAt - b.receivedAt);
      const slowAt = got.filter((m) => m.to[0].endsWith('@slow.test')).map((m) => m.receivedAt);
      const fastAt = got.filter((m) => m.to[0].endsWith('@fast.test')).map((m) => m.receivedAt);
      expect(slowAt).toHaveLength(6);
      // Two per second: the sixth comes at least ~2 s after the first.
      expect(slowAt[5] - slowAt[0]).toBeGreaterThanOrEqual(1700);
      // No more than two in any second (claims are counted a second apart; arrival adds a few ms of jitter).
      for (let i = 2; i < slowAt.length; i++) expect(slowAt[i] - slowAt[i - 2]).toBeGreaterThanOrEqual(800);
      // The other domain did not wait for it.
      expect(Math.max(...fastAt)).toBeLessThan(slowAt[2]);
    } finally {
      await app.close();
    }
  });
});

describe('the global rate', () => {
  it('MAIL_RATE_PER_SECOND=3: seven mails take at least two seconds', async () => {
    const app = await createTestApp({ database, env: { SMTP_URL: sink.url, MAIL_RATE_PER_SECOND: '3' } });
    try {
      await warmUp(app);
      const s = await seedMailing(app.db, addresses('g', 7));
      expect(await deliverMailing(ctxOf(app), s.mailingId, { batchSize: 10 })).toMatchObject({
        outcome: 'finished',
        sent: 7,
      });
      const at = received(s)
        .map((m) => m.receivedAt)
        .sort((a, b) => a - b);
      expect(at).toHaveLength(7);
      expect(at[6] - at[0]).toBeGreaterThanOrEqual(1800);
      for (let i = 3; i < at.length; i++) expect(at[i] - at[i - 3]).toBeGreaterThanOrEqual(800);
    } finally {
      await app.close();
    }
  });
});

describe('without SMTP_URL: the built-in outbox', () => {
  it('stores each mail in the outbox with its unsubscribe link and marks the rows sent', async () => {
    const app = await createTestApp({ database });
    try {
      const s = await seedMailing(app.db, addresses('o', 3));
      expect(await deliverMailing(ctxOf(app), s.mailingId)).toMatchObject({ outcome: 'finished', sent: 3 });
      const outbox = await app.db
        .selectFrom('mailMessages')
        .select(['toAddress', 'status', 'subject', 'textBody', 'htmlBody', 'template'])
        .where(
          'toAddress',
          'in',
          s.rows.map((r) => r.email),
        )
        .execute();
      expect(outbox).toHaveLength(3);
      for (const m of outbox) {
        expect(m).toMatchObject({ status: 'outbox', template: 'mailing' });
        expect(m.textBody).toMatch(/http:\/\/draht\.test\/u\/[\w-]+/);
        expect(m.htmlBody).toMatch(/href="http:\/\/draht\.test\/u\/[\w-]+"/);
      }
      expect((await rowsOf(app.db, s.mailingId)).every((r) => r.status === 'sent')).toBe(true);
    } finally {
      await app.close();
    }
  });
});
