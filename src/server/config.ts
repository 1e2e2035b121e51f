import path from 'node:path';
import { z } from 'zod';

const booleanFlag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  /** Connections per instance to PostgreSQL (PGlite has one). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  DATA_DIR: z.string().min(1).default('./data'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Draht <draht@localhost>'),
  /** Mailings: messages per second over all mailings and worker instances (0 = no limit). */
  MAIL_RATE_PER_SECOND: z.coerce.number().int().min(0).max(100_000).default(0),
  /** Mailings: per receiving domain, messages per second: `gmx.de=10,web.de=10,t-online.de=5`. */
  MAIL_DOMAIN_RATES: z
    .string()
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^[A-Za-z0-9.-]+\.[A-Za-z]{2,}=[1-9]\d{0,5}$/,
            'must be a list like gmx.de=10,web.de=10 (domain=whole messages per second)',
          ),
      ),
    )
    .transform((items) =>
      Object.fromEntries(
        items.map((item) => {
          const [domain, rate] = item.split('=');
          return [domain.toLowerCase(), Number(rate)];
        }),
      ),
    )
    .default({}),
  DRAHT_DEMO: booleanFlag.optional(),
  /** `0`: this web instance runs no job workers (run `npm run worker` elsewhere). */
  DRAHT_WORKERS: booleanFlag.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: booleanFlag.default(false),
  /** Largest import file in bytes (default 250 MiB). */
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(250 * 1024 * 1024),
  /**
   * Who may embed embeddable public pages (forms, event widgets) in a frame: `*` (default) or a
   * list of origins, separated by spaces or commas (`https://gruene-dresden.de https://*.gruene.de`).
   */
  EMBED_ORIGINS: z
    .string()
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .pipe(
      z
        .array(
          z
            .string()
            .regex(
              /^(\*|https?:\/\/(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?)$/,
              'must be * or origins like https://example.org',
            ),
        )
        .min(1),
    )
    .default(['*']),
});

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Mailings: global messages per second, 0 = unlimited (MAIL_RATE_PER_SECOND). */
  mailRatePerSecond: number;
  /** Mailings: messages per second per receiving domain, lower-case domain → rate (MAIL_DOMAIN_RATES). */
  mailDomainRates: Record<string, number>;
  demo: boolean;
  /** Run job workers and schedules in the web process (DRAHT_WORKERS, default on). */
  workers: boolean;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  trustProxy: boolean;
  /** Largest accepted import upload in bytes. */
  importMaxBytes: number;
  /** Secure cookies when the public URL is https. */
  secureCookies: boolean;
  /** CSP frame-ancestors of embeddable routes (`config.embeddable`): `['*']` or origins. */
  embedOrigins: string[];
}

export class ConfigError extends Error {}

/** Reads the environment once; a bad value throws one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(
      `Invalid configuration: ${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`,
    );
  }
  const e = parsed.data;
  const publicUrl = (
    e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? 'localhost' : e.HOST}:${e.PORT}`
  ).replace(/\/$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    dataDir: path.resolve(e.DATA_DIR),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    mailRatePerSecond: e.MAIL_RATE_PER_SECOND,
    mailDomainRates: e.MAIL_DOMAIN_RATES,
    demo: e.DRAHT_DEMO ?? !e.DATABASE_URL,
    workers: e.DRAHT_WORKERS,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    importMaxBytes: e.IMPORT_MAX_BYTES,
    secureCookies: publicUrl.startsWith('https://'),
    embedOrigins: e.EMBED_ORIGINS,
  };
}
