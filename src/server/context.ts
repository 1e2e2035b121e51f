import type { FastifyBaseLogger } from 'fastify';
import type { Role } from '../shared/permissions.ts';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import type { Jobs } from './jobs/jobs.ts';
import type { MailService } from './mail/mail.service.ts';

export interface Actor {
  userId: string;
  email: string;
  name: string;
  locale: 'de' | 'en';
  isSuperadmin: boolean;
  memberships: { orgId: string; role: Role }[];
  instructionConfirmed: boolean;
  via: 'session' | 'token';
}

/**
 * What every service call gets: the database, the config, the mailer, the job queue, and who is
 * asking (if anyone).
 */
export interface BaseCtx {
  db: Db;
  config: Config;
  mail: MailService;
  /** Background work: `ctx.jobs.send(name, payload, { key })` (src/server/jobs/). */
  jobs: Jobs;
  log: FastifyBaseLogger;
  ip: string | null;
}

export interface Ctx extends BaseCtx {
  actor: Actor;
}

/** The same context inside a transaction: services pass it to repos and nested services. */
export function withDb<T extends BaseCtx>(ctx: T, db: Db): T {
  return { ...ctx, db };
}
