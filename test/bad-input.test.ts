import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { seedDemo } from '../src/server/demo/seed-demo.ts';
import { type Client, createTestApp, type TestApp } from './app.ts';
import { loginAs } from './factories.ts';

/**
 * A corpus of hostile or broken input fed to every route of the route table: each must answer
 * with a client error (or success), never a 500, and always in the API's error shape.
 */
let t: TestApp;
let admin: Client;
/** Real ids per path parameter context, so the bad values reach past the "not found" checks. */
let ids: Record<string, string>;
let rootOrgId: string;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** Forged pagination cursors: wrong length, wrong types, not JSON, not base64. */
const FORGED_CURSORS = [
  b64(['x']),
  b64([1, 2]),
  b64([{ a: 1 }, 'b']),
  b64(['2026-01-01', 'not-a-uuid']),
  b64([null, null, null]),
  b64(['a\u0000b', 'c', '00000000-0000-4000-8000-000000000001']),
  b64([1e308, '00000000-0000-4000-8000-000000000001']),
  b64('str'),
  b64({}),
  '!!!',
  'x'.repeat(5000),
];
/** Values for any query parameter. */
const BAD_STRINGS = [
  'a\u0000b',
  '\u0000',
  '-1',
  '99999999999999999999999',
  '1e309',
  'x'.repeat(5000),
  '%',
  '\\',
  "'; select 1; --",
  'null',
  '[]',
  '2026-13-45',
  '00000000-0000-0000-0000-000000000000',
  '\ud800',
];
/** Values for any body field. */
const BAD_VALUES: unknown[] = [
  'a\u0000b',
  '',
  'x'.repeat(20_000),
  -1,
  1e308,
  0.5,
  true,
  null,
  [],
  ['\u0000'],
  {},
  { '\u0000': 1 },
  '2026-02-31',
];
const BAD_PARAMS = ['a%00b', '%00', 'not-a-uuid', '00000000-0000-0000-0000-000000000000', 'x'.repeat(300)];

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.db);
  admin = await loginAs(t, 'superadmin');
  const first = async (table: string) =>
    (await sql<{ id: string }>`select id from ${sql.table(table)} order by id limit 1`.execute(t.db)).rows[0]
      ?.id ?? '00000000-0000-4000-8000-000000000009';
  rootOrgId = (await sql<{ id: string }>`select id from org_units where parent_id is null`.execute(t.db))
    .rows[0].id;
  await admin.post('/api/duplicates/scan', { orgId: rootOrgId });
  await admin.post(`/api/orgs/${rootOrgId}/invitations`, { email: 'corpus@example.org', role: 'caller' });
  await admin.post('/api/tokens', { name: 'corpus' });
  ids = {
    people: await first('people'),
    orgs: rootOrgId,
    'call-assignments': await first('call_assignments'),
    calls: await first('calls'),
    queries: await first('queries'),
    imports: await first('imports'),
    campaigns: await first('campaigns'),
    duplicates: await first('duplicate_candidates'),
    invitations: await first('invitations'),
    tokens: await first('api_tokens'),
    outbox: await first('mail_messages'),
    userId: await first('users'),
    callCentreId: await first('call_centres'),
    linkId: await first('link_tokens'),
  };
});
afterAll(() => t.close());

/** The URL with every parameter filled: `:id` by the id of the resource named before it. */
function fillParams(url: string, override?: { name: string; value: string }) {
  const segments = url.split('/');
  return segments
    .map((s, i) => {
      if (!s.startsWith(':')) return s;
      const name = s.slice(1);
      if (override?.name === name) return override.value;
      if (name === 'token') return 'x'.repeat(43);
      return ids[name] ?? ids[segments[i - 1]] ?? '00000000-0000-4000-8000-000000000009';
    })
    .join('/');
}

type RouteSchema = { querystring?: z.ZodObject; body?: z.ZodType; params?: z.ZodObject };
const shapeKeys = (schema: unknown): string[] => {
  const s = schema as { shape?: Record<string, unknown>; unwrap?: () => unknown } | undefined;
  if (s?.shape) return Object.keys(s.shape);
  if (typeof s?.unwrap === 'function') return shapeKeys(s.unwrap());
  return [];
};

describe('bad input never makes a 500', () => {
  it('every route answers hostile query strings, path parameters and bodies with a client error', async () => {
    const routes = t.app.routeTable.filter(
      (r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.url !== '/api/auth/logout',
    );
    expect(routes.length).toBeGreaterThan(80);
    const failures: string[] = [];
    let requests = 0;
    const send = async (method: string, url: string, payload?: unknown) => {
      requests++;
      const res = await admin.request({
        method: method as 'GET',
        url,
        ...(payload === undefined
          ? {}
          : { payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } }),
      });
      const body = res.headers['content-type']?.toString().includes('json') ? res.json() : null;
      if (res.statusCode >= 500 || (res.statusCode >= 400 && typeof body?.error?.code !== 'string')) {
        failures.push(
          `${method} ${url.slice(0, 160)} ${JSON.stringify(payload)?.slice(0, 80)} → ${res.statusCode}`,
        );
      }
    };
    for (const route of routes) {
      const schema = (route as unknown as { schema?: RouteSchema }).schema ?? {};
      for (const method of (Array.isArray(route.method) ? route.method : [route.method]).filter(
        (m) => m !== 'HEAD',
      )) {
        const hasBody = !['GET', 'DELETE'].includes(method);
        const base = fillParams(route.url);
        // Query parameters: each known one in turn (an orgId where the route wants one).
        const queryKeys = shapeKeys(schema.querystring);
        const defaults = new URLSearchParams(queryKeys.includes('orgId') ? { orgId: rootOrgId } : {});
        for (const key of [...queryKeys, 'search']) {
          for (const value of key === 'cursor' ? [...FORGED_CURSORS, ...BAD_STRINGS] : BAD_STRINGS) {
            const q = new URLSearchParams(defaults);
            q.set(key, value);
            await send(method, `${base}?${q}`, hasBody ? {} : undefined);
          }
        }
        // Path parameters.
        for (const [, name] of route.url.matchAll(/:(\w+)/g)) {
          for (const value of BAD_PARAMS) {
            await send(method, fillParams(route.url, { name, value }), hasBody ? {} : undefined);
          }
        }
        // Bodies: each known field in turn, and bodies of the wrong type altogether.
        if (hasBody && !route.url.startsWith('/api/imports')) {
          for (const key of shapeKeys(schema.body)) {
            for (const value of BAD_VALUES) {
              await send(method, `${base}?${defaults}`, { orgId: rootOrgId, [key]: value });
            }
          }
          for (const body of [[], 'x', 123, { a: { b: { c: '\u0000' } } }]) await send(method, base, body);
        }
      }
    }
    expect(requests).toBeGreaterThan(2000);
    expect(failures).toEqual([]);
  }, 300_000);
});
