import type { z } from 'zod';
import { CALL_OUTCOMES, type CallOutcome } from '../../shared/calls.ts';
import type {
  CampaignExportQuery,
  CampaignStats,
  Crosstab,
  CrosstabQuery,
  StatsQuery,
} from '../../shared/campaigns.ts';
import { audit } from '../audit/audit.service.ts';
import { countAssignmentTargets } from '../calls/call-assignments.service.ts';
import type { Ctx } from '../context.ts';
import { AppError } from '../errors.ts';
import { writeTables } from '../exports/exports.service.ts';
import { findOrg, isDescendant } from '../orgs/orgs.repo.ts';
import * as aggregates from './campaign-aggregates.repo.ts';
import { OUTCOME_LABELS } from './campaign-labels.ts';
import * as repo from './campaign-stats.repo.ts';
import { campaignTargetFigures } from './campaign-targets.service.ts';
import { findCampaignAssignments, findLatestQuestions } from './campaigns.repo.ts';
import { requireCampaign } from './campaigns.service.ts';

/**
 * The region looked at: `orgId` if the viewer may see it (the campaign's unit or below for its
 * organizers; a call centre's unit or below for the call centre's), else the viewer's own root.
 */
async function resolveScope(ctx: Ctx, id: string, q: StatsQuery) {
  const { campaign, centres, access } = await requireCampaign(ctx, id);
  let orgId = access.roots[0];
  // A region or an assignment the viewer may not see is "not found", like every foreign id.
  if (q.orgId) {
    let allowed = false;
    for (const root of access.roots) if (await isDescendant(ctx.db, root, q.orgId)) allowed = true;
    if (!allowed) throw new AppError('not_found', 'Region not found.');
    orgId = q.orgId;
  }
  if (q.assignmentId) {
    const a = (await findCampaignAssignments(ctx.db, campaign.id)).find((x) => x.id === q.assignmentId);
    let visible = false;
    for (const root of access.roots) {
      if (a && ((await isDescendant(ctx.db, root, a.orgId)) || (await isDescendant(ctx.db, a.orgId, root)))) {
        visible = true;
      }
    }
    if (!visible) throw new AppError('not_found', 'Assignment not found.');
  }
  const owner = await findOrg(ctx.db, campaign.orgId);
  const scope: repo.StatsScope = {
    campaignId: campaign.id,
    orgId,
    timeZone: owner?.timeZone ?? 'Europe/Berlin',
    from: q.from,
    to: q.to,
    assignmentId: q.assignmentId,
    callerId: q.callerId,
  };
  return { campaign, centres, access, scope };
}

/**
 * Target-based figures: for the whole campaign the stored per-unit figures summed over the region
 * (campaign-targets.service.ts); for one assignment (the `assignmentId` filter) that assignment's
 * progress narrowed to the region.
 */
async function targetFigures(
  ctx: Ctx,
  campaign: { id: string; targetFilter: unknown },
  scope: repo.StatsScope,
) {
  if (!scope.assignmentId) return campaignTargetFigures(ctx.db, campaign.id, scope.orgId);
  const a = (await findCampaignAssignments(ctx.db, campaign.id)).find((x) => x.id === scope.assignmentId);
  // The deeper of the assignment's unit and the region; disjoint ones have no targets here.
  const root = !a
    ? undefined
    : (await isDescendant(ctx.db, a.orgId, scope.orgId))
      ? scope.orgId
      : (await isDescendant(ctx.db, scope.orgId, a.orgId))
        ? a.orgId
        : undefined;
  if (!a || !root)
    return { targets: 0, attempted: 0, reached: 0, remaining: 0, noValidPhone: 0, doNotCall: 0 };
  return countAssignmentTargets(ctx.db, a, root);
}

interface QuestionMeta {
  id: string;
  text: string;
  type: string;
  options?: string[];
  regional: boolean;
}

/** Every question the viewer's region may have answers to (retired ones too), in catalogue order. */
async function questionCatalogue(
  ctx: Ctx,
  campaign: { id: string; questions: unknown },
  centreIds: Set<string>,
) {
  const current = (campaign.questions as QuestionMeta[]).map((q) => q.id);
  const latest = await findLatestQuestions(ctx.db, campaign.id);
  const visible = latest.filter((q) => !q.callCentreId || centreIds.has(q.callCentreId));
  const order = (id: string) => {
    const i = current.indexOf(id);
    return i >= 0 ? i : current.length;
  };
  return visible
    .map((q) => ({ ...(q.definition as unknown as QuestionMeta), regional: !!q.callCentreId }))
    .sort((a, b) => Number(a.regional) - Number(b.regional) || order(a.id) - order(b.id));
}

