import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../src/server/app.ts';
import { PUBLIC_DEFAULTS, PUBLIC_PREFIX, publicPlugin } from '../src/server/http/public.plugin.ts';
import { createMailService } from '../src/server/mail/mail.service.ts';
import { Ok } from '../src/shared/common.ts';
import { type Client, createLoggingApp, createTestApp, type TestApp, testConfig } from './app.ts';
import { loginAs, makeOrgTree, type OrgTree } from './factories.ts';

let t: TestApp;
let orgs: OrgTree;
let admin: Client;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  admin = await loginAs(t, 'admin', orgs.kreisA1);
});
afterAll(() => t.close());

/** Invites an address through the API and reads the token from the mail it sent. */
async function invite(email: string) {
  const res = await admin.post(`/api/orgs/${orgs.kreisA1}/invitations`, { email, role: 'caller' });
  expect(res.statusCode).toBe(201);
  const mail = await t.db
    .selectFrom('mailMessages')
    .select('textBody')
    .where('toAddress', '=', email)
    .orderBy('createdAt', 'desc')
    .executeTakeFirstOrThrow();
  return { id: res.json().id as string, token: /\/invitation\/([\w-]+)/.exec(mail.textBody)![1] };
}

let address = 0;
/** A client address of its own per test, so rate-limit counts of one test do not touch another. */
const nextAddress = () => `10.1.0.${++address}`;

/** Test endpoints registered through the real plugin into the real app (forms come later). */
function testRoutes(calls: { count: number }) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.post('/test-signups', {
      schema: {
        body: z.strictObject({ name: z.string().max(100_000), website: z.string().optional() }),
        response: { 202: Ok },
      },
      config: { honeypot: 'website' },
      handler: async (_req, reply) => {
        calls.count++;
        return reply.status(202).send({ ok: true as const });
      },
    });
    r.post('/test-tiny', {
      schema: { body: z.strictObject({ note: z.string() }), response: { 200: Ok } },
      bodyLimit: 100,
      handler: async () => ({ ok: true as const }),
    });
    r.get('/test-widget', {
      config: { embeddable: true },
      handler: async () => ({ ok: true }),
    });
  };
}

async function appWithTestRoutes(env: Record<string, string> = {}) {
  const config = testConfig(env);
  const mail = createMailService(config);
  const calls = { count: 0 };
  const app = await buildApp({ database: t.database, config, mail, logger: false });
  await app.register(publicPlugin, { prefix: PUBLIC_PREFIX, routes: [testRoutes(calls)] });
  await app.ready();
  return {
    app,
    calls,
    async close() {
      await app.close();
      mail.close();
    },
  };
}

