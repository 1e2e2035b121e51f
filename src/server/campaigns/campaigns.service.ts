import type { z } from 'zod';
import { type CallingHours, DEFAULT_CALLING_HOURS, DEFAULT_VISIBLE_FIELDS } from '../../shared/calls.ts';
import {
  type CallCentreCreate,
  type CallCentreUpdate,
  type CallCentreView,
  type CampaignCreate,
  CampaignRules,
  type CampaignUpdate,
  type CampaignView,
  type RegionalQuestionsAdd,
} from '../../shared/campaigns.ts';
import { roleGrants } from '../../shared/permissions.ts';
import type { FilterNode } from '../../shared/queries.ts';
import { audit } from '../audit/audit.service.ts';
import { orgIdsWithPermission, requireOrgPermission } from '../auth/scope.ts';
import { compileFilterIn, normalizeQuestions } from '../calls/call-assignments.service.ts';
import * as calls from '../calls/calls.repo.ts';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { findOrg, isDescendant } from '../orgs/orgs.repo.ts';
import { parseFilter } from '../queries/filter-registry.ts';
import { deleteTargetSnapshot } from './campaign-targets.repo.ts';
import * as repo from './campaigns.repo.ts';

const notFound = () => new AppError('not_found', 'Campaign not found.');

type StoredRules = { maxAttempts: number; cooldownHours: number; callingHours: CallingHours };

/**
 * What the actor may do with a campaign. Organizers of the campaign's unit own it (everything);
 * organizers of a call centre's unit edit their call centre and see its figures; organizers of a
 * unit inside a call centre see their part. `roots` are the units whose subtrees the actor sees.
 */
export interface CampaignAccess {
  owner: boolean;
  roots: string[];
  centreIds: Set<string>;
}

export async function campaignAccess(
  ctx: Ctx,
  campaign: repo.CampaignRecord,
  centres: repo.CallCentreRecord[],
): Promise<CampaignAccess | null> {
  const managed = await orgIdsWithPermission(ctx, 'calls:manage');
  const can = (orgId: string) => managed === undefined || managed.includes(orgId);
  if (can(campaign.orgId))
    return { owner: true, roots: [campaign.orgId], centreIds: new Set(centres.map((c) => c.id)) };
  const mine = centres.filter((c) => can(c.orgId));
  if (mine.length)
    return { owner: false, roots: mine.map((c) => c.orgId), centreIds: new Set(mine.map((c) => c.id)) };
  const roots: string[] = [];
  for (const m of ctx.actor.memberships) {
    if (!roleGrants(m.role, 'calls:manage')) continue;
    for (const c of centres) if (await isDescendant(ctx.db, c.orgId, m.orgId)) roots.push(m.orgId);
  }
  return roots.length ? { owner: false, roots, centreIds: new Set() } : null;
}

/** The campaign, its call centres and the actor's access; 404 when the actor has none. */
export async function requireCampaign(ctx: Ctx, id: string) {
  const campaign = await repo.findCampaign(ctx.db, id);
  if (!campaign) throw notFound();
  const centres = await repo.findCallCentres(ctx.db, [id]);
  const access = await campaignAccess(ctx, campaign, centres);
  if (!access) throw notFound();
  return { campaign, centres, access };
}

function toCentreView(c: repo.CallCentreRecord): CallCentreView {
  return {
    id: c.id,
    orgId: c.orgId,
    orgName: c.orgName,
    splitBy: c.splitBy,
    questions: c.questions as CallCentreView['questions'],
    scriptAddendum: c.scriptAddendum,
    assignmentIds: c.assignmentIds,
    createdAt: c.createdAt.toISOString(),
  };
}

