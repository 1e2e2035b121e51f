import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../src/server/app.ts';
import { type Config, loadConfig } from '../src/server/config.ts';
import type { DatabaseHandle } from '../src/server/db/database.ts';
import { createAppJobs } from '../src/server/job-modules.ts';
import type { JobLayer } from '../src/server/jobs/queue.ts';
import { createMailService, type MailService } from '../src/server/mail/mail.service.ts';
import { createTestDatabase } from './db.ts';

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  db: DatabaseHandle['db'];
  config: Config;
  mail: MailService;
  /** Inline (no queue) unless the test passed a started layer: inline jobs run inside `send`. */
  jobs: JobLayer;
  close(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ PUBLIC_URL: 'http://draht.test', LOG_LEVEL: 'silent', DRAHT_DEMO: '0', ...overrides });
}

/**
 * The real app on a fresh database; requests go through app.inject. It logs at `info` into the
 * run's log folder, which the global teardown searches for leaked tokens (test/global-setup.ts).
 */
export async function createTestApp(
  opts: { env?: Record<string, string>; database?: DatabaseHandle; jobs?: JobLayer } = {},
): Promise<TestApp> {
  const database = opts.database ?? (await createTestDatabase());
  const config = testConfig({ LOG_LEVEL: 'info', ...opts.env });
  const jobs = opts.jobs ?? createAppJobs();
  const mail = createMailService(config, jobs);
  const logStream = fs.createWriteStream(
    path.join(inject('logDir'), `${process.pid}-${randomBytes(4).toString('hex')}.log`),
  );
  const app = await buildApp({ database, config, mail, jobs, logStream });
  await app.ready();
  return {
    app,
    database,
    db: database.db,
    config,
    mail,
    jobs,
    async close() {
      await app.close();
      mail.close();
      logStream.end();
      if (!opts.database) await database.close();
    },
  };
}

/** A signed-in client: every request carries the session cookie (or bearer token). */
export interface Client {
  userId: string;
  email: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

export function clientFor(
  app: FastifyInstance,
  user: { userId: string; email: string },
  auth: { cookie: string } | { bearer: string },
): Client {
  const headers =
    'cookie' in auth
      ? { cookie: `draht_session=${auth.cookie}` }
      : { authorization: `Bearer ${auth.bearer}` };
  const request = (opts: InjectOptions) =>
    app.inject({ ...opts, headers: { ...headers, ...(opts.headers ?? {}) } });
  return {
    ...user,
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, body) => request({ method: 'POST', url, payload: body as object }),
    patch: (url, body) => request({ method: 'PATCH', url, payload: body as object }),
    put: (url, body) => request({ method: 'PUT', url, payload: body as object }),
    delete: (url) => request({ method: 'DELETE', url }),
  };
}

/** Reads the session cookie a login or invitation acceptance set. */
export function sessionCookieOf(res: LightMyRequestResponse): string | undefined {
  return res.cookies.find((c) => c.name === 'draht_session')?.value;
}

/**
 * A second app on an existing test database whose log lines stay in memory (`log()` joins them):
 * for tests that read what the app logged. Close it before reading.
 */
export async function createLoggingApp(database: DatabaseHandle, env: Record<string, string> = {}) {
  const lines: string[] = [];
  const config = testConfig({ LOG_LEVEL: 'info', ...env });
  const mail = createMailService(config);
  const app = await buildApp({ database, config, mail, logStream: { write: (l) => lines.push(l) } });
  await app.ready();
  return {
    app,
    log: () => lines.join(''),
    async close() {
      await app.close();
      mail.close();
    },
  };
}
