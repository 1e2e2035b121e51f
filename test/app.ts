import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/server/app.ts';
import { type Config, loadConfig } from '../src/server/config.ts';
import type { DatabaseHandle } from '../src/server/db/database.ts';
import { createMailService, type MailService } from '../src/server/mail/mail.service.ts';
import { createTestDatabase } from './db.ts';

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  db: DatabaseHandle['db'];
  config: Config;
  mail: MailService;
  close(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ PUBLIC_URL: 'http://draht.test', LOG_LEVEL: 'silent', DRAHT_DEMO: '0', ...overrides });
}

/** The real app on a fresh database; requests go through app.inject. */
export async function createTestApp(opts: { env?: Record<string, string> } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = testConfig(opts.env);
  const mail = createMailService(config);
  const app = await buildApp({ database, config, mail, logger: false });
  await app.ready();
  return {
    app,
    database,
    db: database.db,
    config,
    mail,
    async close() {
      await app.close();
      mail.close();
      await database.close();
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