async function toView(
  db: Db,
  campaign: repo.CampaignRecord,
  centres: repo.CallCentreRecord[],
  access: CampaignAccess,
): Promise<CampaignView> {
  const visible: repo.CallCentreRecord[] = [];
  const rootInside = async (orgId: string) => {
    for (const root of access.roots) if (await isDescendant(db, orgId, root)) return true;
    return false;
  };
  for (const c of centres)
    if (access.owner || access.centreIds.has(c.id) || (await rootInside(c.orgId))) visible.push(c);
  const rules = campaign.rules as StoredRules;
  return {
    id: campaign.id,
    orgId: campaign.orgId,
    orgName: campaign.orgName,
    title: campaign.title,
    description: campaign.description,
    startsAt: campaign.startsAt?.toISOString() ?? null,
    endsAt: campaign.endsAt?.toISOString() ?? null,
    script: campaign.script,
    questions: campaign.questions as CampaignView['questions'],
    targetFilter: campaign.targetFilter,
    rules: {
      maxAttempts: rules.maxAttempts,
      cooldownHours: rules.cooldownHours,
      callingHours: rules.callingHours,
    },
    visibleFields: campaign.visibleFields,
    allowOptIn: campaign.allowOptIn,
    status: campaign.status,
    callCentres: visible.map(toCentreView),
    canEdit: access.owner,
    createdAt: campaign.createdAt.toISOString(),
    updatedAt: campaign.updatedAt.toISOString(),
  };
}

/** A date alone means the start of that day (UTC). */
const toInstant = (v: string | null | undefined) =>
  v === undefined
    ? undefined
    : v === null
      ? null
      : new Date(v.length === 10 ? `${v}T00:00:00Z` : v).toISOString();

function checkPeriod(startsAt: string | null | undefined, endsAt: string | null | undefined) {
  if (startsAt && endsAt && startsAt > endsAt)
    throw new AppError('validation_failed', 'The campaign ends before it starts.', [
      { path: 'body.endsAt', message: 'before startsAt' },
    ]);
}

/** National question ids: given or `n1`, `n2` …; checked like assignment questions. */
async function nationalQuestions(
  db: Db,
  orgId: string,
  questions: z.infer<typeof CampaignCreate>['questions'],
) {
  const list = (questions ?? []).map((q, i) => ({ ...q, id: q.id ?? `n${i + 1}` }));
  return normalizeQuestions(db, orgId, list);
}

/** The target filter must compile in the campaign's unit (400 naming the filter otherwise). */
async function checkTarget(db: Db, orgId: string, filter: FilterNode) {
  await compileFilterIn(db, orgId, parseFilter(filter));
}

export async function createCampaign(ctx: Ctx, input: z.infer<typeof CampaignCreate>) {
  await requireOrgPermission(ctx, input.orgId, 'calls:manage');
  await checkTarget(ctx.db, input.orgId, input.targetFilter as FilterNode);
  const startsAt = toInstant(input.startsAt) ?? null;
  const endsAt = toInstant(input.endsAt) ?? null;
  checkPeriod(startsAt, endsAt);
  const questions = await nationalQuestions(ctx.db, input.orgId, input.questions);
  const rules = CampaignRules.parse(input.rules ?? {});
  const id = await ctx.db.transaction().execute(async (trx) => {
    const { id } = await repo.insertCampaign(trx, {
      orgId: input.orgId,
      title: input.title,
      description: input.description ?? null,
      startsAt,
      endsAt,
      script: input.script ?? '',
      questions,
      targetFilter: input.targetFilter,
      rules: { ...rules, callingHours: rules.callingHours ?? DEFAULT_CALLING_HOURS },
      visibleFields: [...new Set(input.visibleFields ?? DEFAULT_VISIBLE_FIELDS)],
      allowOptIn: input.allowOptIn ?? false,
      status: input.status ?? 'open',
      createdBy: ctx.actor.userId,
    });
    await repo.recordQuestionVersions(trx, id, null, questions);
    return id;
  });
  await audit.record(ctx, 'campaign.created', { type: 'campaign', id, orgId: input.orgId });
  return getCampaign(ctx, id);
}

