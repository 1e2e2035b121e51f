import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { ALWAYS_OPEN, loginAs, makeOrgTree, type OrgTree } from '../../../test/factories.ts';
import { compileFilterIn } from '../calls/call-assignments.service.ts';
import { rebuildCallAggregates, snapshotCallAggregates } from '../calls/calls.repo.ts';
import * as aggregates from './campaign-aggregates.repo.ts';
import * as repo from './campaign-stats.repo.ts';
import { countCampaignTargetsByUnit, sumTargetSnapshot } from './campaign-targets.repo.ts';
import { campaignTargetFigures, refreshCampaignTargets } from './campaign-targets.service.ts';

/**
 * The evaluation aggregates (kept by the triggers on calls) against a full recount and against
 * the statements over the calls, after a randomised run of outcomes by concurrent callers, a
 * resolved follow-up, an erasure, an answer edit, moved call times, a caller gone and a new time
 * zone of the campaign's unit.
 */

let t: TestApp;
let orgs: OrgTree;
let federal: Client;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  federal = await loginAs(t, 'organizer', orgs.bund);
});
afterAll(() => t.close());

/** A small seeded generator (mulberry32): the run is random but repeatable. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const SEED = Number(process.env.AGGREGATES_SEED ?? 18);
const rnd = random(SEED);
const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)] as T;

const OUTCOMES = ['reached', 'reached', 'no_answer', 'busy', 'voicemail', 'not_interested', 'other'] as const;

function answersFor() {
  const answers: { questionId: string; value: unknown }[] = [];
  if (rnd() < 0.9) answers.push({ questionId: 'support', value: rnd() < 0.6 });
  if (rnd() < 0.8) answers.push({ questionId: 'topic', value: pick(['Miete', 'Klima', 'Arbeit']) });
  if (rnd() < 0.7)
    answers.push({ questionId: 'ways', value: ['Tür', 'Telefon', 'Stand'].filter(() => rnd() < 0.5) });
  if (rnd() < 0.5) answers.push({ questionId: 'mood', value: 1 + Math.floor(rnd() * 5) });
  if (rnd() < 0.4)
    answers.push({ questionId: 'wish', value: `Mehr ${pick(['Busse', 'Parks', 'Wohnungen'])}` });
  return answers;
}

async function compareWithCalls(campaignId: string, scopes: repo.StatsScope[]) {
  const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();
  const dims: repo.Dimension[] = [
    { kind: 'region' },
    { kind: 'outcome' },
    { kind: 'day' },
    { kind: 'hour' },
    { kind: 'caller' },
    { kind: 'question', id: 'topic' },
    { kind: 'question', id: 'ways' },
    { kind: 'question', id: 'support' },
    { kind: 'question', id: 'mood' },
  ];
  for (const s of scopes) {
    const label = JSON.stringify({ ...s, campaignId: campaignId === s.campaignId });
    expect(sorted(await aggregates.groupedCounts(t.db, s)), `groupedCounts ${label}`).toEqual(
      sorted(await repo.groupedCounts(t.db, s)),
    );
    expect([...(await aggregates.peopleByRegion(t.db, s))].sort(), `peopleByRegion ${label}`).toEqual(
      [...(await repo.peopleByRegion(t.db, s))].sort(),
    );
    expect(sorted(await aggregates.answerCounts(t.db, s)), `answerCounts ${label}`).toEqual(
      sorted(await repo.answerCounts(t.db, s)),
    );
    for (const other of dims)
      for (const [rows, columns] of [
        [{ kind: 'region' } as repo.Dimension, other],
        [other, { kind: 'region' } as repo.Dimension],
      ]) {
        expect(aggregates.crosstabFromAggregates(rows, columns)).toBe(true);
        expect(
          sorted(await aggregates.crosstabCounts(t.db, s, rows, columns)),
          `crosstab ${rows.kind} × ${columns.kind} ${label}`,
        ).toEqual(sorted(await repo.crosstabCounts(t.db, s, rows, columns)));
      }
  }
}

async function expectRecountEqual() {
  const kept = await snapshotCallAggregates(t.db);
  await rebuildCallAggregates(t.db);
  const recount = await snapshotCallAggregates(t.db);
  expect(kept.counts.length).toBeGreaterThan(0);
  expect(kept).toEqual(recount);
}

describe('evaluation aggregates', () => {
  it('equal a full recount and the counts over the calls after a randomised run', async () => {
    const res = await federal.post('/api/campaigns', {
      orgId: orgs.bund,
      title: 'Aggregate',
      targetFilter: {
        kind: 'group',
        op: 'and',
        children: [{ kind: 'field', field: 'lastName', op: 'startsWith', value: 'Agg' }],
      },
      questions: [
        { id: 'support', type: 'yes_no', text: 'Unterstützt du uns?' },
        { id: 'topic', type: 'single_choice', text: 'Thema?', options: ['Miete', 'Klima', 'Arbeit'] },
        { id: 'ways', type: 'multiple_choice', text: 'Wie?', options: ['Tür', 'Telefon', 'Stand'] },
        { id: 'mood', type: 'scale', text: 'Stimmung?', min: 1, max: 5 },
        { id: 'wish', type: 'free_text', text: 'Wunsch?' },
      ],
      rules: { maxAttempts: 4, cooldownHours: 0, callingHours: ALWAYS_OPEN },
    });
    expect(res.statusCode, res.body).toBe(201);
    const campaign = res.json();
    const centreA = await federal.post(`/api/campaigns/${campaign.id}/call-centres`, {
      orgId: orgs.landA,
      splitBy: 'district',
    });
    const centreB = await federal.post(`/api/campaigns/${campaign.id}/call-centres`, { orgId: orgs.landB });
    const assignmentIds: string[] = [...centreA.json().assignmentIds, ...centreB.json().assignmentIds];

    const units = [orgs.landA, orgs.kreisA1, orgs.ortA1a, orgs.ortA1b, orgs.kreisA2, orgs.ortA2a];
    const people: string[] = [];
    for (const orgId of [...units, ...units, orgs.landB, orgs.kreisB1, orgs.ortB1a, orgs.ortB1a]) {
      const p = await federal.post('/api/people', {
        orgId,
        firstName: 'Ali',
        lastName: `Agg-${randomUUID().slice(0, 6)}`,
        phones: [{ number: '0171 1234567' }],
      });
      expect(p.statusCode, p.body).toBe(201);
      people.push(p.json().id);
    }
    // Two callers per assignment, all calling at the same time.
    const callers: { client: Client; assignmentId: string }[] = [];
    for (const assignmentId of assignmentIds)
      for (let i = 0; i < 2; i++) {
        const client = await loginAs(t, 'caller', orgs.bund);
        const added = await federal.post(`/api/call-assignments/${assignmentId}/callers`, {
          userId: client.userId,
        });
        expect(added.statusCode, added.body).toBe(200);
        callers.push({ client, assignmentId });
      }

    const oneCall = async ({ client, assignmentId }: (typeof callers)[number]) => {
      const next = await client.post(`/api/call-assignments/${assignmentId}/next`);
      expect(next.statusCode, next.body).toBe(200);
      const call = next.json().call;
      if (!call) return;
      const outcome = pick(OUTCOMES);
      const reached = outcome === 'reached';
      const done = await client.post(`/api/calls/${call.id}/outcome`, {
        clientId: randomUUID(),
        outcome,
        ...(reached ? { answers: answersFor(), newsletter: rnd() < 0.3 } : {}),
        ...(rnd() < 0.25 ? { followUp: { reason: 'Bitte zurückmelden' } } : {}),
        ...(rnd() < 0.3 ? { note: 'Notiz' } : {}),
      });
      expect(done.statusCode, done.body).toBe(200);
    };
    for (let round = 0; round < 5; round++) await Promise.all(callers.map(oneCall));

    const calls = await t.db
      .selectFrom('calls')
      .select(['id', 'personId', 'followUpReason', 'assignmentId'])
      .where('assignmentId', 'in', assignmentIds)
      .execute();
    expect(calls.length).toBeGreaterThan(15);
    await expectRecountEqual();

    // Writes after the outcome: a follow-up resolved, call times spread over days and hours, an
    // answer edited, event sign-ups set, a caller gone.
    const followUp = calls.find((c) => c.followUpReason);
    if (followUp)
      expect((await federal.post(`/api/calls/${followUp.id}/follow-up/resolve`)).statusCode).toBe(200);
    for (const c of calls.slice(0, 12))
      await sql`update calls set ended_at = ended_at - make_interval(hours => ${Math.floor(rnd() * 200)}::int)
                where id = ${c.id}::uuid`.execute(t.db);
    await sql`update calls set answers = '[{"questionId":"topic","value":"Klima"},{"questionId":"ways","value":["Stand"]}]'::jsonb
              where id = ${calls[1].id}::uuid`.execute(t.db);
    await sql`update calls set event_ids = array[gen_random_uuid(), gen_random_uuid()] where id = ${calls[2].id}::uuid`.execute(
      t.db,
    );
    await sql`update calls set caller_id = null where id = ${calls[3].id}::uuid`.execute(t.db);
    // A person called in two units of one region (moved between calls): counted once there.
    const twice = calls.find(
      (c) => c.personId && calls.some((o) => o.id !== c.id && o.personId === c.personId),
    )!;
    const seen = await sql<{ orgId: string; inLandA: boolean }>`
      select org_id as "orgId",
             org_id in (select descendant_id from org_tree where ancestor_id = ${orgs.landA}::uuid) as "inLandA"
      from calls where person_id = ${twice.personId}::uuid`.execute(t.db);
    const land = seen.rows[0].inLandA
      ? [orgs.ortA1a, orgs.ortA1b, orgs.ortA2a, orgs.kreisA2, orgs.kreisA1, orgs.landA]
      : [orgs.kreisB1, orgs.ortB1a, orgs.landB];
    const to = land.find((u) => !seen.rows.some((r) => r.orgId === u))!;
    await sql`update calls set org_id = ${to}::uuid where id = ${twice.id}::uuid`.execute(t.db);
    const multi = await sql<{
      n: number;
    }>`select count(*)::int as n from call_people where units > 1`.execute(t.db);
    expect(multi.rows[0].n).toBeGreaterThan(0);
    await expectRecountEqual();

    // Erasure: the person's calls stay anonymous, with the same counts; their id is in no aggregate.
    const erased = calls.find((c) => c.personId)!.personId!;
    expect((await federal.delete(`/api/people/${erased}`)).statusCode).toBe(204);
    const left = await sql<{ n: number }>`
      select count(*)::int as n from call_people where person_key = ${erased}::uuid`.execute(t.db);
    expect(left.rows[0].n).toBe(0);
    await expectRecountEqual();

    // Many outcome transactions at once on the same rows (same assignment, unit, day, hour),
    // each holding its row locks a moment: no deadlock, no lost update.
    const someone = calls.find((c) => c.personId && c.personId !== erased)!;
    const home = await t.db
      .selectFrom('people')
      .select('orgId')
      .where('id', '=', someone.personId!)
      .executeTakeFirstOrThrow();
    const callerIds = callers.map((c) => c.client.userId);
    await Promise.all(
      Array.from({ length: 40 }, () => {
        const outcome = pick(OUTCOMES);
        const callerId = pick(callerIds);
        const answers = outcome === 'reached' ? answersFor() : [];
        return t.db.transaction().execute(async (trx) => {
          await sql`insert into calls (id, client_id, assignment_id, person_id, org_id, caller_id, started_at, outcome, answers)
                    values (gen_random_uuid(), 'concurrent', ${someone.assignmentId}::uuid, ${someone.personId}::uuid,
                            ${home.orgId}::uuid, ${callerId}::uuid, now(), ${outcome}, ${JSON.stringify(answers)}::jsonb)`.execute(
            trx,
          );
          await sql`select pg_sleep(0.02)`.execute(trx);
        });
      }),
    );
    await expectRecountEqual();

    // A new time zone of the campaign's unit recounts days and hours.
    await sql`update org_units set time_zone = 'Asia/Kathmandu' where id = ${orgs.bund}::uuid`.execute(t.db);
    await expectRecountEqual();

    const scope = (orgId: string, extra: Partial<repo.StatsScope> = {}) => ({
      campaignId: campaign.id as string,
      orgId,
      timeZone: 'Asia/Kathmandu',
      ...extra,
    });
    await compareWithCalls(campaign.id, [
      scope(orgs.bund),
      scope(orgs.landA),
      scope(orgs.kreisA1),
      scope(orgs.ortA1a),
      scope(orgs.landB),
      scope(orgs.bund, { assignmentId: assignmentIds[0] }),
      scope(orgs.landA, { assignmentId: assignmentIds[2] }),
    ]);
    await sql`update org_units set time_zone = 'Europe/Berlin' where id = ${orgs.bund}::uuid`.execute(t.db);
    await compareWithCalls(campaign.id, [{ ...scope(orgs.bund), timeZone: 'Europe/Berlin' }]);

    // Target figures: the stored ones per region equal the statement over the people, run now.
    const live = async (orgId: string) => {
      const rows = await countCampaignTargetsByUnit(t.db, {
        campaignId: campaign.id,
        orgId,
        target: await compileFilterIn(t.db, orgId, campaign.targetFilter),
      });
      const stored = await sumTargetSnapshot(t.db, campaign.id, orgId);
      const sum = { ...stored };
      for (const k of Object.keys(sum) as (keyof typeof sum)[])
        sum[k] = rows.reduce((n, r) => n + ((r as unknown as Record<string, number>)[k] ?? 0), 0);
      return { ...sum, targets: stored.targets, done: stored.done, remaining: stored.remaining, stored };
    };
    await refreshCampaignTargets(t.db, campaign.id);
    for (const orgId of [orgs.bund, orgs.landA, orgs.kreisA1, orgs.ortA1a, orgs.landB]) {
      const { stored, ...counted } = await live(orgId);
      const { targets, done, remaining, ...categories } = stored;
      expect({ ...categories, targets, done, remaining }, `targets of ${orgId}`).toEqual(counted);
    }
    // A new person counts after the next recount (the job after an outcome, or the minutely one).
    const before = await campaignTargetFigures(t.db, campaign.id, orgs.bund);
    expect(before.targets).toBe(people.length - 1);
    const added = await federal.post('/api/people', {
      orgId: orgs.ortA2a,
      firstName: 'Neu',
      lastName: `Agg-${randomUUID().slice(0, 6)}`,
      phones: [{ number: '0171 7654321' }],
    });
    expect(added.statusCode).toBe(201);
    await refreshCampaignTargets(t.db, campaign.id);
    const after = await campaignTargetFigures(t.db, campaign.id, orgs.bund);
    expect(after.targets).toBe(before.targets + 1);
    expect(after.notCalledYet).toBe(before.notCalledYet + 1);
  });
});