export async function campaignStats(ctx: Ctx, id: string, q: StatsQuery): Promise<CampaignStats> {
  const { campaign, centres, access, scope } = await resolveScope(ctx, id, q);
  const centreIds = access.owner ? new Set(centres.map((c) => c.id)) : access.centreIds;
  // The aggregates when they hold the scope (no period, no caller filter), else the calls.
  const counts = aggregates.usesAggregates(scope) ? aggregates : repo;
  const [grouped, people, answers, targets, catalogue, covered, centresHere] = await Promise.all([
    counts.groupedCounts(ctx.db, scope),
    counts.peopleByRegion(ctx.db, scope),
    counts.answerCounts(ctx.db, scope),
    targetFigures(ctx, campaign, scope),
    questionCatalogue(ctx, campaign, centreIds),
    repo.coveredRegions(ctx.db, campaign.id, scope.orgId),
    repo.unitsInLineWith(
      ctx.db,
      centres.filter((c) => centreIds.has(c.id)).map((c) => c.orgId),
      scope.orgId,
    ),
  ]);
  const rows = (set: repo.GroupedRow['set']) => grouped.filter((r) => r.set === set);
  const total = rows('total')[0] ?? { calls: 0, eventSignUps: 0, newsletter: 0, followUpsOpen: 0 };
  const byOutcome = Object.fromEntries(CALL_OUTCOMES.map((o) => [o, 0])) as CampaignStats['byOutcome'];
  for (const r of rows('outcome')) byOutcome[r.key as CallOutcome] = r.calls;

  // Every region the campaign covers, with zeros where nobody has called yet.
  const regionRows = [...rows('region')];
  for (const orgId of covered)
    if (!regionRows.some((r) => r.key === orgId))
      regionRows.push({
        set: 'region',
        key: orgId,
        calls: 0,
        reached: 0,
        eventSignUps: 0,
        newsletter: 0,
        followUpsOpen: 0,
      });
  const regionIds = regionRows.map((r) => r.key as string);
  const centreCalls = new Map(rows('centre').map((r) => [r.key, r]));
  const [names, withChildren, callers] = await Promise.all([
    repo.findOrgNames(ctx.db, regionIds),
    repo.unitsWithChildren(
      ctx.db,
      regionIds.filter((r) => r !== scope.orgId),
    ),
    repo.findUserNames(
      ctx.db,
      rows('caller')
        .map((r) => r.key)
        .filter((k): k is string => !!k),
    ),
  ]);
  const nameOf = new Map(names.map((n) => [n.id, n.name]));
  const callerName = new Map(callers.map((u) => [u.id, u.name]));
  const attempted = targets.attempted;
  return {
    orgId: scope.orgId,
    headline: {
      targets: targets.targets,
      attempted,
      reached: targets.reached,
      reachRate: attempted ? targets.reached / attempted : 0,
      remaining: targets.remaining,
      noCurrentNumber: targets.noValidPhone,
      noCurrentNumberShare: targets.targets ? targets.noValidPhone / targets.targets : 0,
      doNotCall: targets.doNotCall,
      followUpsOpen: total.followUpsOpen,
      newsletterSignUps: total.newsletter,
      eventSignUps: total.eventSignUps,
      calls: total.calls,
    },
    byOutcome,
    byDay: rows('day')
      .map((r) => ({ day: r.key as string, calls: r.calls, reached: r.reached }))
      .sort((a, b) => a.day.localeCompare(b.day)),
    byHour: rows('hour')
      .map((r) => ({ hour: Number(r.key), calls: r.calls, reached: r.reached }))
      .sort((a, b) => a.hour - b.hour),
    byRegion: regionRows
      .map((r) => ({
        orgId: r.key,
        name: nameOf.get(r.key as string) ?? '—',
        calls: r.calls,
        reached: r.reached,
        people: people.get(r.key as string) ?? 0,
        hasChildren: r.key !== scope.orgId && withChildren.has(r.key as string),
      }))
      .sort((a, b) => b.calls - a.calls || a.name.localeCompare(b.name)),
    byCallCentre: centres
      .filter((c) => centreIds.has(c.id) && centresHere.has(c.orgId))
      .map((c) => ({
        callCentreId: c.id,
        orgId: c.orgId,
        name: c.orgName,
        calls: centreCalls.get(c.id)?.calls ?? 0,
        reached: centreCalls.get(c.id)?.reached ?? 0,
      }))
      .sort((a, b) => b.calls - a.calls || a.name.localeCompare(b.name)),
    byCaller: rows('caller')
      .map((r) => ({
        callerId: r.key,
        name: r.key ? (callerName.get(r.key) ?? null) : null,
        calls: r.calls,
        reached: r.reached,
      }))
      .sort((a, b) => b.calls - a.calls),
    byQuestion: catalogue.map((meta) => {
      const mine = answers.filter((a) => a.questionId === meta.id);
      const counted = new Map(mine.filter((a) => a.value !== null).map((a) => [a.value as string, a.count]));
      // Every current option appears (also with 0); values of older versions follow.
      const values = [
        ...(meta.options ?? (meta.type === 'yes_no' ? ['true', 'false'] : [])),
        ...counted.keys(),
      ];
      return {
        questionId: meta.id,
        text: meta.text,
        type: meta.type,
        regional: meta.regional,
        answered: mine.find((a) => a.value === null)?.count ?? 0,
        answers:
          meta.type === 'free_text'
            ? []
            : [...new Set(values)].map((value) => ({ value, count: counted.get(value) ?? 0 })),
      };
    }),
  };
}

