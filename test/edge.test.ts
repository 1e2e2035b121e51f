import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.ts';
import { createMailService } from '../src/server/mail/mail.service.ts';
import { type Client, createLoggingApp, createTestApp, type TestApp, testConfig } from './app.ts';
import { loginAs, makeOrgTree, type OrgTree } from './factories.ts';

let t: TestApp;
let orgs: OrgTree;
let organizerA: Client;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  organizerA = await loginAs(t, 'organizer', orgs.kreisA1);
});
afterAll(() => t.close());

describe('not found is one answer', () => {
  it('a record of another unit and an unknown id answer byte-identically, for every kind of record', async () => {
    const organizerB = await loginAs(t, 'admin', orgs.kreisA2);
    const foreignPerson = (
      await organizerB.post('/api/people', { orgId: orgs.kreisA2, lastName: 'Fremd' })
    ).json().id as string;
    const foreignList = (
      await organizerB.post('/api/queries', {
        orgId: orgs.kreisA2,
        name: 'Fremd',
        filter: { kind: 'status', statuses: ['member'] },
      })
    ).json().id as string;
    const unknown = '00000000-0000-4000-8000-00000000abcd';
    const pairs: [string, string][] = [
      [`/api/people/${foreignPerson}`, `/api/people/${unknown}`],
      [`/api/people/${foreignPerson}/timeline`, `/api/people/${unknown}/timeline`],
      [`/api/orgs/${orgs.kreisA2}`, `/api/orgs/${unknown}`],
      [`/api/people?orgId=${orgs.kreisA2}`, `/api/people?orgId=${unknown}`],
      [`/api/queries/${foreignList}`, `/api/queries/${unknown}`],
      [`/api/queries/${foreignList}/people`, `/api/queries/${unknown}/people`],
      [`/api/duplicates?orgId=${orgs.kreisA2}`, `/api/duplicates?orgId=${unknown}`],
      [`/api/imports?orgId=${orgs.kreisA2}`, `/api/imports?orgId=${unknown}`],
    ];
    for (const [foreign, missing] of pairs) {
      const a = await organizerA.get(foreign);
      const b = await organizerA.get(missing);
      expect({ url: foreign, status: a.statusCode, body: a.body }).toEqual({
        url: foreign,
        status: 404,
        body: b.body,
      });
    }
    const patchForeign = await organizerA.patch(`/api/people/${foreignPerson}`, { city: 'X' });
    const patchUnknown = await organizerA.patch(`/api/people/${unknown}`, { city: 'X' });
    expect(patchForeign.body).toBe(patchUnknown.body);
    expect(patchForeign.json()).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
  });
});

describe('caching', () => {
  it('every API answer is no-store; downloads are private, no-store', async () => {
    for (const url of [
      '/api/auth/me',
      `/api/people?orgId=${orgs.kreisA1}`,
      '/api/orgs',
      '/api/health',
      '/api/nothing-here',
      `/api/people/00000000-0000-4000-8000-00000000abcd`,
    ]) {
      const res = await organizerA.get(url);
      expect({ url, cacheControl: res.headers['cache-control'] }).toEqual({ url, cacheControl: 'no-store' });
    }
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['cache-control']).toBe('no-store');
    const file = await organizerA.post('/api/exports', { orgId: orgs.kreisA1, format: 'csv' });
    expect(file.statusCode).toBe(200);
    expect(file.headers['cache-control']).toBe('private, no-store');
  });
});

describe('secrets in logs', () => {
  it('values of declared secret path parameters never reach the log', async () => {
    const logging = await createLoggingApp(t.database);
    const { app } = logging;
    const secretRoutes = app.routeTable.filter((r) => r.config?.secretParams?.length);
    expect([...new Set(secretRoutes.map((r) => r.url))].sort()).toEqual([
      '/api/auth/password-reset/:token',
      '/api/call-invites/:token',
      '/api/call-invites/:token/accept',
      '/api/invitations/:token',
      '/api/invitations/:token/accept',
      '/api/public/consents/renew/:token',
      '/api/public/links/:token',
      '/api/public/unsubscribe/:token',
      '/c/:token',
      '/u/:token',
    ]);
    // A short secret too: redaction goes by the declaration, not by the look of the value.
    for (const secret of ['Geheim-Kurz-42', 'a'.repeat(43)]) {
      for (const route of secretRoutes) {
        const method = (Array.isArray(route.method) ? route.method[0] : route.method) as 'GET';
        await app.inject({
          method,
          url: route.url.replace(':token', secret),
          payload: method === 'GET' ? undefined : {},
        });
      }
    }
    await logging.close();
    const log = logging.log();
    expect(log).toContain('/api/call-invites/…');
    expect(log).toContain('/api/invitations/…/accept');
    expect(log).toContain('/api/public/links/…');
    expect(log).toContain('/u/…');
    expect(log).toContain('/c/…');
    expect(log).not.toContain('Geheim-Kurz-42');
    expect(log).not.toContain('a'.repeat(43));
  });

  it('a route with a token path parameter that is not declared secret refuses to start', async () => {
    const config = testConfig();
    const mail = createMailService(config);
    const app = await buildApp({ database: t.database, config, mail, logger: false });
    app.get('/api/leaky/:token', { config: { public: true } }, async () => ({ ok: true }));
    await expect(app.ready()).rejects.toThrow(/secretParams/);
    await app.close().catch(() => {});
    mail.close();
  });
});

describe('rate limits across instances', () => {
  it('two app instances on one database enforce one limit, not two', async () => {
    const second = await createTestApp({ database: t.database });
    try {
      const ask = (app: TestApp['app']) =>
        app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: 'x@example.org' } });
      // The limit is 5 per 15 minutes and client address: 3 here, 2 there, then both refuse.
      const statuses = [];
      for (const app of [t.app, second.app, t.app, second.app, t.app])
        statuses.push((await ask(app)).statusCode);
      expect(statuses).toEqual([202, 202, 202, 202, 202]);
      const refused = await ask(second.app);
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe('rate_limited');
      expect((await ask(t.app)).statusCode).toBe(429);
      // Another route keeps its own count.
      const preview = await second.app.inject({ method: 'GET', url: `/api/invitations/${'y'.repeat(43)}` });
      expect(preview.statusCode).toBe(410);
    } finally {
      await second.close();
    }
  });
});

describe('member numbers', () => {
  it("a number in use answers the same whether its holder is in the actor's units or not", async () => {
    const adminB = await loginAs(t, 'admin', orgs.landB);
    expect(
      (await adminB.post('/api/people', { orgId: orgs.landB, lastName: 'B', memberNumber: 'M-777' }))
        .statusCode,
    ).toBe(201);
    expect(
      (await organizerA.post('/api/people', { orgId: orgs.kreisA1, lastName: 'A', memberNumber: 'M-778' }))
        .statusCode,
    ).toBe(201);
    const foreign = await organizerA.post('/api/people', {
      orgId: orgs.kreisA1,
      lastName: 'X',
      memberNumber: 'M-777',
    });
    const own = await organizerA.post('/api/people', {
      orgId: orgs.kreisA1,
      lastName: 'X',
      memberNumber: 'M-778',
    });
    expect(foreign.statusCode).toBe(409);
    expect(foreign.json().error.message).toContain('already in use in the party');
    expect(foreign.body.replace('M-777', 'N')).toBe(own.body.replace('M-778', 'N'));
  });
});
