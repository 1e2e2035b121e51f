import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../src/server/config.ts';
import type { BaseCtx } from '../src/server/context.ts';
import { newPGlite, openPGlite, openPostgres } from '../src/server/db/database.ts';
import { createAppJobs } from '../src/server/job-modules.ts';
import { createMailService } from '../src/server/mail/mail.service.ts';
import { deliverMailing, sweepMailings } from '../src/server/mail/mail-delivery.service.ts';

/**
 * The delivery worker of the mail bench's crash check, as its own process (so it can be killed
 * with SIGKILL mid-send): `BENCH_DB` (a postgres:// URL or `pglite:<dir>`), `SMTP_URL`,
 * `MAILING_ID`; `SWEEP=1` first queues again what a killed worker left `sending` (what the
 * minutely sweeper does after DELIVERY.staleSeconds, right away). Runs deliverMailing until the
 * mailing is sent, then prints `{ sent, ms, peakRss, baseRss, baseHeap, endHeap, stats }` as one JSON line (base: before
 * the first mail; heaps after a collection when run with --expose-gc).
 */
const target = process.env.BENCH_DB!;
const handle = target.startsWith('pglite:')
  ? await openPGlite(newPGlite(target.slice('pglite:'.length)))
  : await openPostgres(target, 10);
const config = loadConfig({
  SMTP_URL: process.env.SMTP_URL,
  PUBLIC_URL: 'https://draht.bench',
  LOG_LEVEL: 'silent',
  DRAHT_DEMO: '0',
});
const mail = createMailService(config);
const jobs = createAppJobs();
const silent = { error() {}, warn() {}, info() {}, debug() {} } as never;
const ctx: BaseCtx = { db: handle.db, config, mail, jobs, log: silent, ip: null };
jobs.bind(() => ctx);

// What the process holds before the first mail: the code (mjml, the app's modules) and the database.
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const baseHeap = process.memoryUsage().heapUsed;
const baseRss = process.memoryUsage().rss;
let peakRss = baseRss;
// At the RSS peak: V8's heap (reserved) and memory outside it (Buffers: MIME parts, sockets).
let atPeak = { heapTotal: 0, external: 0 };
const sample = setInterval(() => {
  const u = process.memoryUsage();
  if (u.rss > peakRss) {
    peakRss = u.rss;
    atPeak = { heapTotal: u.heapTotal, external: u.external };
  }
}, 50);
const t0 = performance.now();
if (process.env.SWEEP === '1') await sweepMailings(ctx, { staleSeconds: 0 });
const stats = { batches: 0, claimWaitMs: 0, sendMs: 0, recordMs: 0 };
let sent = 0;
for (;;) {
  const run = await deliverMailing(ctx, process.env.MAILING_ID!, { stats });
  sent += run.sent;
  if (run.outcome === 'finished' || run.outcome === 'stopped' || run.outcome === 'not_found') break;
  if (run.nextRunAt) await sleep(Math.max(0, run.nextRunAt.getTime() - Date.now()));
  else await sleep(200);
}
clearInterval(sample);
gc?.();
const endHeap = process.memoryUsage().heapUsed;
peakRss = Math.max(peakRss, process.memoryUsage().rss);
console.log(
  JSON.stringify({ sent, ms: performance.now() - t0, peakRss, atPeak, baseRss, baseHeap, endHeap, stats }),
);
mail.close();
await handle.close();