function parseDimension(raw: string, catalogue: QuestionMeta[], path: string): repo.Dimension {
  if (!raw.startsWith('question:')) return { kind: raw as 'region' };
  const id = raw.slice('question:'.length);
  const q = catalogue.find((x) => x.id === id);
  const fail = (message: string) => new AppError('validation_failed', message, [{ path, message }]);
  if (!q) throw fail(`Unknown dimension ${raw}: no such question in this campaign.`);
  if (q.type === 'free_text') throw fail(`Question ${id} is free text; it cannot be a dimension.`);
  const order = q.type === 'yes_no' ? ['true', 'false'] : q.type === 'scale' ? [] : (q.options ?? []);
  return { kind: 'question', id, order };
}

/** Label of one value of a dimension, in the viewer's language. */
async function labeller(ctx: Ctx, d: repo.Dimension, keys: string[]) {
  const outcomeLabels = OUTCOME_LABELS[ctx.actor.locale === 'en' ? 'en' : 'de'];
  if (d.kind === 'region') {
    const names = new Map((await repo.findOrgNames(ctx.db, keys)).map((n) => [n.id, n.name]));
    return (k: string) => names.get(k) ?? k;
  }
  if (d.kind === 'caller') {
    const names = new Map(
      (await repo.findUserNames(ctx.db, keys.filter(Boolean))).map((u) => [u.id, u.name]),
    );
    return (k: string) => names.get(k) ?? '—';
  }
  if (d.kind === 'outcome') return (k: string) => outcomeLabels[k as CallOutcome] ?? k;
  if (d.kind === 'question') {
    const yes = ctx.actor.locale === 'en' ? { true: 'Yes', false: 'No' } : { true: 'Ja', false: 'Nein' };
    return (k: string) => yes[k as 'true' | 'false'] ?? k;
  }
  return (k: string) => k;
}

/** Hours by number, outcomes in their usual order, regions and callers by name, the rest by value. */
/** Answers in the question's order (yes before no, options as listed, scales by number), older values after. */
const byAnswerOrder = (order: string[]) => (a: string, b: string) => {
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return rank(a) - rank(b) || Number(a) - Number(b) || a.localeCompare(b);
};

const sortKeys = (d: repo.Dimension, keys: string[], label: (k: string) => string) =>
  d.kind === 'question'
    ? keys.sort(byAnswerOrder(d.order ?? []))
    : d.kind === 'hour'
      ? keys.sort((a, b) => Number(a) - Number(b))
      : d.kind === 'outcome'
        ? keys.sort(
            (a, b) => CALL_OUTCOMES.indexOf(a as CallOutcome) - CALL_OUTCOMES.indexOf(b as CallOutcome),
          )
        : d.kind === 'region' || d.kind === 'caller'
          ? keys.sort((a, b) => label(a).localeCompare(label(b)))
          : keys.sort();

