import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, testConfig } from '../../../test/app.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { loginAs } from '../../../test/factories.ts';
import type { BaseCtx } from '../context.ts';
import { type DatabaseHandle, openDatabase } from '../db/database.ts';
import { createMailService } from '../mail/mail.service.ts';
import { createJobLayer, type JobLayer, type JobModule } from './queue.ts';

// Job names of this test only (the app's modules declare theirs in <domain>.jobs.ts).
declare module './jobs.ts' {
  interface JobPayloads {
    'test-keyed': { n: string };
    'test-ticks': Record<string, never>;
    'test-flaky': { n: number };
    'test-inline': { n: number };
  }
}

const silent = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
} as unknown as BaseCtx['log'];
const fast = { log: silent, pollingIntervalSeconds: 0.5 };

/** Everything the test jobs did, in order. */
const runs: { job: string; n?: unknown; at: number }[] = [];
let flakyFailuresLeft = 0;

const testJobs = {
  'test-keyed': {
    policy: 'stately',
    run: async (p) => {
      runs.push({ job: 'test-keyed', n: p.n, at: Date.now() });
    },
  },
  'test-ticks': {
    // Standard policy: nothing in the queue itself would drop a second job for the same tick.
    policy: 'standard',
    schedule: { cron: '* * * * * *', payload: {} },
    run: async () => {
      runs.push({ job: 'test-ticks', at: Date.now() });
    },
  },
  'test-flaky': {
    retry: { limit: 2, delaySeconds: 1, backoff: true },
    run: async (p, _ctx, job) => {
      runs.push({ job: 'test-flaky', n: job.retryCount, at: Date.now() });
      if (flakyFailuresLeft > 0) {
        flakyFailuresLeft--;
        throw new Error(`flaky run ${p.n} failed (attempt ${job.retryCount + 1})`);
      }
    },
  },
  'test-inline': {
    inline: true,
    run: async (p) => {
      runs.push({ job: 'test-inline', n: p.n, at: Date.now() });
    },
  },
} satisfies JobModule;

function layerOn(database: DatabaseHandle): JobLayer {
  const layer = createJobLayer([testJobs]);
  const config = testConfig();
  const mail = createMailService(config);
  layer.bind((db) => ({ db: db ?? database.db, config, mail, jobs: layer, log: silent, ip: null }));
  return layer;
}

async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const runsOf = (job: string) => runs.filter((r) => r.job === job);

async function storedJobs(db: DatabaseHandle['db'], name: string) {
  const { rows } = await sql<{ state: string; singletonKey: string | null; createdOn: Date }>`
    select state, singleton_key, created_on from pgboss.job where name = ${name} order by created_on`.execute(
    db,
  );
  return rows;
}

// Never called: the compiler checks the payload of every job name.
function payloadsAreTyped(jobs: JobLayer) {
  void jobs.send('test-keyed', { n: 'x' });
  // @ts-expect-error a payload of the wrong shape does not compile
  void jobs.send('test-keyed', { mailingId: 17 });
  // @ts-expect-error nor does an unknown job name
  void jobs.send('test-unknown', {});
}
void payloadsAreTyped;

describe('job layer on one database', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('without a queue runs inline jobs inside send and drops the others (tests, CLI)', async () => {
    const layer = layerOn(database);
    expect(layer.mode).toBe('inline');
    expect(await layer.send('test-inline', { n: 1 })).toEqual({ id: null, ranInline: true });
    expect(await layer.send('test-keyed', { n: 'dropped' })).toEqual({ id: null, ranInline: false });
    expect(runsOf('test-inline').map((r) => r.n)).toEqual([1]);
    expect(runsOf('test-keyed')).toEqual([]);
  });

  it('keeps different keys apart and coalesces the same key; the jobs survive a restart of the queue', async () => {
    const sender = layerOn(database);
    await sender.start(database, { ...fast, workers: false });
    expect(sender.mode).toBe('sender');
    const a = await sender.send('test-keyed', { n: 'mailing 17' }, { key: 'mailing:17' });
    const b = await sender.send('test-keyed', { n: 'mailing 18' }, { key: 'mailing:18' });
    const again = await sender.send('test-keyed', { n: 'mailing 17 again' }, { key: 'mailing:17' });
    expect(a.id).not.toBeNull();
    expect(b.id).not.toBeNull();
    expect(a.id).not.toBe(b.id);
    expect(again.id).toBeNull();
    const waiting = await storedJobs(database.db, 'test-keyed');
    expect(waiting.map((j) => [j.state, j.singletonKey])).toEqual([
      ['created', 'mailing:17'],
      ['created', 'mailing:18'],
    ]);
    await sender.stop();
    expect(runsOf('test-keyed')).toEqual([]);

    const worker = layerOn(database);
    await worker.start(database, { ...fast, workers: true });
    try {
      await waitFor(() => runsOf('test-keyed').length >= 2);
      expect(
        runsOf('test-keyed')
          .map((r) => r.n)
          .sort(),
      ).toEqual(['mailing 17', 'mailing 18']);
    } finally {
      await worker.stop();
    }
  });

  it('runs a schedule registered by two queue instances once per tick', async () => {
    const options = { ...fast, workers: true, cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 };
    const first = layerOn(database);
    const second = layerOn(database);
    await first.start(database, options);
    await second.start(database, options);
    try {
      await waitFor(() => runsOf('test-ticks').length >= 1);
      // Both instances keep passing over the schedules every second meanwhile.
      await new Promise((r) => setTimeout(r, 5000));
    } finally {
      await first.stop();
      await second.stop();
    }
    const { rows: schedules } = await sql<{ n: number }>`
      select count(*)::int as n from pgboss.schedule where name = 'test-ticks'`.execute(database.db);
    expect(schedules[0].n).toBe(1);
    // pg-boss files each occurrence in its one-minute slot: one job per tick, whoever passed.
    const jobs = await storedJobs(database.db, 'test-ticks');
    const perMinute = new Map<string, number>();
    for (const j of jobs) {
      const minute = new Date(j.createdOn).toISOString().slice(0, 16);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    }
    expect(jobs.length).toBeGreaterThanOrEqual(1);
    expect([...perMinute.values()].every((n) => n === 1)).toBe(true);
    expect(runsOf('test-ticks')).toHaveLength(jobs.length);
  }, 60_000);
});

