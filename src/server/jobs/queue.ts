import type { FastifyBaseLogger } from 'fastify';
import { fromKysely, fromPglite, PgBoss, type QueuePolicy } from 'pg-boss';
import type { BaseCtx } from '../context.ts';
import type { DatabaseHandle, Db } from '../db/database.ts';
import type { FailedJobRow, JobName, JobPayloads, JobSendOptions, Jobs, SentJob } from './jobs.ts';

export type { JobName, JobPayloads, Jobs, NoPayload } from './jobs.ts';

/** Retries after a failed run; the defaults are 5 retries with exponential backoff from 1 s. */
export interface JobRetry {
  limit: number;
  /** Seconds before the first retry (default 1 with backoff, else 0). */
  delaySeconds?: number;
  /** Doubles the delay on every retry (with jitter). Default true. */
  backoff?: boolean;
  /** Upper bound of the delay with backoff, in seconds. */
  maxDelaySeconds?: number;
}

/** One job of a domain: what it does, when it runs by itself, how it retries. */
export interface JobDefinition<Payload> {
  /** Does the work; throwing makes pg-boss retry it, and after the last retry it is dead-lettered. */
  run(payload: Payload, ctx: BaseCtx, job: { id: string; retryCount: number }): Promise<unknown>;
  /** Cron (UTC): pg-boss sends it once per occurrence across all instances (see ARCHITECTURE.md). */
  schedule?: { cron: string; payload: Payload };
  retry?: JobRetry;
  /**
   * pg-boss queue policy, default `stately`: per key at most one job waiting and one running. Fixed
   * when the queue is first created.
   */
  policy?: Extract<QueuePolicy, 'stately' | 'standard' | 'singleton' | 'exclusive'>;
  /** Seconds a run may take before pg-boss counts it as failed (default 15 minutes). */
  timeoutSeconds?: number;
  /**
   * Without a queue in the process (tests, CLI), `send` runs the job right away in the caller,
   * so the caller sees its result; otherwise such a send does nothing and the schedule picks the
   * work up where a worker runs.
   */
  inline?: boolean;
}

/** The one shape of every `<domain>.jobs.ts`: job name → definition, payloads typed by name. */
export type JobModule = { [N in JobName]?: JobDefinition<JobPayloads[N]> };

/** Failed jobs of every queue land here after their last retry (the admin's dead-letter view). */
export const DEAD_LETTER_QUEUE = 'jobs-failed';
const DEAD_LETTER_RETENTION_SECONDS = 30 * 24 * 3600;

export interface JobStartOptions {
  /** Run handlers and schedules in this process (false: only send, e.g. a web instance). */
  workers: boolean;
  log: FastifyBaseLogger;
  /** How often an idle worker looks for jobs (default 2 s). */
  pollingIntervalSeconds?: number;
  /** How often this instance looks at the schedules (default 30 s; pg-boss allows 1–45). */
  cronMonitorIntervalSeconds?: number;
  /** How often scheduled occurrences are turned into jobs (default 5 s). */
  cronWorkerIntervalSeconds?: number;
}

/** The process's job layer: `ctx.jobs` for services, plus what the runtime needs to start and stop it. */
export interface JobLayer extends Jobs {
  /** The context handlers (and inline jobs) run with; `db` is the transaction of an inline send. */
  bind(ctxFor: (db?: Db) => BaseCtx): void;
  /** Starts pg-boss on the database; until then (and in tests, CLI) the layer is inline. */
  start(database: DatabaseHandle, opts: JobStartOptions): Promise<void>;
  stop(): Promise<void>;
}

interface AnyDefinition {
  name: string;
  def: JobDefinition<unknown>;
}

function definitionsOf(modules: JobModule[]): AnyDefinition[] {
  const seen = new Map<string, AnyDefinition>();
  for (const module of modules) {
    for (const [name, def] of Object.entries(module)) {
      if (!def) continue;
      if (seen.has(name)) throw new Error(`Job ${name} is defined twice.`);
      seen.set(name, { name, def: def as JobDefinition<unknown> });
    }
  }
  return [...seen.values()];
}

function retryOptions(def: JobDefinition<unknown>) {
  const retry = def.retry ?? { limit: 5 };
  const backoff = retry.backoff ?? true;
  return {
    retryLimit: retry.limit,
    retryBackoff: backoff,
    retryDelay: retry.delaySeconds ?? (backoff ? 1 : 0),
    ...(retry.maxDelaySeconds ? { retryDelayMax: retry.maxDelaySeconds } : {}),
    ...(def.timeoutSeconds ? { expireInSeconds: def.timeoutSeconds } : {}),
  };
}

function errorText(output: unknown): string | null {
  if (!output || typeof output !== 'object') return output == null ? null : String(output);
  const o = output as { message?: unknown; value?: unknown };
  if (typeof o.message === 'string') return o.message;
  return JSON.stringify(o.value ?? o);
}

/**
 * pg-boss on our database: on PostgreSQL with its own small pool, on PGlite through its adapter on
 * our single connection. Jobs are rows, so they survive restarts. Sends go through the caller's
 * executor (`opts.db`, else the app's Kysely), so a send inside a transaction is part of it.
 */