export async function listCampaigns(ctx: Ctx, orgId: string) {
  await requireOrgPermission(ctx, orgId, 'calls:manage');
  const rows = await repo.findCampaignsNear(ctx.db, orgId);
  const centres = await repo.findCallCentres(
    ctx.db,
    rows.map((r) => r.id),
  );
  const items: CampaignView[] = [];
  for (const c of rows) {
    const own = centres.filter((x) => x.campaignId === c.id);
    const access = await campaignAccess(ctx, c, own);
    // Campaigns above the unit: listed when the unit takes part or may opt in.
    if (access) items.push(await toView(ctx.db, c, own, access));
    else if (c.allowOptIn && c.status !== 'closed')
      items.push(await toView(ctx.db, c, [], { owner: false, roots: [], centreIds: new Set() }));
  }
  return { items, nextCursor: null };
}

export async function getCampaign(ctx: Ctx, id: string) {
  const { campaign, centres, access } = await requireCampaign(ctx, id);
  return toView(ctx.db, campaign, centres, access);
}

function requireOwner(access: CampaignAccess) {
  if (!access.owner)
    throw new AppError('forbidden', 'Only organizers of the campaign’s unit may change the national part.');
}

/**
 * Edits the national part. New rules apply to the generated assignments at once: they keep
 * tighter values of their own (fewer attempts, longer cooldown), calling hours follow the campaign.
 */
export async function updateCampaign(ctx: Ctx, id: string, patch: z.infer<typeof CampaignUpdate>) {
  const { campaign, access } = await requireCampaign(ctx, id);
  requireOwner(access);
  if (patch.targetFilter) await checkTarget(ctx.db, campaign.orgId, patch.targetFilter as FilterNode);
  const startsAt = toInstant(patch.startsAt);
  const endsAt = toInstant(patch.endsAt);
  checkPeriod(
    startsAt === undefined ? (campaign.startsAt?.toISOString() ?? null) : startsAt,
    endsAt === undefined ? (campaign.endsAt?.toISOString() ?? null) : endsAt,
  );
  const questions = patch.questions
    ? await nationalQuestions(ctx.db, campaign.orgId, patch.questions)
    : undefined;
  const oldRules = campaign.rules as StoredRules;
  const rules = patch.rules
    ? { ...CampaignRules.parse(patch.rules), callingHours: patch.rules.callingHours ?? oldRules.callingHours }
    : undefined;
  await ctx.db.transaction().execute(async (trx) => {
    await repo.updateCampaignRow(trx, id, {
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(startsAt !== undefined ? { startsAt } : {}),
      ...(endsAt !== undefined ? { endsAt } : {}),
      ...(patch.script !== undefined ? { script: patch.script } : {}),
      ...(questions ? { questions: JSON.stringify(questions) } : {}),
      ...(patch.targetFilter ? { targetFilter: JSON.stringify(patch.targetFilter) } : {}),
      ...(rules ? { rules: JSON.stringify(rules) } : {}),
      ...(patch.visibleFields ? { visibleFields: [...new Set(patch.visibleFields)] } : {}),
      ...(patch.allowOptIn !== undefined ? { allowOptIn: patch.allowOptIn } : {}),
      ...(patch.status ? { status: patch.status } : {}),
    });
    if (questions) await repo.recordQuestionVersions(trx, id, null, questions);
    for (const a of await repo.findCampaignAssignments(trx, id)) {
      const fields = patch.visibleFields ? new Set(patch.visibleFields) : undefined;
      await calls.updateAssignmentRow(trx, a.id, {
        ...(rules
          ? {
              maxAttempts: Math.min(a.maxAttempts, rules.maxAttempts),
              cooldownHours: Math.max(a.cooldownHours, rules.cooldownHours),
              callingHours: JSON.stringify(rules.callingHours),
            }
          : {}),
        ...(fields ? { visibleFields: a.visibleFields.filter((f) => fields.has(f as never)) } : {}),
        ...(patch.status ? { status: patch.status } : {}),
      });
    }
  });
  await deleteTargetSnapshot(ctx.db, id);
  await audit.record(
    ctx,
    'campaign.updated',
    { type: 'campaign', id, orgId: campaign.orgId },
    { fields: Object.keys(patch) },
  );
  return getCampaign(ctx, id);
}

const SPLIT_KIND = { district: 'district', local: 'local' } as const;

