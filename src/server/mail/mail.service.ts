import nodemailer from 'nodemailer';
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
  close(): void;
}

/**
 * With SMTP_URL, messages are queued and a job sends them through a pooled nodemailer transport.
 * Without it, they land in the built-in outbox (superadmins read them in the UI), so invitations
 * work on an offline laptop.
 */
export function createMailService(config: Config, jobs?: Pick<Jobs, 'send'>): MailService {
  const transport = config.smtpUrl
    ? nodemailer.createTransport(`${config.smtpUrl}${config.smtpUrl.includes('?') ? '&' : '?'}pool=true`)
    : null;
  return {
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