describe('dead-letter view', () => {
  let t: TestApp;
  let layer: JobLayer;
  beforeAll(async () => {
    const database = await createTestDatabase();
    layer = createJobLayer([testJobs]);
    t = await createTestApp({ database, jobs: layer });
    await layer.start(database, { ...fast, workers: true });
  });
  afterAll(async () => {
    await layer.stop();
    await t.close();
    await t.database.close();
  });

  it('retries a failing job with growing delays, then lists it for admins, and retries it on request', async () => {
    const admin = await loginAs(t, 'superadmin');
    flakyFailuresLeft = 3;
    await t.jobs.send('test-flaky', { n: 7 }, { key: 'thing:7' });
    const failed = await waitFor(async () => {
      const res = await admin.get('/api/jobs/failed');
      return res.json().items.length ? res.json().items : undefined;
    });
    const attempts = runsOf('test-flaky');
    expect(attempts.map((r) => r.n)).toEqual([0, 1, 2]);
    // Backoff from one second: the second retry waits longer than the first would at least.
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(900);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(1800);
    expect(failed).toEqual([
      expect.objectContaining({
        name: 'test-flaky',
        key: 'thing:7',
        payload: { n: 7 },
        attempts: 3,
        error: 'flaky run 7 failed (attempt 3)',
      }),
    ]);

    expect((await admin.post('/api/jobs/failed/00000000-0000-4000-8000-000000000009/retry')).statusCode).toBe(
      404,
    );

    flakyFailuresLeft = 0;
    const retried = await admin.post(`/api/jobs/failed/${failed[0].id}/retry`);
    expect(retried.statusCode).toBe(200);
    await waitFor(() => runsOf('test-flaky').length === 4);
    expect((await admin.get('/api/jobs/failed')).json().items).toEqual([]);
    const audit = await t.db
      .selectFrom('auditLog')
      .select(['action', 'targetId'])
      .where('action', '=', 'jobs.failed_retried')
      .execute();
    expect(audit).toEqual([{ action: 'jobs.failed_retried', targetId: failed[0].id }]);
  }, 60_000);
});

describe('restart', () => {
  it('a job sent before the process stopped runs after it starts again', async () => {
    let database: DatabaseHandle;
    let reopen: () => Promise<DatabaseHandle>;
    let cleanup = async () => {};
    if (process.env.DATABASE_URL) {
      database = await createTestDatabase();
      const same = database;
      // A new process on PostgreSQL: the queue opens a new pool on the same database.
      reopen = async () => same;
    } else {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'draht-jobs-'));
      database = await openDatabase({ dataDir });
      reopen = () => openDatabase({ dataDir });
      cleanup = async () => fs.rmSync(dataDir, { recursive: true, force: true });
    }
    const before = layerOn(database);
    await before.start(database, { ...fast, workers: false });
    await before.send('test-keyed', { n: 'after restart' }, { key: 'restart:1' });
    await before.stop();
    if (!process.env.DATABASE_URL) await database.close();

    const again = await reopen();
    const after = layerOn(again);
    await after.start(again, { ...fast, workers: true });
    try {
      await waitFor(() => runsOf('test-keyed').some((r) => r.n === 'after restart'));
    } finally {
      await after.stop();
      await again.close();
      await cleanup();
    }
  }, 60_000);
});