/**
 * A sub-unit joins as a call centre: the campaign's owner adds it, or its own organizers when the
 * campaign allows opting in. Call centres never overlap (one call centre per person). Generates
 * the assignments: one for the unit, or one per district / local unit below it plus one for the
 * people outside those.
 */
export async function joinCallCentre(ctx: Ctx, id: string, input: z.infer<typeof CallCentreCreate>) {
  const campaign = await repo.findCampaign(ctx.db, id);
  if (!campaign) throw notFound();
  const centres = await repo.findCallCentres(ctx.db, [id]);
  const access = await campaignAccess(ctx, campaign, centres);
  const unit = await findOrg(ctx.db, input.orgId);
  if (!unit) throw new AppError('not_found', 'Org unit not found.');
  if (!access?.owner) {
    if (!campaign.allowOptIn) {
      if (!access) throw notFound();
      throw new AppError('forbidden', 'Only organizers of the campaign’s unit may add call centres.');
    }
    await requireOrgPermission(ctx, input.orgId, 'calls:manage');
  }
  if (!(await isDescendant(ctx.db, campaign.orgId, input.orgId)))
    throw new AppError('forbidden', 'A call centre must be the campaign’s unit or a unit below it.');
  if (campaign.status === 'closed') throw new AppError('rule_violation', 'The campaign is closed.');
  const overlap = await repo.findOverlappingCallCentre(ctx.db, id, input.orgId);
  if (overlap)
    throw new AppError(
      'conflict',
      `${overlap.orgName} already calls for this campaign; call centres may not overlap (one call centre per person).`,
    );
  const splitBy = input.splitBy ?? 'none';
  const result = await ctx.db
    .transaction()
    .execute((trx) =>
      createCallCentre(trx, campaign, unit, splitBy, input.scriptAddendum ?? '', ctx.actor.userId),
    );
  await deleteTargetSnapshot(ctx.db, id);
  await audit.record(
    ctx,
    'campaign.call_centre_joined',
    { type: 'campaign', id, orgId: input.orgId },
    { callCentreId: result.callCentreId, splitBy, assignments: result.assignmentIds.length },
  );
  return result;
}

/** A call centre the actor may edit: the owner's organizers or the call centre's own. */
async function requireEditableCentre(ctx: Ctx, id: string, callCentreId: string) {
  const { campaign, centres, access } = await requireCampaign(ctx, id);
  const centre = centres.find((c) => c.id === callCentreId);
  if (!centre) throw new AppError('not_found', 'Call centre not found.');
  if (!access.centreIds.has(centre.id))
    throw new AppError('forbidden', 'Only organizers of this call centre may change it.');
  return { campaign, centre };
}

/** Regional ids never collide with national ones or another call centre's: `r<centre>-<n>`. */
async function regionalQuestions(
  db: Db,
  campaign: repo.CampaignRecord,
  centre: repo.CallCentreRecord,
  questions: z.infer<typeof CallCentreUpdate>['questions'] & {},
  existing: { id: string }[],
) {
  const national = new Set((campaign.questions as { id: string }[]).map((q) => q.id));
  const clash = questions.find((q) => q.id && national.has(q.id));
  if (clash)
    throw new AppError(
      'forbidden',
      `Question ${clash.id} is a national question; only the campaign’s unit may change it.`,
    );
  const prefix = `r${centre.id.slice(0, 6)}-`;
  let n = existing.length;
  const withIds = questions.map((q) => ({ ...q, id: q.id ?? `${prefix}${++n}` }));
  return normalizeQuestions(db, centre.orgId, [...existing, ...withIds] as typeof questions);
}

export async function addRegionalQuestions(
  ctx: Ctx,
  id: string,
  callCentreId: string,
  body: z.infer<typeof RegionalQuestionsAdd>,
) {
  const { campaign, centre } = await requireEditableCentre(ctx, id, callCentreId);
  const added = 'questions' in body ? body.questions : [body];
  const questions = await regionalQuestions(
    ctx.db,
    campaign,
    centre,
    added,
    centre.questions as { id: string }[],
  );
  await saveCentre(ctx, campaign, centre, { questions });
  return getCallCentre(ctx, id, callCentreId);
}

