import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CamelCasePlugin, type CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { SESSION_COOKIE } from '../src/server/auth/auth.service.ts';
import { hashToken, newToken } from '../src/server/auth/secrets.ts';
import { compileTarget } from '../src/server/calls/call-assignments.service.ts';
import { type ClaimPhase, claimNextTarget, syncTargets } from '../src/server/calls/calls.repo.ts';
import type { DatabaseHandle, Db } from '../src/server/db/database.ts';
import type { Database } from '../src/server/db/schema.ts';
import { generatePeople } from '../src/server/demo/people-generator.ts';
import { insertOrg } from '../src/server/orgs/orgs.repo.ts';

/**
 * `npm run bench -- calling [--count N] [--seconds S]` (PostgreSQL only): N people with the demo
 * generator, ONE saved list "everyone", and per run a fresh call assignment on it (open, calling
 * hours 00:00–24:00 every day). 200 simulated callers work through the real HTTP API of the server
 * started as a child process (`node src/server/main.ts`): `next` → `outcome` → `next` … for S
 * seconds. Baseline in the same run: a raw SQL claim-and-record loop on its own assignment. Then the
 * same load against two server instances, and a crash run (kill -9 of the server during load,
 * restart, clients retry) that checks that no acknowledged outcome is lost and that abandoned
 * claims become free after their lock expires.
 */

const CALLERS = 200;
const QUESTIONS = [
  { id: 'q1', type: 'yes_no', text: 'Kommst du zur Versammlung?' },
  {
    id: 'q2',
    type: 'single_choice',
    text: 'Wie willst du mitmachen?',
    options: ['Haustür', 'Telefon', 'Stand'],
  },
];
const ALL_WEEK = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ from: '00:00', to: '24:00' }]]),
);

function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} needs a positive number`);
  return n;
}

function percentile(samples: number[], p: number) {
  if (!samples.length) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

type Outcome = 'reached' | 'no_answer' | 'busy' | 'call_back' | 'wrong_number';

/** reached 40 %, no_answer 40 %, busy 10 %, call_back 5 % (in an hour), wrong_number 5 %. */
function pickOutcome(): Outcome {
  const r = Math.random();
  return r < 0.4
    ? 'reached'
    : r < 0.8
      ? 'no_answer'
      : r < 0.9
        ? 'busy'
        : r < 0.95
          ? 'call_back'
          : 'wrong_number';
}

function outcomeBody(outcome: Outcome) {
  return {
    clientId: randomUUID(),
    outcome,
    ...(outcome === 'call_back' ? { callBackAt: new Date(Date.now() + 3600_000).toISOString() } : {}),
    ...(outcome === 'reached'
      ? {
          answers: [
            { questionId: 'q1', value: Math.random() < 0.5 },
            { questionId: 'q2', value: QUESTIONS[1].options?.[Math.floor(Math.random() * 3)] },
          ],
        }
      : {}),
  };
}

// ---- HTTP client -----------------------------------------------------------------------------

const agent = new http.Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 512 });

interface HttpResult {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: bench client, JSON bodies checked where used
  body: any;
}

/** One JSON request; rejects on connection errors (refused, reset) so callers can retry. */
function request(port: number, method: string, urlPath: string, token: string | null, body?: unknown) {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise<HttpResult>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: urlPath,
        agent,
        timeout: 900_000,
        headers: {
          origin: `http://127.0.0.1:${port}`,
          ...(token ? { cookie: `${SESSION_COOKIE}=${token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {}
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

async function expectOk(p: Promise<HttpResult>, what: string) {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

// ---- server child processes ------------------------------------------------------------------

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

interface ServerChild {
  port: number;
  child: ChildProcess;
  output: () => string;
}

/** PostgreSQL pool per server instance (DATABASE_POOL_SIZE): one instance 40, two instances 30 each. */
const POOL_ONE = 40;
const POOL_TWO = 30;

async function startServerChild(databaseUrl: string, port: number, poolSize: number): Promise<ServerChild> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'draht-bench-calling-'));
  const child = spawn(process.execPath, ['src/server/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: String(poolSize),
      DATA_DIR: dataDir,
      DRAHT_DEMO: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}:\n${out}`);
    try {
      const r = await request(port, 'GET', '/api/health', null);
      if (r.status === 200) break;
    } catch {}
    if (Date.now() - t0 > 60_000) throw new Error(`server did not start in 60 s:\n${out}`);
    await sleep(100);
  }
  return { port, child, output: () => out };
}