describe('GET /api/public/links/:token', () => {
  it('tells what a link is for and whether it works, without a session and without personal data', async () => {
    const { id, token } = await invite('link-info@example.org');
    const url = `/api/public/links/${token}`;
    const res = await t.app.inject({ method: 'GET', url, remoteAddress: nextAddress() });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toEqual({ purpose: 'invitation', state: 'valid', expiresAt: expect.any(String) });
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);
    expect(res.body).not.toContain('link-info');
    expect(res.body).not.toContain(id);
    expect(res.body).not.toContain(orgs.kreisA1);
    // A stale or forged session cookie changes nothing: the route never looks at it.
    const withCookie = await t.app.inject({
      method: 'GET',
      url,
      cookies: { draht_session: 'not-a-session' },
      remoteAddress: nextAddress(),
    });
    expect(withCookie.statusCode).toBe(200);
    expect(withCookie.json()).toEqual(body);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('says revoked, used up and expired; an unknown token is 404', async () => {
    const ip = nextAddress();
    const ask = async (token: string) =>
      t.app.inject({ method: 'GET', url: `/api/public/links/${token}`, remoteAddress: ip });

    const revoked = await invite('revoked-link@example.org');
    expect((await admin.delete(`/api/invitations/${revoked.id}`)).statusCode).toBe(204);
    expect((await ask(revoked.token)).json().state).toBe('revoked');

    const used = await invite('used-link@example.org');
    const accepted = await t.app.inject({
      method: 'POST',
      url: `/api/invitations/${used.token}/accept`,
      payload: { name: 'Used', password: 'lang genug 123' },
    });
    expect(accepted.statusCode).toBe(200);
    expect((await ask(used.token)).json()).toMatchObject({ purpose: 'invitation', state: 'used_up' });

    const expired = await invite('expired-link@example.org');
    await t.db
      .updateTable('linkTokens')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('subjectId', '=', expired.id)
      .execute();
    expect((await ask(expired.token)).json().state).toBe('expired');

    const unknown = await ask('u'.repeat(43));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
  });
});

describe('the public plugin', () => {
  it('makes every route below /api/public public, rate limited and body-limited', () => {
    const routes = t.app.routeTable.filter((r) => r.url.startsWith(`${PUBLIC_PREFIX}/`));
    expect(routes.map((r) => r.url)).toContain('/api/public/links/:token');
    for (const r of routes) {
      const config = r.config as { public?: boolean; permission?: string; rateLimit?: unknown };
      expect({ url: r.url, public: config.public, permission: config.permission }).toEqual({
        url: r.url,
        public: true,
        permission: undefined,
      });
      expect(config.rateLimit).toBeTruthy();
      expect((r as { bodyLimit?: number }).bodyLimit).toBeLessThanOrEqual(PUBLIC_DEFAULTS.bodyLimit);
    }
  });

  it('limits requests per route and client address, counted in the database', async () => {
    const ip = nextAddress();
    const url = `/api/public/links/${'r'.repeat(43)}`;
    const max = PUBLIC_DEFAULTS.rateLimit.max;
    for (let i = 0; i < max; i++) {
      const res = await t.app.inject({ method: 'GET', url, remoteAddress: ip });
      expect(res.statusCode).toBe(404);
    }
    const refused = await t.app.inject({ method: 'GET', url, remoteAddress: ip });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another address keeps its own count.
    expect((await t.app.inject({ method: 'GET', url, remoteAddress: nextAddress() })).statusCode).toBe(404);
    // The count lives in PostgreSQL: a second instance on the same database refuses too.
    const second = await createTestApp({ database: t.database });
    try {
      expect((await second.app.inject({ method: 'GET', url, remoteAddress: ip })).statusCode).toBe(429);
    } finally {
      await second.close();
    }
    const rows = await t.db
      .selectFrom('rateLimitCounters')
      .select(['key', 'count'])
      .where('key', 'like', `%/api/public/links/:token|${ip}`)
      .execute();
    expect(rows).toEqual([{ key: expect.stringContaining('GET /api/public/links/:token|'), count: max + 2 }]);
  });

  it('a filled honeypot field is answered as accepted and nothing happens; an empty one passes', async () => {
    const s = await appWithTestRoutes();
    try {
      const post = (payload: object) =>
        s.app.inject({
          method: 'POST',
          url: '/api/public/test-signups',
          payload,
          remoteAddress: nextAddress(),
        });
      const bot = await post({ name: 'Bot', website: 'https://spam.example' });
      expect(bot.statusCode).toBe(202);
      expect(bot.json()).toEqual({ ok: true });
      expect(s.calls.count).toBe(0);
      // Bots that fill the field with anything else are dropped as well, before validation.
      expect((await post({ name: 'Bot', website: 42 })).statusCode).toBe(202);
      expect(s.calls.count).toBe(0);
      const human = await post({ name: 'Mensch', website: '' });
      expect(human.statusCode).toBe(202);
      expect(human.json()).toEqual({ ok: true });
      expect(s.calls.count).toBe(1);
      expect((await post({ name: 'Mensch' })).statusCode).toBe(202);
      expect(s.calls.count).toBe(2);
    } finally {
      await s.close();
    }
  });

  it('limits body sizes: 16 KiB by default, the route’s own limit where it sets one', async () => {
    const s = await appWithTestRoutes();
    try {
      const big = await s.app.inject({
        method: 'POST',
        url: '/api/public/test-signups',
        payload: { name: 'x'.repeat(PUBLIC_DEFAULTS.bodyLimit + 10) },
        remoteAddress: nextAddress(),
      });
      expect(big.statusCode).toBe(413);
      expect(big.json().error.code).toBe('payload_too_large');
      expect(s.calls.count).toBe(0);
      const fits = await s.app.inject({
        method: 'POST',
        url: '/api/public/test-signups',
        payload: { name: 'x'.repeat(PUBLIC_DEFAULTS.bodyLimit - 100) },
        remoteAddress: nextAddress(),
      });
      expect(fits.statusCode).toBe(202);
      const tiny = (note: string) =>
        s.app.inject({
          method: 'POST',
          url: '/api/public/test-tiny',
          payload: { note },
          remoteAddress: nextAddress(),
        });
      expect((await tiny('kurz')).statusCode).toBe(200);
      expect((await tiny('x'.repeat(150))).statusCode).toBe(413);
    } finally {
      await s.close();
    }
  });

  it('embeddable routes may be framed by other sites; everything else stays frame-ancestors self', async () => {
    const frameAncestors = (csp: unknown) => /frame-ancestors ([^;]*)/.exec(String(csp))?.[1];
    for (const [env, expected] of [
      [{}, '*'],
      [
        { EMBED_ORIGINS: 'https://gruene-dresden.example, https://*.partei.example' },
        "'self' https://gruene-dresden.example https://*.partei.example",
      ],
    ] as const) {
      const s = await appWithTestRoutes(env);
      try {
        const widget = await s.app.inject({
          method: 'GET',
          url: '/api/public/test-widget',
          remoteAddress: nextAddress(),
        });
        expect(widget.statusCode).toBe(200);
        expect(frameAncestors(widget.headers['content-security-policy'])).toBe(expected);
        expect(widget.headers['x-frame-options']).toBeUndefined();
        // The rest of the policy is the app's.
        expect(widget.headers['content-security-policy']).toContain("script-src 'self'");
        for (const url of [`/api/public/links/${'e'.repeat(43)}`, '/api/health', '/api/auth/me']) {
          const res = await s.app.inject({ method: 'GET', url, remoteAddress: nextAddress() });
          expect({ url, fa: frameAncestors(res.headers['content-security-policy']) }).toEqual({
            url,
            fa: "'self'",
          });
          expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
        }
      } finally {
        await s.close();
      }
    }
  });

  it('refuses at start-up what would undo it: a permission, no rate limit, an undeclared honeypot field', async () => {
    const attempts: [string, (app: FastifyInstance) => Promise<void>][] = [
      [
        'permission',
        async (app) => {
          app.get('/with-permission', { config: { permission: 'people:read' } }, async () => ({}));
        },
      ],
      [
        'always rate limited',
        async (app) => {
          app.get('/unlimited', { config: { rateLimit: false } }, async () => ({}));
        },
      ],
      [
        'honeypot field',
        async (app) => {
          app.withTypeProvider<ZodTypeProvider>().post('/no-field', {
            schema: { body: z.strictObject({ name: z.string() }), response: { 202: Ok } },
            config: { honeypot: 'website' },
            handler: async () => ({ ok: true as const }),
          });
        },
      ],
    ];
    for (const [message, routes] of attempts) {
      const config = testConfig();
      const mail = createMailService(config);
      const app = await buildApp({ database: t.database, config, mail, logger: false });
      await expect(
        (async () => {
          await app.register(publicPlugin, { prefix: PUBLIC_PREFIX, routes: [routes] });
          await app.ready();
        })(),
      ).rejects.toThrow(message);
      await app.close().catch(() => {});
      mail.close();
    }
  });
});

describe('secrets of public links in logs', () => {
  it('the token of /api/public/links/:token never reaches the log', async () => {
    const logging = await createLoggingApp(t.database);
    const { app } = logging;
    const { token } = await invite('log-secret@example.org');
    for (const secret of [token, 'Geheim-Kurz-42']) {
      await app.inject({ method: 'GET', url: `/api/public/links/${secret}`, remoteAddress: nextAddress() });
    }
    await logging.close();
    const log = logging.log();
    expect(log).toContain('/api/public/links/…');
    expect(log).not.toContain(token);
    expect(log).not.toContain('Geheim-Kurz-42');
  });
});
