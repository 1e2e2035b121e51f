import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { ALWAYS_OPEN, loginAs, makeOrgTree, type OrgTree } from '../../../test/factories.ts';

let t: TestApp;
let orgs: OrgTree;
let federal: Client;
let stateA: Client;
let stateB: Client;
let districtA1: Client;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  federal = await loginAs(t, 'organizer', orgs.bund);
  stateA = await loginAs(t, 'organizer', orgs.landA);
  stateB = await loginAs(t, 'organizer', orgs.landB);
  districtA1 = await loginAs(t, 'organizer', orgs.kreisA1);
});
afterAll(() => t.close());

let seq = 0;
/** A campaign over the members whose last name carries a fresh tag (so campaigns don't share people). */
async function makeCampaign(body: Record<string, unknown> = {}, by: Client = federal, orgId = orgs.bund) {
  const tag = `Kampagne${++seq}`;
  const res = await by.post('/api/campaigns', {
    orgId,
    title: `100.000 Anrufe ${seq}`,
    targetFilter: {
      kind: 'group',
      op: 'and',
      children: [
        { kind: 'status', statuses: ['member'] },
        { kind: 'field', field: 'lastName', op: 'startsWith', value: tag },
      ],
    },
    script: 'Hallo {{firstName}}, hier ist {{callerName}}.',
    questions: [
      { id: 'support', type: 'yes_no', text: 'Unterstützt du die Kampagne?' },
      { id: 'topic', type: 'single_choice', text: 'Wichtigstes Thema?', options: ['Miete', 'Klima'] },
    ],
    rules: { maxAttempts: 3, cooldownHours: 24, callingHours: ALWAYS_OPEN },
    ...body,
  });
  expect(res.statusCode).toBe(201);
  return { campaign: res.json(), tag };
}

async function person(tag: string, orgId: string, body: Record<string, unknown> = {}) {
  const res = await federal.post('/api/people', {
    orgId,
    firstName: 'Mia',
    lastName: `${tag}-${randomUUID().slice(0, 6)}`,
    membershipStatus: 'member',
    phones: [{ number: '0171 1234567' }],
    ...body,
  });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
}

async function callerFor(orgId: string, assignmentId: string, manager: Client) {
  const caller = await loginAs(t, 'caller', orgId);
  expect(
    (await manager.post(`/api/call-assignments/${assignmentId}/callers`, { userId: caller.userId }))
      .statusCode,
  ).toBe(200);
  return caller;
}

/** Calls everyone in the queue with the given answers; returns the people called. */
async function callAll(
  caller: Client,
  assignmentId: string,
  answers: (personId: string) => unknown[],
  outcome = 'reached',
) {
  const people: string[] = [];
  for (let i = 0; i < 20; i++) {
    const { call } = (await caller.post(`/api/call-assignments/${assignmentId}/next`)).json();
    if (!call) return people;
    people.push(call.person.id);
    const res = await caller.post(`/api/calls/${call.id}/outcome`, {
      clientId: randomUUID(),
      outcome,
      ...(outcome === 'reached' ? { answers: answers(call.person.id) } : {}),
    });
    expect(res.statusCode).toBe(200);
  }
  throw new Error('queue did not drain');
}