export async function campaignCrosstab(
  ctx: Ctx,
  id: string,
  q: z.infer<typeof CrosstabQuery>,
): Promise<Crosstab> {
  const { campaign, centres, access, scope } = await resolveScope(ctx, id, q);
  const catalogue = await questionCatalogue(
    ctx,
    campaign,
    access.owner ? new Set(centres.map((c) => c.id)) : access.centreIds,
  );
  const rowDim = parseDimension(q.rows, catalogue, 'querystring.rows');
  const colDim = parseDimension(q.columns, catalogue, 'querystring.columns');
  const [counts, covered] = await Promise.all([
    aggregates.usesAggregates(scope) && aggregates.crosstabFromAggregates(rowDim, colDim)
      ? aggregates.crosstabCounts(ctx.db, scope, rowDim, colDim)
      : repo.crosstabCounts(ctx.db, scope, rowDim, colDim),
    rowDim.kind === 'region' || colDim.kind === 'region'
      ? repo.coveredRegions(ctx.db, campaign.id, scope.orgId)
      : [],
  ]);
  // Regions the campaign covers appear with zeros, as on the dashboard.
  const rowSet = [...new Set([...counts.map((c) => c.r), ...(rowDim.kind === 'region' ? covered : [])])];
  const colSet = [...new Set([...counts.map((c) => c.k), ...(colDim.kind === 'region' ? covered : [])])];
  const [rowLabel, colLabel] = await Promise.all([
    labeller(ctx, rowDim, rowSet),
    labeller(ctx, colDim, colSet),
  ]);
  const rowKeys = sortKeys(rowDim, rowSet, rowLabel);
  const colKeys = sortKeys(colDim, colSet, colLabel);
  const cell = new Map(counts.map((c) => [`${c.r}\u0000${c.k}`, c.n]));
  const cells = rowKeys.map((r) => colKeys.map((k) => cell.get(`${r}\u0000${k}`) ?? 0));
  const rowTotals = cells.map((row) => row.reduce((a, b) => a + b, 0));
  const columnTotals = colKeys.map((_, j) => cells.reduce((a, row) => a + row[j], 0));
  const share = (n: number, of: number) => (of ? n / of : 0);
  return {
    rows: rowKeys.map((key) => ({ key, label: rowLabel(key) })),
    columns: colKeys.map((key) => ({ key, label: colLabel(key) })),
    cells,
    rowTotals,
    columnTotals,
    total: cells.flat().reduce((a, b) => a + b, 0),
    rowShares: cells.map((row, i) => row.map((n) => share(n, rowTotals[i]))),
    columnShares: cells.map((row) => row.map((n, j) => share(n, columnTotals[j]))),
  };
}

/**
 * CSV is text, so its numbers are written the way the reader's spreadsheet parses them: German
 * "38,2" (with `;` between cells; "38.2" would be read as text or a date), English "38.2" (with
 * `,`). XLSX keeps real numbers, which the spreadsheet shows in its own locale.
 */
const csvNumber = (de: boolean) => (value: string | number) =>
  typeof value === 'number' && de ? String(value).replace('.', ',') : value;

/**
 * The dashboard as a file: with `rows` and `columns` the crosstab, else the figures (headline,
 * regions, days, hours, outcomes, answers) — one sheet each in XLSX, one after another in CSV.
 */