export async function updateCallCentre(
  ctx: Ctx,
  id: string,
  callCentreId: string,
  patch: z.infer<typeof CallCentreUpdate>,
) {
  const { campaign, centre } = await requireEditableCentre(ctx, id, callCentreId);
  const questions = patch.questions
    ? await regionalQuestions(ctx.db, campaign, centre, patch.questions, [])
    : undefined;
  await saveCentre(ctx, campaign, centre, { questions, scriptAddendum: patch.scriptAddendum });
  return getCallCentre(ctx, id, callCentreId);
}

async function saveCentre(
  ctx: Ctx,
  campaign: repo.CampaignRecord,
  centre: repo.CallCentreRecord,
  patch: { questions?: { id: string }[]; scriptAddendum?: string },
) {
  await ctx.db.transaction().execute(async (trx) => {
    await repo.updateCallCentreRow(trx, centre.id, {
      ...(patch.questions ? { questions: JSON.stringify(patch.questions) } : {}),
      ...(patch.scriptAddendum !== undefined ? { scriptAddendum: patch.scriptAddendum } : {}),
    });
    if (patch.questions) await repo.recordQuestionVersions(trx, campaign.id, centre.id, patch.questions);
  });
  await audit.record(
    ctx,
    'campaign.call_centre_updated',
    { type: 'campaign', id: campaign.id, orgId: centre.orgId },
    {
      callCentreId: centre.id,
      fields: Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined),
    },
  );
}

async function getCallCentre(ctx: Ctx, id: string, callCentreId: string) {
  const centre = (await repo.findCallCentres(ctx.db, [id])).find((c) => c.id === callCentreId);
  if (!centre) throw new AppError('not_found', 'Call centre not found.');
  return toCentreView(centre);
}

/**
 * Inserts a call centre and its generated assignments (one for the unit, or one per district /
 * local unit below it plus one for the people outside those), with the campaign's rules.
 */
export async function createCallCentre(
  db: Db,
  campaign: Pick<repo.CampaignRecord, 'id' | 'title' | 'description' | 'rules' | 'visibleFields' | 'status'>,
  unit: { id: string; name: string },
  splitBy: 'none' | 'district' | 'local',
  scriptAddendum: string,
  userId: string,
) {
  const parts = splitBy === 'none' ? [] : await repo.findUnitsOfKindBelow(db, unit.id, SPLIT_KIND[splitBy]);
  const rules = campaign.rules as StoredRules;
  const centre = await repo.insertCallCentre(db, {
    campaignId: campaign.id,
    orgId: unit.id,
    splitBy,
    scriptAddendum,
    createdBy: userId,
  });
  const make = (orgId: string, title: string, excludedOrgIds: string[] = []) =>
    calls
      .insertAssignment(db, {
        orgId,
        title,
        description: campaign.description,
        targetQueryId: null,
        campaignId: campaign.id,
        callCentreId: centre.id,
        excludedOrgIds,
        visibleFields: campaign.visibleFields,
        script: '',
        questions: [],
        maxAttempts: rules.maxAttempts,
        cooldownHours: rules.cooldownHours,
        callingHours: rules.callingHours,
        lockMinutes: 10,
        startsOn: null,
        endsOn: null,
        status: campaign.status,
        goalQueryId: null,
        reachedElsewhereDays: 30,
        eventIds: [],
        showPreviousNotes: false,
        createdBy: userId,
      })
      .then((r) => r.id);
  const assignmentIds: string[] = [];
  for (const part of parts) assignmentIds.push(await make(part.id, `${campaign.title} – ${part.name}`));
  assignmentIds.push(
    await make(
      unit.id,
      parts.length ? `${campaign.title} – ${unit.name} (übrige)` : `${campaign.title} – ${unit.name}`,
      parts.map((p) => p.id),
    ),
  );
  return { callCentreId: centre.id, assignmentIds };
}
