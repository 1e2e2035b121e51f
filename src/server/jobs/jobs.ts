import type { Db } from '../db/database.ts';

/**
 * Every job name and its payload. Each domain adds its own in `<domain>.jobs.ts`:
 *
 *   declare module '../jobs/jobs.ts' {
 *     interface JobPayloads { 'mailing-send': { mailingId: string } }
 *   }
 *
 * so `ctx.jobs.send('mailing-send', { mailingId })` is checked at compile time. Payloads carry ids,
 * never personal data: they are stored in pg-boss's tables and shown in the dead-letter view.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in every <domain>.jobs.ts
export interface JobPayloads {}

export type JobName = keyof JobPayloads & string;

/** The payload of a job that needs none (sweeps, cleanups). */
export type NoPayload = Record<string, never>;

export interface JobSendOptions {
  /**
   * The entity the job is about (`mailing:<id>`, `import:<id>`): while a job with this key waits,
   * another send with the same key is dropped; different keys are different jobs. Without a key the
   * job name is the key: the job is a sweep, and sends coalesce while one waits.
   */
  key?: string;
  /** Run no earlier than this moment (or this many seconds from now). */
  startAfter?: Date | number;
  /**
   * The transaction to send in: the job exists only if it commits. Needed inside a transaction on
   * PGlite (one connection: a send outside it would wait for the transaction, which waits for the send).
   */
  db?: Db;
}

export interface SentJob {
  /** pg-boss's id, or null when the send was coalesced into a waiting job with the same key. */
  id: string | null;
  /** True when no queue runs in this process and the job ran inside `send` (see `inline`). */
  ranInline: boolean;
}

/** A job that failed after its last retry, as the dead-letter view shows it. */
export interface FailedJobRow {
  id: string;
  name: string;
  key: string | null;
  payload: unknown;
  error: string | null;
  attempts: number;
  queuedAt: Date;
  failedAt: Date;
}

/** What services see as `ctx.jobs`. */
export interface Jobs {
  /** `inline`: no queue in this process (tests, CLI); `sender`: queue without workers; `worker`: both. */
  readonly mode: 'inline' | 'sender' | 'worker';
  send<N extends JobName>(name: N, payload: JobPayloads[N], opts?: JobSendOptions): Promise<SentJob>;
  /** Failed jobs after their last retry, oldest first (`after`: the last id of the previous page). */
  listFailed(limit: number, after?: string): Promise<FailedJobRow[]>;
  /** Puts a failed job back into its queue; false when it is not (or no longer) in the dead-letter queue. */
  retryFailed(id: string): Promise<boolean>;
}