async function stopServerChild(s: ServerChild) {
  if (s.child.exitCode !== null || s.child.signalCode) return;
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000).then(() => s.child.kill('SIGKILL'))]);
}

// ---- simulated callers -----------------------------------------------------------------------

interface RunStats {
  nextMs: number[];
  outcomeMs: number[];
  cycles: number;
  /** Cycles whose outcome was acknowledged before the end of the run (the rate counts these). */
  inWindow: number;
  empty: number;
  httpErrors: number;
  connectionErrors: number;
  acknowledged: { callId: string; clientId: string }[];
  abandoned: { callId: string; personId: string }[];
}

const newStats = (): RunStats => ({
  nextMs: [],
  outcomeMs: [],
  cycles: 0,
  inWindow: 0,
  empty: 0,
  httpErrors: 0,
  connectionErrors: 0,
  acknowledged: [],
  abandoned: [],
});

/**
 * One caller: next → outcome → next … until `stop()`. Connection errors (server gone) are retried
 * after 50 ms; an outcome is retried with the same clientId, so a repeat is answered, not doubled.
 * `abandon()` true right after a claim: the caller walks away without an outcome (a dead client).
 */
async function callerLoop(o: {
  port: () => number;
  token: string;
  assignmentId: string;
  stop: () => boolean;
  stats: RunStats;
  abandon?: () => boolean;
}) {
  const { stats } = o;
  while (!o.stop()) {
    const t0 = performance.now();
    let next: HttpResult;
    try {
      next = await request(o.port(), 'POST', `/api/call-assignments/${o.assignmentId}/next`, o.token);
    } catch {
      stats.connectionErrors++;
      await sleep(50);
      continue;
    }
    stats.nextMs.push(performance.now() - t0);
    if (next.status !== 200) {
      stats.httpErrors++;
      if (process.argv.includes('--verbose'))
        console.log('(next', next.status, JSON.stringify(next.body), ')');
      await sleep(50);
      continue;
    }
    const call = next.body.call as { id: string; person: { id: string } } | null;
    if (!call) {
      stats.empty++;
      await sleep(200);
      continue;
    }
    if (o.abandon?.()) {
      stats.abandoned.push({ callId: call.id, personId: call.person.id });
      return;
    }
    const body = outcomeBody(pickOutcome());
    for (;;) {
      const t1 = performance.now();
      try {
        const res = await request(o.port(), 'POST', `/api/calls/${call.id}/outcome`, o.token, body);
        stats.outcomeMs.push(performance.now() - t1);
        if (res.status === 200 && res.body?.ok === true) {
          stats.cycles++;
          if (!o.stop()) stats.inWindow++;
          stats.acknowledged.push({ callId: call.id, clientId: body.clientId });
        } else {
          stats.httpErrors++;
          if (process.argv.includes('--verbose'))
            console.log('(outcome', res.status, JSON.stringify(res.body), ')');
        }
        break;
      } catch {
        stats.connectionErrors++;
        await sleep(50);
      }
    }
  }
}

// ---- setup -----------------------------------------------------------------------------------

export interface Setup {
  db: Db;
  databaseUrl: string;
  rootId: string;
  queryId: string;
  adminToken: string;
  callers: { id: string; token: string }[];
}

