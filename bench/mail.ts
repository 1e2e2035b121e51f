import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { type DatabaseHandle, type Db, newPGlite, openPGlite } from '../src/server/db/database.ts';
import { createSmtpTransport } from '../src/server/mail/mail.service.ts';
import { compileMailing } from '../src/server/mail/mail-compose.ts';
import { insertOrg } from '../src/server/orgs/orgs.repo.ts';
import { prepareDatabase } from '../src/server/runtime.ts';

/**
 * `npm run bench -- mail [--count N]` (default 50,000 recipients): an SMTP sink (smtp-server) in a
 * child process; N people with an address each and a mailing frozen for them.
 *
 * 1. Baseline: a bare pooled nodemailer loop (the same transport settings, 200 sends in flight)
 *    sends the same N messages, rendered beforehand: half before step 2 and half after it (the
 *    machine is shared; both see the same load on average).
 * 2. Draht: deliverMailing (claim batches with SKIP LOCKED + commit, render, send through the
 *    pool, record per batch, timeline entries, link tokens) until the mailing is sent. Messages/s,
 *    the ratio to the baseline, and the process's peak RSS.
 * 3. Crash check: a second mailing to the same N people, delivered by a worker in a child process
 *    that gets SIGKILL halfway; the rows left `sending` are the in-flight window. A new worker
 *    (sweeping those rows back first) finishes. Counted at the sink per Message-ID: duplicates
 *    (must be ≤ the in-flight window) and missed (goal 0).
 */

const HERE = import.meta.dirname;
const DOMAINS = ['example.org', 'gmx.de', 'web.de', 't-online.de', 'posteo.de', 'mailbox.org'];

function countArg(fallback: number): number {
  const i = process.argv.indexOf('--count');
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error('--count needs a positive whole number');
  return n;
}

interface Sink {
  port: number;
  stats(): Promise<Record<string, number>>;
  ids(host: string): Promise<[string, number][]>;
  stop(): Promise<void>;
}