export function createJobLayer(modules: JobModule[]): JobLayer {
  const definitions = definitionsOf(modules);
  const byName = new Map(definitions.map((d) => [d.name, d]));
  let boss: PgBoss | undefined;
  let rootDb: Db | undefined;
  let ctxFor: ((db?: Db) => BaseCtx) | undefined;
  let mode: Jobs['mode'] = 'inline';

  const contextFor = (db?: Db): BaseCtx => {
    if (!ctxFor) throw new Error('The job layer has no context yet (bind it first).');
    return ctxFor(db);
  };

  function definition(name: string): AnyDefinition {
    const d = byName.get(name);
    if (!d) throw new Error(`Unknown job ${name}.`);
    return d;
  }

  return {
    get mode() {
      return mode;
    },

    bind(fn) {
      ctxFor = fn;
    },

    async send(name: JobName, payload: JobPayloads[JobName], opts: JobSendOptions = {}): Promise<SentJob> {
      const { def } = definition(name);
      if (!boss) {
        if (!def.inline) return { id: null, ranInline: false };
        await def.run(payload, contextFor(opts.db), { id: 'inline', retryCount: 0 });
        return { id: null, ranInline: true };
      }
      const executor = (opts.db ?? rootDb)!.withoutPlugins();
      const startAfter =
        opts.startAfter === undefined
          ? undefined
          : typeof opts.startAfter === 'number'
            ? opts.startAfter
            : opts.startAfter.toISOString();
      const id = await boss.send(name, payload as object, {
        db: fromKysely(executor),
        ...(opts.key ? { singletonKey: opts.key } : {}),
        ...(startAfter !== undefined ? { startAfter } : {}),
      });
      return { id, ranInline: false };
    },

    async listFailed(limit, after) {
      if (!boss) return [];
      const jobs = await boss.findJobs(DEAD_LETTER_QUEUE, {
        queued: true,
        limit,
        ...(after ? { after } : {}),
      });
      return jobs.map(
        (j): FailedJobRow => ({
          id: j.id,
          name: j.sourceName ?? j.name,
          key: j.singletonKey,
          payload: j.data,
          error: errorText(j.sourceOutput),
          attempts: (j.sourceRetryCount ?? 0) + 1,
          queuedAt: j.sourceCreatedOn ?? j.createdOn,
          failedAt: j.createdOn,
        }),
      );
    },

    async retryFailed(id) {
      if (!boss) return false;
      const [job] = await boss.findJobs(DEAD_LETTER_QUEUE, { id, queued: true, limit: 1 });
      if (!job) return false;
      const moved = await boss.redrive(DEAD_LETTER_QUEUE, { ids: [id] });
      if (moved > 0) return true;
      // A job with the same key already waits in the source queue: it does the same work, so the
      // dead-lettered copy (which pg-boss marked failed in place) goes.
      await boss.deleteJob(DEAD_LETTER_QUEUE, id);
      return true;
    },

    async start(database, opts) {
      if (boss) throw new Error('The job layer is already started.');
      const timing = {
        schedule: opts.workers,
        supervise: opts.workers,
        ...(opts.cronMonitorIntervalSeconds
          ? { cronMonitorIntervalSeconds: opts.cronMonitorIntervalSeconds }
          : {}),
        ...(opts.cronWorkerIntervalSeconds
          ? { cronWorkerIntervalSeconds: opts.cronWorkerIntervalSeconds }
          : {}),
      };
      const instance = database.pglite
        ? new PgBoss({ db: fromPglite(database.pglite), backend: 'pglite', schema: 'pgboss', ...timing })
        : new PgBoss({ connectionString: database.connectionString!, max: 3, schema: 'pgboss', ...timing });
      instance.on('error', (err) => opts.log.error({ err }, 'job queue error'));
      await instance.start();
      try {
        await instance.createQueue(DEAD_LETTER_QUEUE, {
          policy: 'standard',
          retentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
        });
        for (const { name, def } of definitions) {
          const options = retryOptions(def);
          await instance.createQueue(name, {
            policy: def.policy ?? 'stately',
            deadLetter: DEAD_LETTER_QUEUE,
            ...options,
          });
          // A queue created by an earlier version keeps its policy but takes today's retries.
          await instance.updateQueue(name, { deadLetter: DEAD_LETTER_QUEUE, ...options });
          if (!opts.workers) continue;
          await instance.work(
            name,
            { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 },
            async ([job]) => {
              try {
                await def.run(job.data, contextFor(), { id: job.id, retryCount: job.retryCount });
              } catch (err) {
                opts.log.warn({ err, job: name, jobId: job.id, retryCount: job.retryCount }, 'job failed');
                throw err;
              }
            },
          );
          // Every worker instance upserts the same (name) row; pg-boss turns each occurrence into one job.
          if (def.schedule) await instance.schedule(name, def.schedule.cron, def.schedule.payload as object);
          else await instance.unschedule(name);
        }
      } catch (err) {
        await instance.stop({ graceful: false }).catch(() => {});
        throw err;
      }
      boss = instance;
      rootDb = database.db;
      mode = opts.workers ? 'worker' : 'sender';
    },

    async stop() {
      const running = boss;
      boss = undefined;
      mode = 'inline';
      await running?.stop({ graceful: true, timeout: 5000 });
    },
  };
}