export async function exportCampaign(ctx: Ctx, id: string, q: z.infer<typeof CampaignExportQuery>) {
  const de = ctx.actor.locale !== 'en';
  const outcomeLabels = OUTCOME_LABELS[de ? 'de' : 'en'];
  const t = (deText: string, enText: string) => (de ? deText : enText);
  const tables: { name: string; header: string[]; rows: (string | number)[][] }[] = [];
  if (q.rows || q.columns) {
    if (!q.rows || !q.columns)
      throw new AppError('validation_failed', 'A crosstab export needs rows and columns.', [
        { path: `querystring.${q.rows ? 'columns' : 'rows'}`, message: 'required with the other' },
      ]);
    const x = await campaignCrosstab(ctx, id, { ...q, rows: q.rows, columns: q.columns });
    if (!q.percent)
      tables.push({
        name: t('Kreuztabelle', 'Crosstab'),
        header: ['', ...x.columns.map((c) => c.label), t('Summe', 'Total')],
        rows: [
          ...x.rows.map((r, i) => [r.label, ...x.cells[i], x.rowTotals[i]]),
          [t('Summe', 'Total'), ...x.columnTotals, x.total],
        ],
      });
    else {
      // Percentages with one decimal; the total column/row shows what each line adds up to.
      const pct = (n: number) => Math.round(n * 1000) / 10;
      const shares = q.percent === 'row' ? x.rowShares : x.columnShares;
      const whole = (n: number) => pct(n ? 1 : 0);
      tables.push({
        name:
          q.percent === 'row'
            ? t('Kreuztabelle (% der Zeile)', 'Crosstab (% of row)')
            : t('Kreuztabelle (% der Spalte)', 'Crosstab (% of column)'),
        header: [
          q.percent === 'row' ? t('% der Zeile', '% of row') : t('% der Spalte', '% of column'),
          ...x.columns.map((c) => c.label),
          t('Summe', 'Total'),
        ],
        rows: [
          ...x.rows.map((r, i) => [
            r.label,
            ...shares[i].map(pct),
            q.percent === 'row' ? whole(x.rowTotals[i]) : pct(x.total ? x.rowTotals[i] / x.total : 0),
          ]),
          [
            t('Summe', 'Total'),
            ...x.columnTotals.map((n) =>
              q.percent === 'column' ? whole(n) : pct(x.total ? n / x.total : 0),
            ),
            whole(x.total),
          ],
        ],
      });
    }
  } else {
    const s = await campaignStats(ctx, id, q);
    const h = s.headline;
    tables.push(
      {
        name: t('Kennzahlen', 'Figures'),
        header: [t('Kennzahl', 'Figure'), t('Wert', 'Value')],
        rows: [
          [t('Zielpersonen', 'Targets'), h.targets],
          [t('Angerufen', 'Attempted'), h.attempted],
          [t('Erreicht', 'Reached'), h.reached],
          [t('Erreichungsquote', 'Reach rate'), Math.round(h.reachRate * 1000) / 10],
          [t('Offen', 'Remaining'), h.remaining],
          [t('Keine aktuelle Nummer', 'No current number'), h.noCurrentNumber],
          [t('Nicht mehr anrufen', 'Do not call'), h.doNotCall],
          [t('Offene Nachfassaufgaben', 'Open follow-ups'), h.followUpsOpen],
          [t('Newsletter-Anmeldungen', 'Newsletter sign-ups'), h.newsletterSignUps],
          [t('Veranstaltungsanmeldungen', 'Event sign-ups'), h.eventSignUps],
          [t('Anrufe', 'Calls'), h.calls],
        ],
      },
      {
        name: t('Regionen', 'Regions'),
        header: [
          t('Region', 'Region'),
          t('Anrufe', 'Calls'),
          t('Erreicht', 'Reached'),
          t('Personen', 'People'),
        ],
        rows: s.byRegion.map((r) => [r.name, r.calls, r.reached, r.people]),
      },
      {
        name: t('Callcenter', 'Call centres'),
        header: [t('Callcenter', 'Call centre'), t('Anrufe', 'Calls'), t('Erreicht', 'Reached')],
        rows: s.byCallCentre.map((c) => [c.name, c.calls, c.reached]),
      },
      {
        name: t('Tage', 'Days'),
        header: [t('Tag', 'Day'), t('Anrufe', 'Calls'), t('Erreicht', 'Reached')],
        rows: s.byDay.map((r) => [r.day, r.calls, r.reached]),
      },
      {
        name: t('Uhrzeiten', 'Hours'),
        header: [t('Stunde', 'Hour'), t('Anrufe', 'Calls'), t('Erreicht', 'Reached')],
        rows: s.byHour.map((r) => [r.hour, r.calls, r.reached]),
      },
      {
        name: t('Ergebnisse', 'Outcomes'),
        header: [t('Ergebnis', 'Outcome'), t('Anrufe', 'Calls')],
        rows: CALL_OUTCOMES.map((o) => [outcomeLabels[o], s.byOutcome[o]]),
      },
      {
        name: t('Antworten', 'Answers'),
        header: [t('Frage', 'Question'), t('Antwort', 'Answer'), t('Anzahl', 'Count')],
        rows: s.byQuestion.flatMap((qq) =>
          qq.answers.length
            ? qq.answers.map((a) => [
                qq.text,
                a.value === 'true' ? t('Ja', 'Yes') : a.value === 'false' ? t('Nein', 'No') : a.value,
                a.count,
              ])
            : [[qq.text, t('(beantwortet)', '(answered)'), qq.answered]],
        ),
      },
    );
  }
  const file = await writeTables(
    q.format,
    q.format === 'csv'
      ? tables.map((table) => ({ ...table, rows: table.rows.map((row) => row.map(csvNumber(de))) }))
      : tables,
    `draht-kampagne-${new Date().toISOString().slice(0, 10)}`,
    de ? ';' : ',',
  );
  await audit.record(
    ctx,
    'campaign.exported',
    { type: 'campaign', id, orgId: q.orgId ?? null },
    { format: q.format, rows: q.rows ?? null, columns: q.columns ?? null },
  );
  return file;
}