async function createUsers(db: Db, rootId: string, n: number, role: 'admin' | 'caller', prefix: string) {
  const { rows } = await sql<{ id: string }>`
    insert into users (email, name, password_hash)
    select ${prefix} || i || '@bench.example.org', 'Bench ' || ${prefix} || ' ' || i, 'not-a-password-hash'
    from generate_series(1, ${n}::int) i
    returning id`.execute(db);
  const ids = rows.map((r) => r.id);
  await sql`insert into memberships (user_id, org_id, role)
    select unnest(${ids}::uuid[]), ${rootId}::uuid, ${role}`.execute(db);
  await sql`insert into instruction_confirmations (user_id, version)
    select unnest(${ids}::uuid[]), (select max(version) from instruction_versions)`.execute(db);
  const tokens = ids.map(() => newToken());
  await sql`insert into sessions (id, user_id, expires_at, user_agent)
    select unnest(${tokens.map(hashToken)}::text[]), unnest(${ids}::uuid[]), now() + interval '1 day', 'bench'`.execute(
    db,
  );
  return ids.map((id, i) => ({ id, token: tokens[i] }));
}

/** A new open assignment on the "everyone" list with all callers added (through the API). */
async function createAssignment(s: Setup, port: number, title: string, lockMinutes = 10): Promise<string> {
  const a = await expectOk(
    request(port, 'POST', '/api/call-assignments', s.adminToken, {
      orgId: s.rootId,
      title,
      targetQueryId: s.queryId,
      questions: QUESTIONS,
      callingHours: ALL_WEEK,
      lockMinutes,
      status: 'open',
    }),
    'create assignment',
  );
  for (let i = 0; i < s.callers.length; i += 20) {
    await Promise.all(
      s.callers
        .slice(i, i + 20)
        .map((c) =>
          expectOk(
            request(port, 'POST', `/api/call-assignments/${a.id}/callers`, s.adminToken, { userId: c.id }),
            'add caller',
          ),
        ),
    );
  }
  return a.id;
}

// ---- checks from the data --------------------------------------------------------------------

/**
 * Double claims: in these runs nobody may be called twice (cooldown 24 h, call-backs in 1 h, done
 * after reached, phones outdated after wrong_number), so every (assignment, person) with more than
 * one calls row is a double claim; `overlapping` counts pairs whose claim→outcome intervals overlap.
 */
async function doubleClaims(db: Db, assignmentId: string) {
  const { rows } = await sql<{ repeated: number; overlapping: number; calls: number }>`
    select
      (select count(*)::int from (select person_id from calls where assignment_id = ${assignmentId}::uuid
         group by person_id having count(*) > 1) x) as repeated,
      (select count(*)::int from calls a join calls b
         on b.assignment_id = a.assignment_id and b.person_id = a.person_id and a.id < b.id
        and a.started_at < b.ended_at and b.started_at < a.ended_at
       where a.assignment_id = ${assignmentId}::uuid) as overlapping,
      (select count(*)::int from calls where assignment_id = ${assignmentId}::uuid) as calls`.execute(db);
  if (rows[0].repeated && process.argv.includes('--verbose')) {
    const detail = await sql`
      select person_id, id, caller_id, started_at, ended_at, outcome from calls
      where assignment_id = ${assignmentId}::uuid and person_id in (
        select person_id from calls where assignment_id = ${assignmentId}::uuid group by person_id having count(*) > 1)
      order by person_id, started_at limit 20`.execute(db);
    console.log('(repeated calls:)', detail.rows);
  }
  return rows[0];
}

// ---- the API runs ----------------------------------------------------------------------------

/**
 * The first "next" of a fresh assignment syncs its queue (a call_targets row per target, one
 * statement) before it claims: timed on its own, before the load starts. The caller keeps that claim
 * (its first "next" in the load returns it again).
 */
