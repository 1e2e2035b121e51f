import nodemailer, { type Transporter } from 'nodemailer';
import { requireSuperadmin } from '../auth/scope.ts';
import type { Config } from '../config.ts';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/database.ts';
import type { Locale } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Jobs } from '../jobs/jobs.ts';
import { CURSORS, decodeCursor, pageOf } from '../pagination.ts';
import { MAIL_DELIVERY_JOB } from './mail.jobs.ts';
import * as repo from './mail.repo.ts';
import { renderMail, type TemplateName, type TemplateVars } from './mail.templates.ts';

const MAX_ATTEMPTS = 5;

/** The host part of Message-IDs Draht makes: the public URL's host. */
export function messageIdHost(publicUrl: string): string {
  try {
    return new URL(publicUrl).hostname || 'draht.invalid';
  } catch {
    return 'draht.invalid';
  }
}

/**
 * The Message-ID of a transactional mail (`mail_messages` row): fixed by its id, so a proof that
 * names the mail (a consent's confirmation) names the header the recipient's mail program shows.
 */
export const transactionalMessageId = (publicUrl: string, mailId: string) =>
  `<${mailId}@${messageIdHost(publicUrl)}>`;

export interface OutgoingMail<T extends TemplateName = TemplateName> {
  to: string;
  locale: Locale;
  template: T;
  vars: TemplateVars<T>;
}

export interface MailService {
  /** Stores the message (in the caller's transaction) and asks the job queue to deliver it. */
  send<T extends TemplateName>(db: Db, mail: OutgoingMail<T>): Promise<{ id: string }>;
  /** Delivers queued messages over SMTP; returns how many were sent. Called by the mail job. */
  deliverQueued(db: Db): Promise<number>;
  /**
   * The one pooled SMTP transport of the process (null without SMTP_URL: the outbox), shared by the
   * transactional mail above and the mailing delivery (mail-delivery.service.ts).
   */
  readonly transport: Transporter | null;
  /** Connections of the pool: how many messages the mailing delivery keeps in flight. */
  readonly poolSize: number;
  close(): void;
}

/** Connections per process to the SMTP server unless SMTP_URL says `maxConnections=`. */
export const SMTP_POOL_SIZE = 5;

/**
 * The pooled transport for SMTP_URL: `pool=true` (unless the URL sets it), SMTP_POOL_SIZE connections
 * (the URL's `maxConnections` wins), 1,000 messages per connection before it is renewed, and
 * timeouts short enough that an unreachable server pauses a mailing within seconds.
 */
export function createSmtpTransport(smtpUrl: string): { transport: Transporter; poolSize: number } {
  const url = new URL(smtpUrl);
  const defaults: Record<string, string> = {
    pool: 'true',
    maxConnections: String(SMTP_POOL_SIZE),
    maxMessages: '1000',
    connectionTimeout: '15000',
    greetingTimeout: '15000',
    socketTimeout: '60000',
  };
  for (const [key, value] of Object.entries(defaults)) {
    if (!url.searchParams.has(key)) url.searchParams.set(key, value);
  }
  const poolSize = Math.max(1, Number(url.searchParams.get('maxConnections')) || SMTP_POOL_SIZE);
  return { transport: nodemailer.createTransport(url.toString()), poolSize };
}

/**
 * With SMTP_URL, messages are queued and a job sends them through a pooled nodemailer transport.
 * Without it, they land in the built-in outbox (superadmins read them in the UI), so invitations
 * work on an offline laptop.
 */
export function createMailService(config: Config, jobs?: Pick<Jobs, 'send'>): MailService {
  const smtp = config.smtpUrl ? createSmtpTransport(config.smtpUrl) : null;
  const transport = smtp?.transport ?? null;
  return {
    transport,
    poolSize: smtp?.poolSize ?? 1,
    async send(db, mail) {
      const rendered = renderMail(mail.template, mail.locale, mail.vars);
      const row = await repo.insertMessage(db, {
        toAddress: mail.to,
        subject: rendered.subject,
        textBody: rendered.text,
        htmlBody: rendered.html,
        template: mail.template,
        status: transport ? 'queued' : 'outbox',
      });
      // In the sender's transaction: the delivery job exists once the message does.
      if (transport) await jobs?.send(MAIL_DELIVERY_JOB, {}, { db });
      return row;
    },
    async deliverQueued(db) {
      if (!transport) return 0;
      let sent = 0;
      for (;;) {
        const delivered = await db.transaction().execute(async (trx) => {
          const batch = await repo.claimQueued(trx, 20, MAX_ATTEMPTS);
          for (const m of batch) {
            try {
              await transport.sendMail({
                messageId: transactionalMessageId(config.publicUrl, m.id),
                from: config.mailFrom,
                to: m.toAddress,
                subject: m.subject,
                text: m.textBody,
                html: m.htmlBody ?? undefined,
              });
              await repo.markSent(trx, m.id);
              sent++;
            } catch (err) {
              await repo.markFailedAttempt(trx, m.id, (err as Error).message, m.attempts + 1 >= MAX_ATTEMPTS);
            }
          }
          return batch.length;
        });
        if (delivered < 20) return sent;
      }
    },
    close() {
      transport?.close();
    },
  };
}

export async function listOutbox(ctx: Ctx, limit: number, cursor?: string) {
  requireSuperadmin(ctx);
  const after = decodeCursor(cursor, CURSORS.atId);
  const rows = await repo.listMessages(
    ctx.db,
    limit,
    after ? { at: String(after[0]), id: String(after[1]) } : undefined,
  );
  const { items, nextCursor } = pageOf(rows, limit, (r) => [r.atKey, r.id]);
  return {
    items: items.map((m) => ({
      id: m.id,
      createdAt: m.createdAt.toISOString(),
      to: m.toAddress,
      subject: m.subject,
      template: m.template,
      status: m.status,
      sentAt: m.sentAt?.toISOString() ?? null,
      error: m.error,
    })),
    nextCursor,
  };
}

export async function getOutboxMessage(ctx: Ctx, id: string) {
  requireSuperadmin(ctx);
  const m = await repo.findMessage(ctx.db, id);
  if (!m) throw new AppError('not_found', 'Message not found.');
  return {
    id: m.id,
    createdAt: m.createdAt.toISOString(),
    to: m.toAddress,
    subject: m.subject,
    template: m.template,
    status: m.status,
    sentAt: m.sentAt?.toISOString() ?? null,
    error: m.error,
    text: m.textBody,
    html: m.htmlBody,
  };
}