describe('campaigns and call centres', () => {
  it('creates a campaign, lets two states join (one split by district) and generates their assignments', async () => {
    const { campaign } = await makeCampaign();
    expect(campaign).toMatchObject({ status: 'open', canEdit: true, callCentres: [] });
    expect(campaign.questions.map((q: { id: string }) => q.id)).toEqual(['support', 'topic']);

    const a = await federal.post(`/api/campaigns/${campaign.id}/call-centres`, {
      orgId: orgs.landA,
      splitBy: 'district',
    });
    expect(a.statusCode).toBe(201);
    expect(a.json().assignmentIds).toHaveLength(3); // Kreis A1, Kreis A2, the rest of Land A
    const b = await federal.post(`/api/campaigns/${campaign.id}/call-centres`, { orgId: orgs.landB });
    expect(b.json().assignmentIds).toHaveLength(1);

    const generated = await t.db
      .selectFrom('callAssignments')
      .select(['orgId', 'title', 'excludedOrgIds', 'maxAttempts', 'status'])
      .where('callCentreId', '=', a.json().callCentreId)
      .orderBy('title')
      .execute();
    expect(generated.map((g) => g.orgId).sort()).toEqual([orgs.kreisA1, orgs.kreisA2, orgs.landA].sort());
    expect(generated.find((g) => g.orgId === orgs.landA)?.excludedOrgIds.sort()).toEqual(
      [orgs.kreisA1, orgs.kreisA2].sort(),
    );
    expect(generated.every((g) => g.maxAttempts === 3 && g.status === 'open')).toBe(true);

    // The region sees the campaign with its own call centre only, and may not edit the national part.
    const seenByA = (await stateA.get(`/api/campaigns/${campaign.id}`)).json();
    expect(seenByA.canEdit).toBe(false);
    expect(seenByA.callCentres.map((c: { orgId: string }) => c.orgId)).toEqual([orgs.landA]);
    expect((await stateA.patch(`/api/campaigns/${campaign.id}`, { title: 'Meins' })).statusCode).toBe(403);
    expect(
      (await stateA.get(`/api/campaigns?orgId=${orgs.landA}`)).json().items.map((c: { id: string }) => c.id),
    ).toContain(campaign.id);
    const outsider = await loginAs(t, 'organizer', orgs.group);
    expect((await outsider.get(`/api/campaigns/${campaign.id}`)).statusCode).toBe(404);
  });

  it('refuses overlapping call centres, units outside the owner, and joins by others', async () => {
    const { campaign } = await makeCampaign({}, stateA, orgs.landA);
    expect(
      (await stateA.post(`/api/campaigns/${campaign.id}/call-centres`, { orgId: orgs.kreisA1 })).statusCode,
    ).toBe(201);
    const overlap = await stateA.post(`/api/campaigns/${campaign.id}/call-centres`, { orgId: orgs.ortA1a });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json().error.message).toMatch(/Kreis A1 already calls/);
    expect(
      (await stateA.post(`/api/campaigns/${campaign.id}/call-centres`, { orgId: orgs.landA })).statusCode,
    ).toBe(409);
    const outside = await federal.post(`/api/campaigns/${campaign.id}/call-centres`, { orgId: orgs.landB });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.message).toMatch(/below it/);
    // Kreis A2's organizer may not join on their own unless the campaign allows opting in.
    const districtA2 = await loginAs(t, 'organizer', orgs.kreisA2);
    expect(
      (await districtA2.post(`/api/campaigns/${campaign.id}/call-centres`, { orgId: orgs.kreisA2 }))
        .statusCode,
    ).toBe(404);
    await stateA.patch(`/api/campaigns/${campaign.id}`, { allowOptIn: true });
    expect(
      (await districtA2.post(`/api/campaigns/${campaign.id}/call-centres`, { orgId: orgs.kreisA2 }))
        .statusCode,
    ).toBe(201);
    const bad = await federal.post('/api/campaigns', {
      orgId: orgs.bund,
      title: 'x',
      targetFilter: { kind: 'nope' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('lets a region add its own questions after the national ones, never change national ones', async () => {
    const { campaign, tag } = await makeCampaign();
    const centre = (
      await federal.post(`/api/campaigns/${campaign.id}/call-centres`, { orgId: orgs.landA })
    ).json();
    await federal.post(`/api/campaigns/${campaign.id}/call-centres`, { orgId: orgs.landB });
    const added = await stateA.post(
      `/api/campaigns/${campaign.id}/call-centres/${centre.callCentreId}/questions`,
      {
        type: 'yes_no',
        text: 'Kommst du zum Landesparteitag?',
      },
    );
    expect(added.statusCode).toBe(201);
    const regionalId = added.json().questions[0].id;
    expect(regionalId).toMatch(/^r[0-9a-f]{6}-1$/);
    const national = await stateA.post(
      `/api/campaigns/${campaign.id}/call-centres/${centre.callCentreId}/questions`,
      {
        id: 'support',
        type: 'yes_no',
        text: 'Geändert',
      },
    );
    expect(national.statusCode).toBe(403);
    expect(national.json().error.message).toMatch(/national question/);
    // Another region cannot touch Land A's call centre.
    expect(
      (
        await stateB.post(`/api/campaigns/${campaign.id}/call-centres/${centre.callCentreId}/questions`, {
          type: 'free_text',
          text: 'x',
        })
      ).statusCode,
    ).toBe(403);

    // Callers of Land A get national + regional questions; Land B's only the national ones.
    await person(tag, orgs.kreisA1);
    await person(tag, orgs.landB);
    const [assignmentA] = centre.assignmentIds;
    const callerA = await callerFor(orgs.landA, assignmentA, stateA);
    const callA = (await callerA.post(`/api/call-assignments/${assignmentA}/next`)).json().call;
    expect(callA.questions.map((q: { id: string }) => q.id)).toEqual(['support', 'topic', regionalId]);
    expect(callA.script).toMatch(/^Hallo Mia, hier ist /);
    const assignmentB = (await federal.get(`/api/campaigns/${campaign.id}`))
      .json()
      .callCentres.find((c: { orgId: string }) => c.orgId === orgs.landB).assignmentIds[0];
    const callerB = await callerFor(orgs.landB, assignmentB, stateB);
    const callB = (await callerB.post(`/api/call-assignments/${assignmentB}/next`)).json().call;
    expect(callB.questions.map((q: { id: string }) => q.id)).toEqual(['support', 'topic']);
    // A regional answer in Land B is refused.
    const wrong = await callerB.post(`/api/calls/${callB.id}/outcome`, {
      clientId: randomUUID(),
      outcome: 'reached',
      answers: [{ questionId: regionalId, value: true }],
    });
    expect(wrong.statusCode).toBe(400);
  });

  it('lets call centres tighten the rules but not loosen them', async () => {
    const { campaign } = await makeCampaign();
    const { assignmentIds } = (
      await federal.post(`/api/campaigns/${campaign.id}/call-centres`, { orgId: orgs.landA })
    ).json();
    const id = assignmentIds[0];
    const looser = await stateA.patch(`/api/call-assignments/${id}`, { maxAttempts: 5 });
    expect(looser.statusCode).toBe(422);
    expect(looser.json().error.message).toMatch(/^maxAttempts: the campaign allows at most 3/);
    const hours = await stateA.patch(`/api/call-assignments/${id}`, {
      callingHours: { ...ALWAYS_OPEN, sun: [] },
      cooldownHours: 12,
    });
    expect(hours.statusCode).toBe(422);
    expect(hours.json().error.details.map((d: { path: string }) => d.path)).toEqual(['body.cooldownHours']);
    const tighter = await stateA.patch(`/api/call-assignments/${id}`, {
      maxAttempts: 2,
      cooldownHours: 48,
      callingHours: { ...ALWAYS_OPEN, sun: [] },
    });
    expect(tighter.statusCode).toBe(200);
    expect(tighter.json()).toMatchObject({ maxAttempts: 2, cooldownHours: 48, targetQueryId: null });
    expect(tighter.json().inherited.questions.map((q: { id: string }) => q.id)).toEqual(['support', 'topic']);

    // Calling outside the campaign's hours is looser.
    await federal.patch(`/api/campaigns/${campaign.id}`, {
      rules: { maxAttempts: 3, cooldownHours: 24, callingHours: { ...ALWAYS_OPEN, sat: [], sun: [] } },
    });
    const weekend = await stateA.patch(`/api/call-assignments/${id}`, {
      callingHours: { ...ALWAYS_OPEN, sun: [{ from: '10:00', to: '12:00' }] },
    });
    expect(weekend.statusCode).toBe(422);
    expect(weekend.json().error.details[0].path).toBe('body.callingHours.sat');
  });

  it('gives a person to one call centre only, also after moving to another region', async () => {
    const { campaign, tag } = await makeCampaign();
    const a = (
      await federal.post(`/api/campaigns/${campaign.id}/call-centres`, { orgId: orgs.landA })
    ).json();
    const b = (
      await federal.post(`/api/campaigns/${campaign.id}/call-centres`, { orgId: orgs.landB })
    ).json();
    const mover = await person(tag, orgs.landB, { postalCode: null });
    const callerB = await callerFor(orgs.landB, b.assignmentIds[0], stateB);
    expect(await callAll(callerB, b.assignmentIds[0], () => [], 'no_answer')).toEqual([mover]);
    expect((await federal.patch(`/api/people/${mover}`, { homeOrgId: orgs.kreisA1 })).statusCode).toBe(200);
    const stay = await person(tag, orgs.kreisA1);
    const callerA = await callerFor(orgs.landA, a.assignmentIds[0], stateA);
    expect(await callAll(callerA, a.assignmentIds[0], () => [])).toEqual([stay]);
  });
});

describe('evaluation', () => {
  let campaign: { id: string };
  let centreA: { callCentreId: string; assignmentIds: string[] };
  let regionalId: string;
  let erased: string;
  let kreisA1Assignment: string;

  beforeAll(async () => {
    const made = await makeCampaign({
      questions: [
        { id: 'support', type: 'yes_no', text: 'Unterstützt du die Kampagne?' },
        { id: 'topic', type: 'single_choice', text: 'Wichtigstes Thema?', options: ['Miete', 'Klima'] },
        { id: 'wish', type: 'free_text', text: 'Was wünschst du dir?' },
      ],
    });
    campaign = made.campaign;
    centreA = (
      await federal.post(`/api/campaigns/${campaign.id}/call-centres`, {
        orgId: orgs.landA,
        splitBy: 'district',
      })
    ).json();
    const centreB = (
      await federal.post(`/api/campaigns/${campaign.id}/call-centres`, { orgId: orgs.landB })
    ).json();
    regionalId = (
      await stateA.post(`/api/campaigns/${campaign.id}/call-centres/${centreA.callCentreId}/questions`, {
        type: 'single_choice',
        text: 'Landesthema?',
        options: ['Bildung', 'Verkehr'],
      })
    ).json().questions[0].id;
    // Kreis A1: three members, Kreis A2: one, Land B: two; one interested person is no target.
    const a1 = [
      await person(made.tag, orgs.kreisA1),
      await person(made.tag, orgs.kreisA1),
      await person(made.tag, orgs.ortA1a),
    ];
    await person(made.tag, orgs.kreisA2);
    const b1 = [await person(made.tag, orgs.kreisB1), await person(made.tag, orgs.landB)];
    await person(made.tag, orgs.kreisA1, { membershipStatus: 'interested' });
    await person(made.tag, orgs.kreisA2, { phones: [] });

    kreisA1Assignment = (
      await t.db
        .selectFrom('callAssignments')
        .select('id')
        .where('callCentreId', '=', centreA.callCentreId)
        .where('orgId', '=', orgs.kreisA1)
        .executeTakeFirstOrThrow()
    ).id;
    const callerA1 = await callerFor(orgs.kreisA1, kreisA1Assignment, districtA1);
    const calledA1 = await callAll(callerA1, kreisA1Assignment, (p) => [
      { questionId: 'support', value: p !== a1[2] },
      { questionId: 'topic', value: 'Miete' },
      { questionId: regionalId, value: 'Bildung' },
      { questionId: 'wish', value: 'Mehr Busse, sagt Mia' },
    ]);
    expect(calledA1.sort()).toEqual([...a1].sort());
    const callerB = await callerFor(orgs.landB, centreB.assignmentIds[0], stateB);
    let first = true;
    const calledB = await callAll(callerB, centreB.assignmentIds[0], () => {
      const answers = [
        { questionId: 'support', value: first },
        { questionId: 'topic', value: 'Klima' },
      ];
      first = false;
      return answers;
    });
    expect(calledB.sort()).toEqual([...b1].sort());
    erased = a1[0];
  });

  it('shows the federal office every region and each state only its own', async () => {
    const all = await federal.get(`/api/campaigns/${campaign.id}/stats`);
    expect(all.statusCode).toBe(200);
    const s = all.json();
    expect(s.orgId).toBe(orgs.bund);
    expect(s.headline).toMatchObject({
      targets: 7,
      attempted: 5,
      reached: 5,
      reachRate: 1,
      calls: 5,
      remaining: 1,
      noCurrentNumber: 1,
    });
    expect(s.headline.noCurrentNumberShare).toBeCloseTo(1 / 7);
    expect(s.byRegion.map((r: { name: string; calls: number }) => [r.name, r.calls])).toEqual([
      ['Land A', 3],
      ['Land B', 2],
    ]);
    // Both call centres, with their calls.
    expect(
      s.byCallCentre.map((c: { name: string; calls: number; reached: number }) => [
        c.name,
        c.calls,
        c.reached,
      ]),
    ).toEqual([
      ['Land A', 3, 3],
      ['Land B', 2, 2],
    ]);
    expect(s.byOutcome.reached).toBe(5);
    const support = s.byQuestion.find((q: { questionId: string }) => q.questionId === 'support');
    expect(support).toMatchObject({
      answered: 5,
      regional: false,
      answers: [
        { value: 'true', count: 3 },
        { value: 'false', count: 2 },
      ],
    });
    const wish = s.byQuestion.find((q: { questionId: string }) => q.questionId === 'wish');
    expect(wish).toMatchObject({ answered: 3, answers: [] });
    expect(s.byQuestion.map((q: { questionId: string }) => q.questionId)).toEqual([
      'support',
      'topic',
      'wish',
      regionalId,
    ]);

    const region = (await stateA.get(`/api/campaigns/${campaign.id}/stats`)).json();
    expect(region.orgId).toBe(orgs.landA);
    expect(region.headline).toMatchObject({ targets: 5, calls: 3 });
    // Kreis A2 has not been called yet: it is listed with zeros, so everyone sees who lags.
    expect(
      region.byRegion.map((r: { name: string; calls: number; reached: number; people: number }) => [
        r.name,
        r.calls,
        r.reached,
        r.people,
      ]),
    ).toEqual([
      ['Kreis A1', 3, 3, 3],
      ['Kreis A2', 0, 0, 0],
    ]);
    expect(region.byRegion[0].hasChildren).toBe(true);
    expect(region.byCallCentre.map((c: { name: string }) => c.name)).toEqual(['Land A']);
    // Drill down: Kreis A1 by Ort (one person lives in Ort A1a, two directly in the Kreis, none in Ort A1b).
    const drill = (await stateA.get(`/api/campaigns/${campaign.id}/stats?orgId=${orgs.kreisA1}`)).json();
    expect(drill.byRegion.map((r: { name: string; calls: number }) => [r.name, r.calls])).toEqual([
      ['Kreis A1', 2],
      ['Ort A1a', 1],
      ['Ort A1b', 0],
    ]);
    // The working group under the Bund is in no call centre: not a region of this campaign.
    expect(s.byRegion.map((r: { name: string }) => r.name)).not.toContain('AG Test');
    // A region outside the viewer's call centre is not found, like every foreign id.
    const foreignRegion = await stateA.get(`/api/campaigns/${campaign.id}/stats?orgId=${orgs.landB}`);
    expect(foreignRegion.statusCode).toBe(404);
    expect(foreignRegion.body).toBe(
      (await stateA.get(`/api/campaigns/${campaign.id}/stats?orgId=00000000-0000-4000-8000-00000000dead`))
        .body,
    );
    expect((await stateA.get(`/api/campaigns/${campaign.id}/stats?orgId=${orgs.bund}`)).statusCode).toBe(404);
    // So is an assignment of another call centre, or of no campaign at all, and the crosstab and
    // export answer the same.
    const landBAssignment = (await stateB.get(`/api/campaigns/${campaign.id}`))
      .json()
      .callCentres.find((c: { orgId: string }) => c.orgId === orgs.landB).assignmentIds[0] as string;
    for (const path of ['stats?', 'crosstab?rows=outcome&columns=region&', 'export?format=csv&']) {
      for (const assignmentId of [landBAssignment, '00000000-0000-4000-8000-00000000dead']) {
        const res = await stateA.get(`/api/campaigns/${campaign.id}/${path}assignmentId=${assignmentId}`);
        expect({ path, assignmentId, status: res.statusCode, body: res.json() }).toEqual({
          path,
          assignmentId,
          status: 404,
          body: { error: { code: 'not_found', message: 'Not found.' } },
        });
      }
    }
    const b = (await stateB.get(`/api/campaigns/${campaign.id}/stats`)).json();
    expect(b.byQuestion.map((q: { questionId: string }) => q.questionId)).toEqual([
      'support',
      'topic',
      'wish',
    ]);
    // The district organizer sees Kreis A1 (inside Land A's call centre).
    expect((await districtA1.get(`/api/campaigns/${campaign.id}/stats`)).json()).toMatchObject({
      orgId: orgs.kreisA1,
      headline: { calls: 3 },
    });
    // One assignment: its own progress and calls.
    const one = (
      await stateA.get(`/api/campaigns/${campaign.id}/stats?assignmentId=${kreisA1Assignment}`)
    ).json();
    expect(one.headline).toMatchObject({ targets: 3, attempted: 3, reached: 3, calls: 3 });
    // Filters: a period without calls, a caller.
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    expect(
      (await federal.get(`/api/campaigns/${campaign.id}/stats?from=${tomorrow}`)).json().headline.calls,
    ).toBe(0);
  });

  it('cross-tabulates a question against the region and exports it', async () => {
    const x = await federal.get(`/api/campaigns/${campaign.id}/crosstab?rows=question:topic&columns=region`);
    expect(x.statusCode).toBe(200);
    expect(x.json()).toMatchObject({
      rows: [
        { key: 'Miete', label: 'Miete' },
        { key: 'Klima', label: 'Klima' },
      ],
      columns: [
        { key: orgs.landA, label: 'Land A' },
        { key: orgs.landB, label: 'Land B' },
      ],
      cells: [
        [3, 0],
        [0, 2],
      ],
      total: 5,
    });
    // Shares of each row and of each column beside the counts.
    expect(x.json().rowShares).toEqual([
      [1, 0],
      [0, 1],
    ]);
    const byRegion = (
      await stateA.get(`/api/campaigns/${campaign.id}/crosstab?rows=region&columns=question:support`)
    ).json();
    // Land A answered "yes" twice and "no" once in Kreis A1; Kreis A2 (not called yet) is a zero row.
    expect(byRegion.rows.map((r: { label: string }) => r.label)).toEqual(['Kreis A1', 'Kreis A2']);
    expect(byRegion.cells).toEqual([
      [2, 1],
      [0, 0],
    ]);
    expect(byRegion.rowShares[0][0]).toBeCloseTo(2 / 3);
    expect(byRegion.rowShares[0][1]).toBeCloseTo(1 / 3);
    expect(byRegion.rowShares[1]).toEqual([0, 0]);
    expect(byRegion.columnShares).toEqual([
      [1, 1],
      [0, 0],
    ]);
    const supportByRegion = (
      await federal.get(`/api/campaigns/${campaign.id}/crosstab?rows=question:support&columns=region`)
    ).json();
    expect(supportByRegion.cells).toEqual([
      [2, 1],
      [1, 1],
    ]);
    expect(supportByRegion.columnShares[0][0]).toBeCloseTo(2 / 3);
    expect(supportByRegion.columnShares[0][1]).toBeCloseTo(1 / 2);
    expect(supportByRegion.rowShares[1][0]).toBeCloseTo(1 / 2);
    const yesNo = (
      await federal.get(`/api/campaigns/${campaign.id}/crosstab?rows=question:support&columns=outcome`)
    ).json();
    expect(yesNo.rows.map((r: { label: string }) => r.label)).toEqual(['Ja', 'Nein']);
    const unknown = await federal.get(`/api/campaigns/${campaign.id}/crosstab?rows=weather&columns=region`);
    expect(unknown.statusCode).toBe(400);
    const noQuestion = await federal.get(
      `/api/campaigns/${campaign.id}/crosstab?rows=question:nope&columns=region`,
    );
    expect(noQuestion.statusCode).toBe(400);
    expect(noQuestion.json().error.message).toMatch(/Unknown dimension question:nope/);
    expect(
      (await federal.get(`/api/campaigns/${campaign.id}/crosstab?rows=question:wish&columns=region`))
        .statusCode,
    ).toBe(400);

    const csv = await federal.get(
      `/api/campaigns/${campaign.id}/export?format=csv&rows=question:topic&columns=region`,
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toEqual([';Land A;Land B;Summe', 'Miete;3;0;3', 'Klima;0;2;2', 'Summe;3;2;5']);
    const percent = await federal.get(
      `/api/campaigns/${campaign.id}/export?format=csv&rows=question:support&columns=region&percent=column`,
    );
    expect(percent.statusCode).toBe(200);
    expect(
      percent.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n'),
    ).toEqual(['% der Spalte;Land A;Land B;Summe', 'Ja;66,7;50;60', 'Nein;33,3;50;40', 'Summe;100;100;100']);
    // In English: comma between cells, point before decimals.
    await federal.patch('/api/auth/me', { locale: 'en' });
    const percentEn = await federal.get(
      `/api/campaigns/${campaign.id}/export?format=csv&rows=question:support&columns=region&percent=column`,
    );
    await federal.patch('/api/auth/me', { locale: 'de' });
    expect(
      percentEn.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n'),
    ).toEqual(['% of column,Land A,Land B,Total', 'Yes,66.7,50,60', 'No,33.3,50,40', 'Total,100,100,100']);
    const xlsx = await federal.get(`/api/campaigns/${campaign.id}/export?format=xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('makes answers searchable: by campaign (national and regional questions) and by assignment', async () => {
    const count = async (filter: unknown, orgId = orgs.bund, by = federal) => {
      const res = await by.post('/api/queries/preview', { orgId, filter });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().count as number;
    };
    const supporters = {
      kind: 'callAnswer',
      campaignId: campaign.id,
      questionId: 'support',
      op: 'equals',
      value: true,
    };
    expect(await count(supporters)).toBe(3);
    expect(await count(supporters, orgs.landB, stateB)).toBe(1);

    expect(
      await count({
        kind: 'callAnswer',
        campaignId: campaign.id,
        questionId: regionalId,
        op: 'equals',
        value: 'Bildung',
      }),
    ).toBe(3);
    // A generated assignment answers the inherited questions too.
    const assignmentId = centreA.assignmentIds[0];
    expect(
      await count(
        { kind: 'callAnswer', assignmentId, questionId: 'topic', op: 'equals', value: 'Miete' },
        orgs.landA,
        stateA,
      ),
    ).toBe(3);
    const unknown = await federal.post('/api/queries/preview', {
      orgId: orgs.bund,
      filter: { ...supporters, questionId: 'nope' },
    });
    expect(unknown.statusCode).toBe(400);
    const both = await federal.post('/api/queries/preview', {
      orgId: orgs.bund,
      filter: { ...supporters, assignmentId },
    });
    expect(both.statusCode).toBe(400);
  });

  it('keeps old answers readable after the question changes, and counts after erasure', async () => {
    await federal.patch(`/api/campaigns/${campaign.id}`, {
      questions: [
        { id: 'support', type: 'yes_no', text: 'Unterstützt du die Kampagne?' },
        { id: 'topic', type: 'single_choice', text: 'Dein Thema?', options: ['Wohnen', 'Klima'] },
        { id: 'wish', type: 'free_text', text: 'Was wünschst du dir?' },
      ],
    });
    const before = (await federal.get(`/api/campaigns/${campaign.id}/stats`)).json();
    const topic = before.byQuestion.find((q: { questionId: string }) => q.questionId === 'topic');
    expect(topic.text).toBe('Dein Thema?');
    expect(topic.answers).toEqual([
      { value: 'Wohnen', count: 0 },
      { value: 'Klima', count: 2 },
      { value: 'Miete', count: 3 },
    ]);

    expect((await federal.delete(`/api/people/${erased}`)).statusCode).toBe(204);
    const kept = await t.db
      .selectFrom('calls')
      .select(['personId', 'note', 'answers'])
      .where('personId', 'is', null)
      .execute();
    const mine = kept.filter((c) => JSON.stringify(c.answers).includes('Bildung'));
    expect(mine).toHaveLength(1);
    expect(JSON.stringify(mine[0].answers)).not.toContain('Mehr Busse');
    const after = (await federal.get(`/api/campaigns/${campaign.id}/stats`)).json();
    expect(after.headline.calls).toBe(before.headline.calls);
    expect(after.byRegion).toEqual(before.byRegion);
    expect(after.byQuestion.find((q: { questionId: string }) => q.questionId === 'wish').answered).toBe(2);
  });
});