async function firstNext(s: Setup, port: number, assignmentId: string) {
  const t0 = performance.now();
  const r = await expectOk(
    request(port, 'POST', `/api/call-assignments/${assignmentId}/next`, s.callers[0].token),
    'first next',
  );
  const ms = performance.now() - t0;
  if (!r.call) throw new Error(`first next: no call (${JSON.stringify(r)})`);
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from call_targets where assignment_id = ${assignmentId}::uuid`.execute(s.db);
  return { ms, targets: rows[0].n };
}

/** Finished runs close their assignment, so the periodic sync job leaves it alone in later runs. */
async function closeAssignment(s: Setup, assignmentId: string) {
  await s.db
    .updateTable('callAssignments')
    .set({ status: 'closed' })
    .where('id', '=', assignmentId)
    .execute();
}

async function apiRun(s: Setup, label: string, ports: number[], seconds: number) {
  const assignmentId = await createAssignment(s, ports[0], `Bench ${label}`);
  const sync = await firstNext(s, ports[0], assignmentId);
  const stats = newStats();
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    s.callers.map((c, i) =>
      callerLoop({
        port: () => ports[i % ports.length],
        token: c.token,
        assignmentId,
        stop: () => performance.now() >= end,
        stats,
      }),
    ),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const check = await doubleClaims(s.db, assignmentId);
  await closeAssignment(s, assignmentId);
  return { stats, elapsed, check, rate: stats.inWindow / seconds, assignmentId, sync };
}

function printApi(name: string, r: Awaited<ReturnType<typeof apiRun>>, baselineRate: number) {
  const f = (x: number) => x.toFixed(1);
  console.log(
    `bench ${name} first next (queue sync of ${r.sync.targets} call_targets rows + claim): ${(r.sync.ms / 1000).toFixed(1)} s (before the timed window)`,
  );
  console.log(
    `bench ${name}: ${r.rate.toFixed(1)} cycles/s, ${r.stats.inWindow} calls in the window (${r.stats.cycles} incl. the requests in flight at the end, drained after ${r.elapsed.toFixed(0)} s) (${(r.rate / baselineRate).toFixed(2)} of raw SQL baseline ${Math.round(baselineRate)} cycles/s)`,
  );
  console.log(
    `bench ${name} next: ${f(percentile(r.stats.nextMs, 50))} ms p50, ${f(percentile(r.stats.nextMs, 99))} ms p99 (goal p99 < 50 ms); outcome: ${f(percentile(r.stats.outcomeMs, 50))} ms p50, ${f(percentile(r.stats.outcomeMs, 99))} ms p99`,
  );
  console.log(
    `bench ${name} double claims: ${r.check.repeated} (overlapping ${r.check.overlapping}); ${r.check.calls} calls rows, ${r.stats.empty} empty answers, ${r.stats.httpErrors} HTTP errors, ${r.stats.connectionErrors} connection errors`,
  );
}

// ---- the raw SQL baseline --------------------------------------------------------------------

/**
 * The same work in minimal raw SQL over a pg pool, mirroring the server's claim: a sync insert of
 * the assignment's call_targets rows first (timed, before the window), then per cycle the claim
 * phases of calls.repo `claimNextTarget` — due call-backs (call_targets_call_back_idx), then everyone
 * else walked by call_targets_queue_idx (`last_attempt_at nulls first, person_id`) — each one
 * statement with the same eligibility rules, `FOR UPDATE OF t SKIP LOCKED` and the lock insert; then
 * in one transaction insert the calls row, update call_targets, delete the lock.
 */
async function baselineRun(s: Setup, seconds: number, poolSize: number) {
  const { id: assignmentId } = await s.db
    .insertInto('callAssignments')
    .values({
      orgId: s.rootId,
      title: 'Bench raw SQL baseline',
      targetQueryId: s.queryId,
      questions: JSON.stringify(QUESTIONS),
      callingHours: JSON.stringify(ALL_WEEK),
      status: 'open',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const pool = new pg.Pool({ connectionString: s.databaseUrl, max: poolSize });
  await Promise.all(Array.from({ length: poolSize }, () => pool.query('select 1')));
  const ts = performance.now();
  const synced = await pool.query(
    `insert into call_targets (assignment_id, person_id)
     select $1, p.id from people p where p.org_id in (select descendant_id from org_tree where ancestor_id = $2)
     on conflict do nothing`,
    [assignmentId, s.rootId],
  );
  const sync = { ms: performance.now() - ts, targets: synced.rowCount ?? 0 };
  const stats = newStats();
  const claimSql = (where: string, order: string) => `
    with candidate as (
      select t.person_id as id
      from call_targets t
      join people p on p.id = t.person_id
      where t.assignment_id = $1 and not t.done and ${where}
        and p.org_id in (select descendant_id from org_tree where ancestor_id = $2)
        and not p.do_not_call
        and exists (select 1 from person_phones ph where ph.person_id = p.id and ph.status = 'valid')
        and not exists (select 1 from call_locks l where l.assignment_id = $1 and l.person_id = t.person_id
                        and l.locked_until > now())
      order by ${order}
      limit 1
      for update of t skip locked
    ), claimed as (
      insert into call_locks (id, assignment_id, person_id, caller_id, locked_until)
      select $3, $1, c.id, $4, now() + interval '10 minutes' from candidate c
      on conflict (assignment_id, person_id) do update
        set id = excluded.id, caller_id = excluded.caller_id, claimed_at = now(), locked_until = excluded.locked_until
        where call_locks.locked_until <= now()
      returning id, person_id, claimed_at
    )
    select claimed.* from (select 1) as one join claimed on true`;
  const phases = [
    claimSql(
      't.call_back_at is not null and t.call_back_at <= now()',
      '(t.call_back_caller_id is not distinct from $4) desc, t.call_back_at, t.person_id',
    ),
    claimSql(
      `t.call_back_at is null and t.attempts < 3 and (t.cooldown_until is null or t.cooldown_until <= now())`,
      't.last_attempt_at nulls first, t.person_id',
    ),
  ];
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  const worker = async (callerId: string) => {
    while (performance.now() < end) {
      const tc = performance.now();
      let lock: { id: string; person_id: string; claimed_at: Date } | undefined;
      for (const phase of phases) {
        lock = (await pool.query(phase, [assignmentId, s.rootId, randomUUID(), callerId])).rows[0];
        if (lock) break;
      }
      stats.nextMs.push(performance.now() - tc);
      if (!lock) {
        stats.empty++;
        continue;
      }
      const outcome = pickOutcome();
      const body = outcomeBody(outcome);
      const done = outcome === 'reached';
      const cooldown = outcome === 'no_answer' || outcome === 'busy';
      const tu = performance.now();
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(
          `insert into calls (id, client_id, assignment_id, person_id, org_id, caller_id, started_at, outcome, call_back_at, answers)
           select $1, $2, $3, p.id, p.org_id, $4, $5, $6, $7, $8 from people p where p.id = $9`,
          [
            lock.id,
            body.clientId,
            assignmentId,
            callerId,
            lock.claimed_at,
            outcome,
            body.callBackAt ?? null,
            JSON.stringify(body.answers ?? []),
            lock.person_id,
          ],
        );
        await client.query(
          `update call_targets set attempts = attempts + 1, last_attempt_at = now(), last_outcome = $3,
             done = done or $4, reached = reached or $4,
             cooldown_until = case when $5 then now() + interval '24 hours' end,
             call_back_at = $6, call_back_caller_id = $7
           where assignment_id = $1 and person_id = $2`,
          [
            assignmentId,
            lock.person_id,
            outcome,
            done,
            cooldown,
            body.callBackAt ?? null,
            outcome === 'call_back' ? callerId : null,
          ],
        );
        await client.query('delete from call_locks where id = $1', [lock.id]);
        if (outcome === 'wrong_number')
          await client.query(
            `update person_phones set status = 'outdated' where person_id = $1 and status = 'valid'`,
            [lock.person_id],
          );
        await client.query('commit');
      } catch (err) {
        await client.query('rollback');
        throw err;
      } finally {
        client.release();
      }
      stats.outcomeMs.push(performance.now() - tu);
      stats.cycles++;
      if (performance.now() < end) stats.inWindow++;
    }
  };
  await Promise.all(s.callers.map((c) => worker(c.id)));
  const elapsed = (performance.now() - t0) / 1000;
  await pool.end();
  const check = await doubleClaims(s.db, assignmentId);
  await closeAssignment(s, assignmentId);
  return { stats, elapsed, check, rate: stats.inWindow / seconds, assignmentId, sync };
}

// ---- the crash run ---------------------------------------------------------------------------

async function crashRun(s: Setup, seconds: number) {
  const port = await freePort();
  let server = await startServerChild(s.databaseUrl, port, POOL_ONE);
  const assignmentId = await createAssignment(s, port, 'Bench crash', 1);
  const sync = await firstNext(s, port, assignmentId);
  const stats = newStats();
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  let killed = false;
  let dying = 10;
  const loops = Promise.all(
    s.callers.map((c) =>
      callerLoop({
        port: () => port,
        token: c.token,
        assignmentId,
        stop: () => performance.now() >= end,
        stats,
        // After the crash, ten callers walk away from the claim they hold (dead clients).
        abandon: () => killed && dying-- > 0,
      }),
    ),
  );
  await sleep((seconds * 1000) / 3);
  const beforeKill = stats.cycles;
  server.child.kill('SIGKILL');
  killed = true;
  const tk = performance.now();
  await new Promise((r) =>
    server.child.exitCode !== null || server.child.signalCode ? r(null) : server.child.once('exit', r),
  );
  server = await startServerChild(s.databaseUrl, port, POOL_ONE);
  const downMs = performance.now() - tk;
  await loops;
  const elapsed = (performance.now() - t0) / 1000;

  // Every acknowledged outcome stored, by call id and clientId.
  const ids = stats.acknowledged.map((a) => a.callId);
  const stored = await sql<{ id: string; clientId: string }>`
    select id, client_id as "clientId" from calls where id = any(${ids}::uuid[])`.execute(s.db);
  const byId = new Map(stored.rows.map((r) => [r.id, r.clientId]));
  const lost = stats.acknowledged.filter((a) => byId.get(a.callId) !== a.clientId).length;
  const check = await doubleClaims(s.db, assignmentId);

  // Abandoned claims: wait until their locks expire, then the server's claim statement must be able
  // to take each of those people again (target narrowed to that person, a caller without a lock).
  const abandonedIds = stats.abandoned.map((a) => a.callId);
  const waitUntil = await sql<{ until: Date | null }>`
    select max(locked_until) as until from call_locks where id = any(${abandonedIds}::uuid[])`.execute(s.db);
  const until = waitUntil.rows[0]?.until;
  if (until) await sleep(Math.max(0, new Date(until).getTime() - Date.now() + 1500));
  const blocking = await sql<{ n: number }>`
    select count(*)::int as n from call_locks where assignment_id = ${assignmentId}::uuid and locked_until > now()`.execute(
    s.db,
  );
  let reclaimed = 0;
  const free = s.callers.slice(-stats.abandoned.length - 20).slice(0, stats.abandoned.length);
  for (const [i, a] of stats.abandoned.entries()) {
    const { claim: lock } = await claimNextTarget(
      s.db,
      {
        assignmentId,
        orgId: s.rootId,
        callerId: free[i].id,
        target: sql<boolean>`p.id = ${a.personId}::uuid`,
        maxAttempts: 3,
        lockMinutes: 1,
        prioritisedTagIds: [],
        excludedTagIds: [],
      },
      'fresh',
    ).catch(() => ({ claim: undefined }));
    if (lock?.personId === a.personId) reclaimed++;
  }
  await stopServerChild(server);
  return {
    stats,
    elapsed,
    lost,
    check,
    downMs,
    beforeKill,
    blocking: blocking.rows[0].n,
    reclaimed,
    sync,
  };
}

/** A second sync of an already synced queue (staleBefore null: it runs), as the periodic job does. */
async function resyncTime(s: Setup, assignmentId: string) {
  const a = await s.db
    .selectFrom('callAssignments')
    .selectAll()
    .where('id', '=', assignmentId)
    .executeTakeFirstOrThrow();
  const target = await compileTarget(s.db, a);
  const t0 = performance.now();
  await syncTargets(s.db, { assignmentId, orgId: s.rootId, target, staleBefore: null });
  const ms = performance.now() - t0;
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from call_targets where assignment_id = ${assignmentId}::uuid`.execute(s.db);
  return { ms, targets: rows[0].n };
}