async function startSink(): Promise<Sink> {
  const child = fork(path.join(HERE, 'mail-sink.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let seq = 0;
  const waiting = new Map<number, (v: unknown) => void>();
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (m: { port?: number; seq?: number }) => {
      if (m.port) resolve(m.port);
      else if (m.seq !== undefined) {
        waiting.get(m.seq)?.(m);
        waiting.delete(m.seq);
      }
    });
  });
  const ask = <T>(msg: object) =>
    new Promise<T>((resolve) => {
      const n = ++seq;
      waiting.set(n, resolve as (v: unknown) => void);
      child.send({ ...msg, seq: n });
    });
  return {
    port,
    stats: async () => (await ask<{ byHost: Record<string, number> }>({ cmd: 'stats' })).byHost,
    ids: async (host) => (await ask<{ ids: [string, number][] }>({ cmd: 'ids', host })).ids,
    stop: async () => {
      child.send({ cmd: 'stop' });
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** A unit with mail settings and N people with one address each (set-based SQL). */
async function seedPeople(db: Db, count: number) {
  const org = await insertOrg(db, {
    parentId: null,
    name: 'Kreisverband Bench',
    kind: 'district',
    slug: `bench-${Date.now()}`,
    postalCodes: [],
  });
  const sender = await db
    .insertInto('mailSenderAddresses')
    .values({ address: 'kv-bench@partei.example' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('orgMailSettings')
    .values({
      orgId: org.id,
      senderName: 'Kreisverband Bench',
      senderAddressId: sender.id,
      replyTo: 'antwort@partei.example',
      footer: 'Kreisverband Bench\nHauptstraße 1\n01067 Dresden',
    })
    .execute();
  await sql`
    insert into people (org_id, first_name, last_name, source, source_detail)
    select ${org.id}::uuid, (array['Anna','Ben','Clara','David','Emma','Felix','Greta','Hans'])[1 + n % 8],
           'Bench' || n, 'bench', n::text
    from generate_series(1, ${count}::int) n`.execute(db);
  await sql`
    insert into person_emails (person_id, email, is_primary)
    select id, 'p' || source_detail || '@' || (${sql.val(DOMAINS)}::text[])[1 + source_detail::int % ${DOMAINS.length}], true
    from people where org_id = ${org.id}::uuid`.execute(db);
  return org.id;
}

const HTML = `<h2>Einladung zum Sommerfest</h2>
<p>Hallo {{firstName|du}},</p>
<p>am <strong>Samstag, 18. Juli</strong> feiern wir im Stadtpark. Es gibt Musik, Essen und viele
Gespräche über das, was wir in diesem Jahr vorhaben. Bring gern Freund*innen mit!</p>
<p><a href="https://partei.example/sommerfest" data-button="">Ich komme</a></p>
<p>Bis bald,<br>dein Kreisverband</p>`;

/**
 * A mailing in `sending` with one frozen row per person; Message-IDs end in `@<host>`. Its laid-out
 * content (compiled_*) is frozen below, once compiled.
 */
async function seedMailing(db: Db, orgId: string, host: string) {
  const mailing = await db
    .insertInto('mailings')
    .values({
      orgId,
      subject: 'Einladung zum Sommerfest, {{firstName|du}}',
      html: HTML,
      purpose: 'member_info',
      status: 'sending',
      startedAt: new Date(),
    })
    .returning(['id', 'updatedAt'])
    .executeTakeFirstOrThrow();
  const res = await sql`
    insert into mailing_recipients (mailing_id, person_id, org_id, email, domain, message_id)
    select ${mailing.id}::uuid, p.id, p.org_id, e.email, split_part(e.email, '@', 2),
           '<' || gen_random_uuid()::text || '@' || ${host} || '>'
    from people p join person_emails e on e.person_id = p.id
    where p.org_id = ${orgId}::uuid`.execute(db);
  await db
    .updateTable('mailings')
    .set({ total: Number(res.numAffectedRows) })
    .where('id', '=', mailing.id)
    .execute();
  await sql`analyze`.execute(db);
  return mailing;
}

/** The baseline: the same messages through a bare pooled transport, `window` sends in flight. */
async function bareLoop(smtpUrl: string, messages: object[], window = 200) {
  const { transport } = createSmtpTransport(smtpUrl);
  const t0 = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < messages.length) {
      const m = messages[next++];
      await transport.sendMail(m);
    }
  };
  await Promise.all(Array.from({ length: window }, lane));
  const ms = performance.now() - t0;
  transport.close();
  return ms;
}

function workerProcess(env: Record<string, string>): { child: ChildProcess; done: Promise<string> } {
  const child = fork(path.join(HERE, 'mail-worker.ts'), [], {
    env: { ...process.env, ...env },
    // --expose-gc: the worker reports its live heap after a collection beside the RSS;
    // MAIL_WORKER_FLAGS: V8 flags to try on the worker (e.g. `--max-semi-space-size=32`).
    execArgv: ['--expose-gc', ...(process.env.MAIL_WORKER_FLAGS?.split(/\s+/).filter(Boolean) ?? [])],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const done = new Promise<string>((resolve) => child.once('exit', () => resolve(out)));
  return { child, done };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

interface WorkerResult {
  sent: number;
  ms: number;
  peakRss: number;
  atPeak: { heapTotal: number; external: number };
  baseRss: number;
  baseHeap: number;
  endHeap: number;
  stats: { batches: number; claimWaitMs: number; sendMs: number; recordMs: number };
}

const lastJson = (out: string) => JSON.parse(out.trim().split('\n').pop() || '{}') as WorkerResult;

export async function benchMail(handle: DatabaseHandle) {
  const count = countArg(50_000);
  const sink = await startSink();
  const smtpUrl = `smtp://127.0.0.1:${sink.port}`;
  // The workers are processes of their own (their RSS is Draht's); on PGlite they need the database
  // on disk (one process at a time), on PostgreSQL they use the bench's scratch database.
  const pgliteDir = handle.connectionString
    ? null
    : fs.mkdtempSync(path.join(os.tmpdir(), 'draht-bench-mail-'));
  const target = handle.connectionString ?? `pglite:${pgliteDir}`;
  const open = async () => (pgliteDir ? openPGlite(newPGlite(pgliteDir)) : handle);
  const done = async (h: DatabaseHandle) => {
    if (pgliteDir) await h.close();
  };
  try {
    let h = await open();
    if (pgliteDir) await prepareDatabase(h);
    const t0 = performance.now();
    const orgId = await seedPeople(h.db, count);
    const mailingA = await seedMailing(h.db, orgId, 'a.bench');
    const mailingB = await seedMailing(h.db, orgId, 'b.bench');
    console.log(
      `(generated ${count} people and two mailings to them in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${h.kind})`,
    );

    // 1. Baseline: the same messages, rendered beforehand, through a bare pooled loop.
    const compiled = await compileMailing(
      {
        id: mailingA.id,
        updatedAt: mailingA.updatedAt,
        subject: 'Einladung zum Sommerfest, {{firstName|du}}',
        html: HTML,
        purpose: 'member_info',
      },
      {
        footer: 'Kreisverband Bench\nHauptstraße 1\n01067 Dresden',
        orgName: 'Kreisverband Bench',
        locale: 'de',
        publicUrl: 'https://draht.bench',
      },
    );
    // What startMailing freezes on a mailing: the laid-out content, placeholders still in it.
    await h.db
      .updateTable('mailings')
      .set({
        compiledSubject: compiled.content.subject,
        compiledHtml: compiled.content.html,
        compiledText: compiled.content.text,
      })
      .where('id', 'in', [mailingA.id, mailingB.id])
      .execute();
    const rows = await sql<{ email: string; firstName: string; lastName: string }>`
      select r.email, p.first_name, p.last_name from mailing_recipients r join people p on p.id = r.person_id
      where r.mailing_id = ${mailingA.id}::uuid`.execute(h.db);
    await done(h);
    const messages = rows.rows.map((r, i) => {
      const token = `bench${String(i).padStart(38, '0')}`;
      const url = `https://draht.bench/u/${token}`;
      const m = compiled.render({
        firstName: r.firstName,
        lastName: r.lastName,
        email: r.email,
        orgName: 'Kreisverband Bench',
        unsubscribeUrl: url,
      });
      return {
        from: { name: 'Kreisverband Bench', address: 'kv-bench@partei.example' },
        to: r.email,
        replyTo: 'antwort@partei.example',
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: `<bare-${i}@bare.bench>`,
        headers: {
          'List-Unsubscribe': `<${url}>, <mailto:kv-bench@partei.example?subject=unsubscribe-${token}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      };
    });
    // The machine is shared: half of the baseline runs before Draht's delivery and half after, so
    // both see the same load on average.
    const halfOf = Math.ceil(messages.length / 2);
    const bareFirstMs = await bareLoop(smtpUrl, messages.slice(0, halfOf));

    // 2. Draht's delivery of mailing A by a worker process.
    const env = { BENCH_DB: target, SMTP_URL: smtpUrl };
    const run = lastJson(await workerProcess({ ...env, MAILING_ID: mailingA.id }).done);
    const bareMs = bareFirstMs + (await bareLoop(smtpUrl, messages.slice(halfOf)));
    messages.length = 0;
    const bareRate = count / (bareMs / 1000);
    const drahtRate = run.sent / (run.ms / 1000);
    const stats = await sink.stats();
    console.log(
      `bench mail-delivery: ${drahtRate.toFixed(0)} msgs/s, ${run.sent} of ${count} in ${(run.ms / 1000).toFixed(1)} s (${(drahtRate / bareRate).toFixed(2)} of bare pooled nodemailer loop ${bareRate.toFixed(0)} msgs/s); sink got ${stats['a.bench'] ?? 0} Draht + ${stats['bare.bench'] ?? 0} baseline`,
    );
    const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(
      `(Draht: ${run.stats.batches} batches; waiting for claims ${sec(run.stats.claimWaitMs)}, sending ${sec(run.stats.sendMs)}, recording ${sec(run.stats.recordMs)})`,
    );
    console.log(
      `bench mail-rss: ${mb(run.peakRss)} peak RSS of the worker process (${mb(run.baseRss)} before the first mail: code + ${h.kind}; live heap after GC ${mb(run.baseHeap)} before, ${mb(run.endHeap)} after; at the peak V8 heap ${mb(run.atPeak.heapTotal)}, outside it ${mb(run.atPeak.external)})`,
    );

    // 3. Crash check: mailing B, the worker killed with SIGKILL halfway, then a new worker.
    const first = workerProcess({ ...env, MAILING_ID: mailingB.id });
    const half = Math.floor(count / 2);
    for (;;) {
      if (((await sink.stats())['b.bench'] ?? 0) >= half) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill('SIGKILL');
    await first.done;
    const atKill = (await sink.stats())['b.bench'] ?? 0;
    h = await open();
    const window = await sql<{ status: string; n: number }>`
      select status, count(*)::int as n from mailing_recipients where mailing_id = ${mailingB.id}::uuid group by status`.execute(
      h.db,
    );
    await done(h);
    const byStatus = Object.fromEntries(window.rows.map((r) => [r.status, Number(r.n)]));
    const restart = lastJson(await workerProcess({ ...env, MAILING_ID: mailingB.id, SWEEP: '1' }).done);
    const ids = new Map(await sink.ids('b.bench'));
    h = await open();
    const all = await sql<{ messageId: string; status: string }>`
      select message_id, status from mailing_recipients where mailing_id = ${mailingB.id}::uuid`.execute(
      h.db,
    );
    await done(h);
    let duplicates = 0;
    let missed = 0;
    for (const r of all.rows) {
      const n = ids.get(r.messageId.replace(/^<|>$/g, '')) ?? 0;
      if (n === 0) missed++;
      if (n > 1) duplicates += n - 1;
    }
    const notSent = all.rows.filter((r) => r.status !== 'sent').length;
    console.log(
      `bench mail-crash: ${duplicates} duplicates (in flight at the kill: ${byStatus.sending ?? 0} rows), ${missed} missed, ${notSent} rows not sent; killed after ${atKill} of ${count} arrived (rows then: ${JSON.stringify(byStatus)}), the restarted worker sent ${restart.sent}`,
    );
  } finally {
    await sink.stop();
    if (pgliteDir) fs.rmSync(pgliteDir, { recursive: true, force: true });
  }
}
