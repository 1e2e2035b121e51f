import { DEFAULT_CALLING_HOURS, DEFAULT_VISIBLE_FIELDS } from '../../shared/calls.ts';
import type { FilterNode } from '../../shared/queries.ts';
import { compileTarget } from '../calls/call-assignments.service.ts';
import * as calls from '../calls/calls.repo.ts';
import { insertCampaign, recordQuestionVersions } from '../campaigns/campaigns.repo.ts';
import { createCallCentre } from '../campaigns/campaigns.service.ts';
import type { Db } from '../db/database.ts';

const QUESTIONS = [
  { id: 'support', type: 'yes_no', text: 'Unterstützt du unsere Kampagne?' },
  {
    id: 'topic',
    type: 'single_choice',
    text: 'Welches Thema ist dir am wichtigsten?',
    options: ['Miete & Wohnen', 'Klima', 'Löhne', 'Bildung'],
  },
  { id: 'help', type: 'yes_no', text: 'Hilfst du beim Wahlkampf?' },
];
const OUTCOMES = [
  'reached',
  'reached',
  'reached',
  'no_answer',
  'no_answer',
  'busy',
  'voicemail',
  'wrong_number',
];

/** A tiny deterministic random (the demo looks the same on every fresh start). */
function random(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

/**
 * The demo's national phone campaign: "100.000 Anrufe" by the Bundesverband, Sachsen (split by
 * Kreis) and Thüringen as call centres, the demo callers added, and about 300 calls of the last
 * ten days so the evaluation shows something.
 */
export async function seedDemoCampaign(
  db: Db,
  o: { bund: string; units: Map<string, string>; userIds: Map<string, string> },
) {
  const byEmail = (email: string) => o.userIds.get(`${email}@demo.draht.local`) as string;
  const owner = byEmail('admin');
  const rules = { maxAttempts: 3, cooldownHours: 24, callingHours: DEFAULT_CALLING_HOURS };
  const campaign = {
    orgId: o.bund,
    title: '100.000 Anrufe',
    description: 'Wir rufen alle Mitglieder an: zuhören, einladen, mitmachen.',
    startsAt: new Date(Date.now() - 10 * 86_400_000).toISOString(),
    endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    script: 'Hallo {{firstName}}, hier ist {{callerName}} von der Partei. Hast du kurz Zeit?',
    questions: QUESTIONS,
    targetFilter: { kind: 'status', statuses: ['member'] } as FilterNode,
    rules,
    visibleFields: DEFAULT_VISIBLE_FIELDS,
    allowOptIn: true,
    status: 'open' as const,
    createdBy: owner,
  };
  const { id } = await insertCampaign(db, campaign);
  await recordQuestionVersions(db, id, null, QUESTIONS);
  const record = { id, ...campaign };
  const sachsen = await createCallCentre(
    db,
    record,
    { id: o.units.get('sachsen') as string, name: 'Landesverband Sachsen' },
    'district',
    'Erwähne das Sommerfest in Leipzig.',
    owner,
  );
  const thueringen = await createCallCentre(
    db,
    record,
    { id: o.units.get('thueringen') as string, name: 'Landesverband Thüringen' },
    'none',
    '',
    owner,
  );
  const callerOf = new Map<string, string>();
  const addCaller = async (unitKey: string, email: string, assignmentIds: string[]) => {
    for (const assignmentId of assignmentIds) {
      const a = await calls.findAssignment(db, assignmentId);
      if (a?.orgId !== o.units.get(unitKey)) continue;
      await calls.upsertCaller(db, {
        assignmentId,
        userId: byEmail(email),
        prioritisedTagIds: [],
        excludedTagIds: [],
      });
      callerOf.set(assignmentId, byEmail(email));
    }
  };
  await addCaller('dresden', 'caller.dresden', sachsen.assignmentIds);
  await addCaller('leipzig', 'caller.leipzig', sachsen.assignmentIds);
  await addCaller('thueringen', 'caller.erfurt', thueringen.assignmentIds);

  // History: calls spread over the last ten days, 10–20 h, answers on reached calls.
  const next = random(42);
  for (const [assignmentId, callerId] of callerOf) {
    const a = await calls.findAssignment(db, assignmentId);
    if (!a) continue;
    const target = await compileTarget(db, a);
    await calls.syncTargets(db, { assignmentId, orgId: a.orgId, target, staleBefore: null });
    for (const p of await calls.findQueuedPeople(db, assignmentId, 110)) {
      const outcome = OUTCOMES[Math.floor(next() * OUTCOMES.length)];
      const day = Math.floor(next() * 10);
      const endedAt = new Date(Date.now() - day * 86_400_000);
      endedAt.setHours(10 + Math.floor(next() * 10), Math.floor(next() * 60));
      if (endedAt > new Date()) endedAt.setDate(endedAt.getDate() - 1);
      const reached = outcome === 'reached';
      const answers = reached
        ? [
            { questionId: 'support', value: next() < 0.7 },
            { questionId: 'topic', value: QUESTIONS[1].options?.[Math.floor(next() * 4)] },
            { questionId: 'help', value: next() < 0.3 },
          ]
        : [];
      await calls.insertCall(db, {
        id: crypto.randomUUID(),
        clientId: `demo-${crypto.randomUUID()}`,
        assignmentId,
        personId: p.personId,
        orgId: p.orgId,
        callerId,
        startedAt: new Date(endedAt.getTime() - 4 * 60_000),
        endedAt,
        outcome,
        callBackAt: null,
        answers,
        note: null,
        eventIds: [],
        newsletter: reached && next() < 0.2,
        followUpReason: null,
      });
      await calls.upsertTarget(db, {
        assignmentId,
        personId: p.personId,
        attempt: true,
        outcome,
        done: reached,
        reached,
        cooldownHours: reached ? null : 24,
        callBackAt: null,
        callBackCallerId: null,
      });
    }
  }
}