// ---- profile of the claim --------------------------------------------------------------------

/** EXPLAIN ANALYZE of the server's claim statement (captured from calls.repo, rolled back). */
export async function explainClaim(s: Setup, assignmentId: string) {
  let captured: CompiledQuery | undefined;
  const pool = new pg.Pool({ connectionString: s.databaseUrl, max: 1 });
  const capture = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin()],
    log: (e) => {
      if (e.level === 'query' && e.query.sql.includes('insert into call_locks')) captured = e.query;
    },
  });
  const a = await s.db
    .selectFrom('callAssignments')
    .selectAll()
    .where('id', '=', assignmentId)
    .executeTakeFirstOrThrow();
  const target = await compileTarget(s.db, a);
  const opts = {
    assignmentId,
    orgId: s.rootId,
    callerId: s.callers[0].id,
    target,
    maxAttempts: a.maxAttempts,
    lockMinutes: 1,
    prioritisedTagIds: [],
    excludedTagIds: [],
  };
  for (const phase of ['callBack', 'fresh'] as ClaimPhase[]) {
    captured = undefined;
    await capture
      .transaction()
      .execute(async (trx) => {
        await claimNextTarget(trx, opts, phase);
        throw new Error('rollback');
      })
      .catch(() => {});
    const q = captured as CompiledQuery | undefined;
    if (!q) continue;
    const client = new pg.Client({ connectionString: s.databaseUrl });
    await client.connect();
    try {
      await client.query('begin');
      const res = await client.query(`explain (analyze, buffers) ${q.sql}`, [...q.parameters]);
      await client.query('rollback');
      console.log(`(EXPLAIN ANALYZE of the claim statement of calls.repo claimNextTarget, phase ${phase}:)`);
      for (const row of res.rows) console.log(`  ${row['QUERY PLAN']}`);
    } finally {
      await client.end();
    }
  }
  await capture.destroy();
}

