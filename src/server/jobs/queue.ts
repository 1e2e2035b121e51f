import type { FastifyBaseLogger } from 'fastify';
import { fromPglite, PgBoss } from 'pg-boss';
import type { DatabaseHandle } from '../db/database.ts';

/** A job handler of a domain module (`<domain>.jobs.ts`). */
export interface JobDefinition {
  name: string;
  /** Runs the job; throwing makes pg-boss retry it. */
  run: (data: unknown) => Promise<void>;
  /** Optional cron schedule (UTC), e.g. a sweep that catches work left by a crashed instance. */
  cron?: string;
}

export interface JobQueue {
  /** Asks for a job to run soon. Jobs of the same name coalesce while one is waiting. */
  send(name: string, data?: object): Promise<void>;
  stop(): Promise<void>;
}

/**
 * pg-boss on the same database: on PostgreSQL with its own small pool, on PGlite through its
 * adapter on our single connection. Jobs survive a restart because they are rows.
 */
export async function startJobQueue(
  database: DatabaseHandle,
  jobs: JobDefinition[],
  log: FastifyBaseLogger,
  opts: { pollingIntervalSeconds?: number } = {},
): Promise<JobQueue> {
  const boss = database.pglite
    ? new PgBoss({ db: fromPglite(database.pglite), backend: 'pglite', schema: 'pgboss' })
    : new PgBoss({ connectionString: database.connectionString!, max: 3, schema: 'pgboss' });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  await boss.start();
  for (const job of jobs) {
    await boss.createQueue(job.name, { policy: 'stately', retryLimit: 5, retryBackoff: true });
    await boss.work(job.name, { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 }, async (batch) => {
      for (const j of batch) await job.run(j.data);
    });
    if (job.cron) await boss.schedule(job.name, job.cron);
  }
  return {
    async send(name, data) {
      await boss.send(name, data ?? null, { singletonKey: name });
    },
    async stop() {
      await boss.stop({ graceful: true, timeout: 5000 });
    },
  };
}
