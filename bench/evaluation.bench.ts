import os from 'node:os';
import { CamelCasePlugin, type CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { rebuildCallAggregates } from '../src/server/calls/call-aggregates.service.ts';
import { snapshotCallAggregates } from '../src/server/calls/calls.repo.ts';
import {
  campaignCrosstab,
  campaignStats,
  exportCampaign,
} from '../src/server/campaigns/campaign-stats.service.ts';
import { refreshCampaignTargets } from '../src/server/campaigns/campaign-targets.service.ts';
import { createCampaign, joinCallCentre } from '../src/server/campaigns/campaigns.service.ts';
import { loadConfig } from '../src/server/config.ts';
import type { Ctx } from '../src/server/context.ts';
import type { DatabaseHandle, Db } from '../src/server/db/database.ts';
import type { Database } from '../src/server/db/schema.ts';
import { createAppJobs } from '../src/server/job-modules.ts';
import { createMailService } from '../src/server/mail/mail.service.ts';
import { insertOrg } from '../src/server/orgs/orgs.repo.ts';

/**
 * `npm run bench -- evaluation [--count N] [--calls C] [--runs R]` (PostgreSQL only): the campaign
 * evaluation dashboard over C recorded calls (default 1,000,000) of N people (default 250,000).
 * Org tree Bund → 16 Länder → 8 Kreise → 3 Orte; people spread over Länder, Kreise and Orte with
 * raw SQL (90 % with a phone, 3 % do-not-call); a campaign of the Bund (through the services, a
 * superadmin ctx) with 3 national questions and all 16 Länder as call centres (every 4th split by
 * district: 48 assignments); calls in bulk with generate_series over 30 days, 10–20 h local time,
 * ~300 callers, ~35 % reached with answers; call_targets aggregated from the calls.
 * The calls go in with one insert statement, so the aggregate triggers run once over all of them.
 * Measured by calling the service functions directly (no HTTP): campaignStats for the Bund and one
 * Land, campaignCrosstab question × region, and the XLSX export, each against its goal (issue 18
 * §1). Baseline in the same run: a plain `select outcome, count(*) from calls group by outcome`.
 * Then the aggregates kept by the triggers against a rebuild from scratch (timed; `--no-rebuild`
 * skips it and what follows), a per-statement breakdown and EXPLAIN ANALYZE of the statements
 * (`--no-explain` skips them). Calls are inserted 1,000,000 per statement (`--calls 10000000` works).
 */

const QUESTIONS = [
  { id: 'n1', type: 'yes_no' as const, text: 'Kommst du zur Wahl?' },
  {
    id: 'n2',
    type: 'single_choice' as const,
    text: 'Welches Thema ist dir am wichtigsten?',
    options: ['Miete', 'Klima', 'Arbeit', 'Bildung'],
  },
  {
    id: 'n3',
    type: 'multiple_choice' as const,
    text: 'Wie willst du mitmachen?',
    options: ['Haustür', 'Telefon', 'Stand', 'Spende'],
  },
];
const CALLERS = 300;
const TZ = 'Europe/Berlin';

function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} needs a positive whole number`);
  return n;
}

function percentile(samples: number[], p: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** n runs, or fewer (at least 3) when they take longer than budgetMs together. */
async function time(n: number, fn: (i: number) => Promise<unknown>, budgetMs = 60_000): Promise<number[]> {
  const samples: number[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    if (i >= 3 && performance.now() - start > budgetMs) break;
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
  }
  return samples;
}

const ms = (x: number) => x.toFixed(1);

function report(name: string, samples: number[], baseline: number[], goalMs?: number) {
  const p50 = percentile(samples, 50);
  const p95 = percentile(samples, 95);
  const b95 = percentile(baseline, 95);
  const goal = goalMs ? `; goal p95 < ${goalMs} ms ${p95 < goalMs ? 'met' : 'MISSED'}` : '';
  console.log(
    `bench ${name}: ${ms(p95)} ms p95, ${ms(p50)} ms p50, ${samples.length} runs (${(p95 / b95).toFixed(2)} of baseline p95 ${ms(b95)} ms${goal})`,
  );
}

// ---- data ------------------------------------------------------------------------------------

interface Setup {
  db: Db;
  ctx: Ctx;
  campaignId: string;
  bundId: string;
  landId: string;
  calls: number;
}

async function buildOrgs(db: Db) {
  const bund = await insertOrg(db, {
    parentId: null,
    name: 'Bund',
    kind: 'federal',
    slug: 'bund',
    postalCodes: [],
  });
  const lands: { id: string; name: string }[] = [];
  let n = 0;
  for (let l = 0; l < 16; l++) {
    const name = `Land ${String(l + 1).padStart(2, '0')}`;
    const land = await insertOrg(db, {
      parentId: bund.id,
      name,
      kind: 'state',
      slug: `l${l}`,
      postalCodes: [],
    });
    lands.push({ id: land.id, name });
    for (let k = 0; k < 8; k++) {
      const kreis = await insertOrg(db, {
        parentId: land.id,
        name: `Kreis ${l + 1}.${k + 1}`,
        kind: 'district',
        slug: `k${n++}`,
        postalCodes: [],
      });
      for (let o = 0; o < 3; o++)
        await insertOrg(db, {
          parentId: kreis.id,
          name: `Ort ${l + 1}.${k + 1}.${o + 1}`,
          kind: 'local',
          slug: `o${n++}`,
          postalCodes: [],
        });
    }
  }
  return { bundId: bund.id, lands };
}

async function buildData(handle: DatabaseHandle, people: number, callCount: number): Promise<Setup> {
  const { db } = handle;
  const t0 = performance.now();
  const step = (what: string) =>
    console.log(`(${what}: ${((performance.now() - t0) / 1000).toFixed(0)} s since start)`);
  await sql`select setseed(0.7)`.execute(db);
  const { bundId, lands } = await buildOrgs(db);
  step('org tree: 1 + 16 + 128 + 384 units');

  // People: mostly in Orte, a quarter directly in Kreise, a few directly in Länder.
  await sql`
    insert into people (org_id, first_name, last_name, source, source_detail, do_not_call)
    select u.ids[1 + floor(random() * cardinality(u.ids))::int], 'Vorname', 'Name ' || n, 'bench', n::text,
           random() < 0.03
    from generate_series(1, ${people}::int) n,
         (select array_agg(id) as ids from org_units where kind in ('state', 'district', 'local')) u`.execute(
    db,
  );
  await sql`
    insert into person_phones (person_id, raw, e164, type, status, is_primary)
    select id, '0151 ' || source_detail, '+49151' || lpad(source_detail, 8, '0'), 'mobile',
           case when random() < 0.05 then 'outdated' else 'valid' end, true
    from people where random() < 0.9`.execute(db);
  step(`${people} people with phones`);

  const admin = await sql<{ id: string }>`
    insert into users (email, name, is_superadmin) values ('admin@bench.test', 'Admin', true) returning id`.execute(
    db,
  );
  await sql`insert into users (email, name) select 'caller' || n || '@bench.test', 'Anrufer ' || n
            from generate_series(1, ${CALLERS}::int) n`.execute(db);
  const config = loadConfig({ LOG_LEVEL: 'silent', DRAHT_DEMO: '0' });
  const ctx: Ctx = {
    db,
    config,
    mail: createMailService(config),
    jobs: createAppJobs(),
    log: { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} } as unknown as Ctx['log'],
    ip: null,
    actor: {
      userId: admin.rows[0].id,
      email: 'admin@bench.test',
      name: 'Admin',
      locale: 'de',
      isSuperadmin: true,
      memberships: [],
      instructionConfirmed: true,
      via: 'session',
    },
  };

  const campaign = await createCampaign(ctx, {
    orgId: bundId,
    title: 'Wahlkampf 2026',
    targetFilter: { kind: 'group', op: 'and', children: [] },
    questions: QUESTIONS,
    rules: { maxAttempts: 8, cooldownHours: 24 },
    status: 'open',
  });
  for (const [i, land] of lands.entries())
    await joinCallCentre(ctx, campaign.id, { orgId: land.id, splitBy: i % 4 === 0 ? 'district' : 'none' });
  const assignments = await sql<{ n: number }>`
    select count(*)::int as n from call_assignments where campaign_id = ${campaign.id}::uuid`.execute(db);
  step(`campaign with 16 call centres, ${assignments.rows[0].n} assignments (services)`);

  // Which assignment calls a person of a unit: the deepest assignment unit above it.
  await sql`
    create table bench_org_assignment as
    select distinct on (t.descendant_id) t.descendant_id as org_id, a.id as assignment_id
    from org_tree t join call_assignments a on a.org_id = t.ancestor_id
    where a.campaign_id = ${campaign.id}::uuid
    order by t.descendant_id, t.depth`.execute(db);
  // The people who get calls: callable ones, 85 % of them (the rest are still open).
  await sql`
    create table bench_called as
    select row_number() over () as n, p.id, p.org_id, m.assignment_id
    from people p join bench_org_assignment m on m.org_id = p.org_id
    where not p.do_not_call and random() < 0.85
      and exists (select 1 from person_phones ph where ph.person_id = p.id and ph.status = 'valid')`.execute(
    db,
  );
  await sql`create unique index on bench_called (n)`.execute(db);
  await sql`analyze bench_called`.execute(db);

  // In statements of at most 1,000,000 calls (the aggregate triggers run once per statement).
  const CHUNK = 1_000_000;
  for (let from = 1; from <= callCount; from += CHUNK) {
    const to = Math.min(callCount, from + CHUNK - 1);
    await sql`
    insert into calls (id, client_id, assignment_id, person_id, org_id, caller_id, started_at, ended_at, outcome,
                       answers, newsletter, event_ids, follow_up_reason)
    select gen_random_uuid(), 'bench-' || g.n, c.assignment_id, c.id, c.org_id,
           cl.ids[1 + floor(g.rc * cardinality(cl.ids))::int],
           g.ended - make_interval(secs => 30 + floor(g.r7 * 300)::int), g.ended, g.outcome,
           case when g.outcome = 'reached' then jsonb_build_array(
             jsonb_build_object('questionId', 'n1', 'value', g.r1 < 0.6),
             jsonb_build_object('questionId', 'n2', 'value',
               (array['Miete', 'Klima', 'Arbeit', 'Bildung'])[1 + floor(power(g.r2, 1.5) * 4)::int]),
             jsonb_build_object('questionId', 'n3', 'value', to_jsonb(array_remove(array[
               case when g.r3 < 0.5 then 'Haustür' end, case when g.r4 < 0.4 then 'Telefon' end,
               case when g.r5 < 0.3 then 'Stand' end, case when g.r6 < 0.1 then 'Spende' end], null))))
           else '[]'::jsonb end,
           g.outcome = 'reached' and g.r8 < 0.08,
           case when g.outcome = 'reached' and g.r8 > 0.97 then array[gen_random_uuid()] else '{}'::uuid[] end,
           case when g.outcome = 'reached' and g.r8 between 0.5 and 0.53 then 'Möchte mitmachen' end
    from (
      select n, 1 + floor(random() * ${sql.raw('(select max(n) from bench_called)')})::bigint as k, random() as rc,
             random() as r1, random() as r2, random() as r3, random() as r4, random() as r5, random() as r6,
             random() as r7, random() as r8,
             ((current_date - floor(random() * 30)::int)::timestamp
               + make_interval(hours => 10 + floor(random() * 11)::int, mins => floor(random() * 60)::int))
               at time zone ${TZ} as ended,
             (case when x < 0.35 then 'reached' when x < 0.70 then 'no_answer' when x < 0.78 then 'busy'
                   when x < 0.86 then 'voicemail' when x < 0.90 then 'call_back' when x < 0.93 then 'wrong_number'
                   when x < 0.97 then 'not_interested' when x < 0.98 then 'do_not_call' else 'other' end) as outcome
      from (select n, random() as x from generate_series(${from}::int, ${to}::int) n) s
    ) g
    join bench_called c on c.n = g.k
    cross join (select array_agg(id) as ids from users where not is_superadmin) cl`.execute(db);
    step(`${to} calls`);
  }
  await sql`
    insert into call_targets (assignment_id, person_id, attempts, last_attempt_at, last_outcome, done, reached,
                              cooldown_until)
    select assignment_id, person_id, count(*)::int, max(ended_at), (array_agg(outcome order by ended_at desc))[1],
           bool_or(outcome in ('reached', 'not_interested', 'do_not_call')), bool_or(outcome = 'reached'),
           case when (array_agg(outcome order by ended_at desc))[1] in ('no_answer', 'busy')
                then max(ended_at) + interval '24 hours' end
    from calls group by assignment_id, person_id`.execute(db);
  await sql`analyze`.execute(db);
  const f = await sql<{ calls: number; targets: number; reached: number; size: string }>`
    select (select count(*)::int from calls) as calls, (select count(*)::int from call_targets) as targets,
           (select count(*)::int from calls where outcome = 'reached') as reached,
           pg_size_pretty(pg_total_relation_size('calls')) as size`.execute(db);
  const r = f.rows[0];
  step(
    `call_targets; ${r.calls} calls (${r.reached} reached), ${r.targets} call_targets rows, calls table ${r.size}`,
  );
  const land = lands[1]; // a Land without a district split
  return { db, ctx, campaignId: campaign.id, bundId, landId: land.id, calls: r.calls };
}

// ---- statement breakdown -----------------------------------------------------------------------

interface Captured {
  label: string;
  query: CompiledQuery;
  ms: number;
}

const parsers: Record<number, (v: string) => unknown> = { 20: (v) => Number(v), 1082: (v) => v };

/** Runs fn with a ctx whose db logs every statement; returns the statements with their durations. */
function openDb(
  connectionString: string,
  opts: { options?: string; log?: (q: CompiledQuery, ms: number) => void },
) {
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    options: opts.options,
    types: {
      getTypeParser: (oid: number, f?: 'text' | 'binary') =>
        parsers[oid] ?? pg.types.getTypeParser(oid, f as 'text'),
    },
  });
  const log = opts.log;
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin()],
    log: log
      ? (e) => {
          if (e.level === 'query') log(e.query, e.queryDurationMillis);
        }
      : undefined,
  });
}

async function capture(s: Setup, connectionString: string, fn: (ctx: Ctx) => Promise<unknown>) {
  const captured: Captured[] = [];
  const db = openDb(connectionString, {
    log: (query, ms) => captured.push({ label: labelOf(query.sql), query, ms }),
  });
  try {
    await fn({ ...s.ctx, db });
  } finally {
    await db.destroy();
  }
  return captured;
}

function labelOf(text: string) {
  if (text.includes('"call_counts"') && text.includes("'total'")) return 'groupedCounts';
  if (text.includes('grouping sets')) return 'groupedCounts';
  if (text.includes('"call_people"') || text.includes('select distinct region_id')) return 'peopleByRegion';
  if (text.includes('"call_answer_counts"') && text.includes('"questionId"')) return 'answerCounts';
  if (text.includes('jsonb_array_elements(b.answers)') && text.includes('union all')) return 'answerCounts';
  if (
    text.includes('as region, value') ||
    (text.includes('from base b') && text.includes('count(*)::int as n'))
  )
    return 'crosstabCounts';
  if (text.includes('"campaign_target_counts"')) return 'targetFigures';
  if (text.includes('as targets') || text.includes('"noValidPhone"') || text.includes('as "goalMet"'))
    return 'campaignTargets';
  return 'other';
}

function summarise(name: string, list: Captured[]) {
  const by = new Map<string, { n: number; ms: number; max: number }>();
  for (const c of list) {
    const e = by.get(c.label) ?? { n: 0, ms: 0, max: 0 };
    e.n++;
    e.ms += c.ms;
    e.max = Math.max(e.max, c.ms);
    by.set(c.label, e);
  }
  const parts = [...by.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([k, v]) => `${k} ×${v.n} ${ms(v.ms)} ms (max ${ms(v.max)})`);
  console.log(`bench evaluation-breakdown ${name}: ${parts.join('; ')}`);
}

/** Runs the statements one after another (no concurrency) and sums by label. */
async function replay(db: Db, name: string, list: Captured[]) {
  const by = new Map<string, number>();
  for (const c of list) {
    if (c.label === 'other') continue;
    const t0 = performance.now();
    await db.executeQuery(c.query);
    by.set(c.label, (by.get(c.label) ?? 0) + performance.now() - t0);
  }
  console.log(
    `bench evaluation-sequential ${name}: ${[...by.entries()].map(([k, v]) => `${k} ${ms(v)} ms`).join('; ')}`,
  );
}

async function explain(
  db: Db,
  title: string,
  q: CompiledQuery | { sql: string; parameters: readonly unknown[] },
) {
  const res = await db.executeQuery<{ 'QUERY PLAN': string }>({
    sql: `explain (analyze, buffers) ${q.sql}`,
    parameters: q.parameters,
    query: { kind: 'RawNode' } as never,
    queryId: { queryId: 'explain' } as never,
  } as CompiledQuery<{ 'QUERY PLAN': string }>);
  console.log(`(EXPLAIN ANALYZE ${title}:)`);
  for (const row of res.rows) console.log(`  ${row['QUERY PLAN']}`);
}

// ---- the bench -------------------------------------------------------------------------------

export async function benchEvaluation(handle: DatabaseHandle, people: number) {
  if (handle.kind !== 'postgres' || !handle.connectionString)
    throw new Error('bench evaluation needs PostgreSQL: set DATABASE_URL');
  const callCount = numberArg('--calls', 1_000_000);
  const runs = numberArg('--runs', 20);
  const s = await buildData(handle, people, callCount);
  const { db, ctx, campaignId } = s;
  const cfg = await sql<{ v: string; wm: string; pw: string }>`
    select version() as v, current_setting('work_mem') as wm,
           current_setting('max_parallel_workers_per_gather') as pw`.execute(db);
  console.log(
    `(${os.cpus().length} cores; ${cfg.rows[0].v.split(',')[0]}; work_mem ${cfg.rows[0].wm}, max_parallel_workers_per_gather ${cfg.rows[0].pw}; ${runs} runs each (fewer, at least 3, when a case takes over 60 s) after 1 warm-up run, service functions called directly with a superadmin ctx)`,
  );

  const statsBund = () => campaignStats(ctx, campaignId, {});
  const statsLand = () => campaignStats(ctx, campaignId, { orgId: s.landId });
  const crosstab = () => campaignCrosstab(ctx, campaignId, { rows: 'question:n3', columns: 'region' });
  const exportXlsx = () => exportCampaign(ctx, campaignId, { format: 'xlsx' });
  const baselineQuery = () => sql`select outcome, count(*) from calls group by outcome`.execute(db);

  // Sanity: the dashboard agrees with the data.
  const check = await statsBund();
  console.log(
    `(Bund dashboard: ${check.headline.calls} calls, ${check.headline.targets} targets, ${check.headline.attempted} attempted, ${check.headline.reached} reached, ${check.headline.remaining} remaining, ${check.byRegion.length} regions, ${check.byDay.length} days, ${check.byHour.length} hours, ${check.byCaller.length} callers, answers ${check.byQuestion.map((q) => `${q.questionId}:${q.answered}`).join(' ')})`,
  );

  // The job's recount of the campaign's target figures (after outcomes, every minute): not on the
  // dashboard's path, which sums what it stored.
  const refresh = await time(3, () => refreshCampaignTargets(db, campaignId));
  console.log(
    `bench evaluation-targets-refresh: ${ms(percentile(refresh, 50))} ms p50, ${ms(Math.max(...refresh))} ms max (job campaign-targets-refresh over ${people} people)`,
  );

  await time(3, baselineQuery);
  const baseline = await time(runs, baselineQuery);
  console.log(
    `bench evaluation-baseline: ${ms(percentile(baseline, 95))} ms p95, ${ms(percentile(baseline, 50))} ms p50 (select outcome, count(*) from calls group by outcome over ${s.calls} calls)`,
  );
  // Goals of issue 18 §1 (p95, ms); the federal dashboard also below the baseline (ratio < 1).
  const cases: [string, () => Promise<unknown>, number][] = [
    ['evaluation stats bund', statsBund, 500],
    ['evaluation stats land', statsLand, 200],
    ['evaluation crosstab question×region', crosstab, 300],
    ['evaluation export xlsx', exportXlsx, 2000],
  ];
  for (const [name, fn, goal] of cases) {
    await time(1, fn);
    report(name, await time(runs, fn), baseline, goal);
  }
  const sizes = await sql<{ counts: number; people: number; answers: number }>`
    select (select count(*)::int from call_counts) as counts, (select count(*)::int from call_people) as people,
           (select count(*)::int from call_answer_counts) as answers`.execute(db);
  console.log(
    `(aggregate rows: call_counts ${sizes.rows[0].counts}, call_people ${sizes.rows[0].people}, call_answer_counts ${sizes.rows[0].answers}; calls ${s.calls})`,
  );

  // The aggregates the triggers kept while the calls were inserted equal a recount from scratch.
  if (process.argv.includes('--no-rebuild')) return;
  const kept = await snapshotCallAggregates(db);
  const t0 = performance.now();
  await rebuildCallAggregates(db);
  const rebuildMs = performance.now() - t0;
  const recounted = await snapshotCallAggregates(db);
  console.log(
    `bench evaluation-rebuild: ${ms(rebuildMs)} ms (npm run draht -- aggregates rebuild over ${s.calls} calls); triggers' aggregates equal the recount: ${JSON.stringify(kept) === JSON.stringify(recounted)}`,
  );

  // Where the time goes: every statement of one dashboard request, with its duration.
  const url = handle.connectionString;
  const bundStatements = await capture(s, url, (c) => campaignStats(c, campaignId, {}));
  summarise('stats bund (concurrent, as the service runs them)', bundStatements);
  const landStatements = await capture(s, url, (c) => campaignStats(c, campaignId, { orgId: s.landId }));
  summarise('stats land', landStatements);
  await replay(db, 'stats land', landStatements);
  const crossStatements = await capture(s, url, (c) =>
    campaignCrosstab(c, campaignId, { rows: 'question:n3', columns: 'region' }),
  );
  summarise('crosstab', crossStatements);

  if (process.argv.includes('--no-explain')) return;
  const slowest = (list: Captured[], label: string) =>
    list.filter((c) => c.label === label).sort((a, b) => b.ms - a.ms)[0];
  for (const [title, list] of [
    ['Bund', bundStatements],
    ['Land', landStatements],
    ['crosstab', crossStatements],
  ] as const)
    for (const label of [
      'campaignTargets',
      'groupedCounts',
      'peopleByRegion',
      'answerCounts',
      'crosstabCounts',
    ]) {
      const q = slowest(list, label);
      if (q) await explain(db, `${label}, ${title}`, q.query);
    }
}