// ---- the bench -------------------------------------------------------------------------------

export async function benchCalling(handle: DatabaseHandle, count: number) {
  if (handle.kind !== 'postgres' || !handle.connectionString)
    throw new Error('bench calling needs PostgreSQL: set DATABASE_URL');
  const seconds = numberArg('--seconds', 60);
  const { db } = handle;
  const root = await insertOrg(db, {
    parentId: null,
    name: 'Bund',
    kind: 'federal',
    slug: 'bund',
    postalCodes: [],
  });
  const tg = performance.now();
  await generatePeople(db, { count, rootOrgId: root.id, batchSize: 5000 });
  await sql`analyze`.execute(db);
  const phones = await sql<{
    n: number;
  }>`select count(distinct person_id)::int as n from person_phones`.execute(db);
  console.log(
    `(generated ${count} people, ${phones.rows[0].n} with a phone, in ${((performance.now() - tg) / 1000).toFixed(0)} s)`,
  );
  const [admin] = await createUsers(db, root.id, 1, 'admin', 'admin');
  const callers = await createUsers(db, root.id, CALLERS, 'caller', 'caller');

  const port1 = await freePort();
  const server1 = await startServerChild(handle.connectionString, port1, POOL_ONE);
  const query = await expectOk(
    request(port1, 'POST', '/api/queries', admin.token, {
      orgId: root.id,
      name: 'Alle',
      filter: { kind: 'group', op: 'and', children: [] },
    }),
    'create query',
  );
  const s: Setup = {
    db,
    databaseUrl: handle.connectionString,
    rootId: root.id,
    queryId: query.id,
    adminToken: admin.token,
    callers,
  };
  const cores = os.cpus().length;
  // The claim's plan depends on call_targets statistics right after a sync (see RESULTS.md).
  const autovacuum = await sql<{ on: string }>`select current_setting('autovacuum') as on`.execute(db);
  console.log(`(PostgreSQL autovacuum: ${autovacuum.rows[0].on})`);
  console.log(
    `(${CALLERS} callers, ${seconds} s per run; load generator, server(s) and PostgreSQL share ${cores} cores)`,
  );

  // 1. API, one instance.
  const one = await apiRun(s, 'one instance', [port1], seconds);
  await stopServerChild(server1);
  const resync = await resyncTime(s, one.assignmentId);

  // 2. Raw SQL baseline (no server running), pool size limited by max_connections.
  const conn = await sql<{ max: number; used: number }>`
    select current_setting('max_connections')::int as max, (select count(*)::int from pg_stat_activity) as used`.execute(
    db,
  );
  // Like the one-instance server's pool (fewer if other sessions use the connections).
  const poolSize = Math.max(4, Math.min(POOL_ONE, conn.rows[0].max - conn.rows[0].used - 15));
  const base = await baselineRun(s, seconds, poolSize);
  const f = (x: number) => x.toFixed(1);
  console.log(
    `bench calling-baseline: ${Math.round(base.rate)} cycles/s raw SQL, ${CALLERS} workers on a pool of ${poolSize} connections (max_connections ${conn.rows[0].max}); claim ${f(percentile(base.stats.nextMs, 50))} ms p50, ${f(percentile(base.stats.nextMs, 99))} ms p99; record ${f(percentile(base.stats.outcomeMs, 50))} ms p50, ${f(percentile(base.stats.outcomeMs, 99))} ms p99; double claims ${base.check.repeated} (overlapping ${base.check.overlapping}); ${base.stats.empty} empty claims`,
  );
  console.log(
    `bench calling-baseline sync insert of ${base.sync.targets} call_targets rows: ${(base.sync.ms / 1000).toFixed(1)} s (before the timed window)`,
  );
  console.log(
    `(API server pools: DATABASE_POOL_SIZE ${POOL_ONE} for one instance, ${POOL_TWO} each for two; baseline pool ${poolSize})`,
  );
  printApi('calling', one, base.rate);
  console.log(
    `bench calling resync of the synced queue (${resync.targets} targets, no new rows; what the 5-minute sync costs): ${(resync.ms / 1000).toFixed(1)} s`,
  );
  console.log(
    `bench calling cycles/s API as a ratio of raw SQL: ${(one.rate / base.rate).toFixed(2)} (goal ≥ 0.50)`,
  );

  // 3. API, two instances on the same database, callers split between them.
  const portA = await freePort();
  const serverA = await startServerChild(handle.connectionString, portA, POOL_TWO);
  const portB = await freePort();
  const serverB = await startServerChild(handle.connectionString, portB, POOL_TWO);
  const two = await apiRun(s, 'two instances', [portA, portB], seconds);
  await stopServerChild(serverA);
  await stopServerChild(serverB);
  printApi('calling-2-instances', two, base.rate);

  if (process.argv.includes('--explain')) await explainClaim(s, one.assignmentId);

  // 4. Crash: kill -9 during load, restart, clients retry.
  const crash = await crashRun(s, seconds);
  console.log(
    `bench calling-crash first next (queue sync of ${crash.sync.targets} rows + claim): ${(crash.sync.ms / 1000).toFixed(1)} s (before the load)`,
  );
  console.log(
    `bench calling-crash: ${crash.stats.cycles} acknowledged outcomes in ${crash.elapsed.toFixed(0)} s (${crash.beforeKill} before the kill -9), server down ${(crash.downMs / 1000).toFixed(1)} s, ${crash.stats.connectionErrors} connection errors retried`,
  );
  console.log(`bench calling-crash acknowledged outcomes lost: ${crash.lost}`);
  console.log(
    `bench calling-crash double claims: ${crash.check.repeated} (overlapping ${crash.check.overlapping})`,
  );
  console.log(
    `bench calling-crash abandoned claims: ${crash.stats.abandoned.length}, unexpired locks after expiry: ${crash.blocking}, claimed again: ${crash.reclaimed} of ${crash.stats.abandoned.length}`,
  );
  agent.destroy();
}
