import { z } from 'zod';
import {
  CALL_ASSIGNMENT_STATUSES,
  CALL_OUTCOMES,
  CALL_VISIBLE_FIELDS,
  CallingHours,
  CallQuestion,
  StoredQuestion,
} from './calls.ts';
import { IsoDate } from './common.ts';
import { QueryFilter } from './queries.ts';

/**
 * National phone campaigns: the owner unit defines script, question catalogue, target filter and
 * default rules; sub-units join as call centres (each gets call assignments over its subtree) and
 * add regional questions. Evaluation slices the recorded calls by day, hour, region, caller,
 * outcome and answer.
 */

export const CAMPAIGN_SPLITS = ['none', 'district', 'local'] as const;

/** Default rules; call centres may tighten them (fewer attempts, longer cooldown, shorter hours). */
export const CampaignRules = z.strictObject({
  maxAttempts: z.number().int().min(1).max(50).default(3),
  cooldownHours: z.number().int().min(0).max(8760).default(24),
  callingHours: CallingHours.optional(),
});
export type CampaignRules = z.infer<typeof CampaignRules>;

/** A date (`2026-12-01`, start of that day UTC) or a full ISO time. */
const DateOrTime = z.union([z.iso.date(), IsoDate]);

const CampaignFields = {
  title: z.string().trim().min(1).max(200),
  description: z.string().max(5000).nullable().optional(),
  startsAt: DateOrTime.nullable().optional(),
  endsAt: DateOrTime.nullable().optional(),
  targetFilter: QueryFilter,
  script: z.string().max(20000).optional(),
  questions: z.array(CallQuestion).max(50).optional(),
  rules: CampaignRules.optional(),
  visibleFields: z.array(z.enum(CALL_VISIBLE_FIELDS)).max(CALL_VISIBLE_FIELDS.length).optional(),
  /** Sub-units may join on their own (otherwise the owner adds them). */
  allowOptIn: z.boolean().optional(),
  status: z.enum(CALL_ASSIGNMENT_STATUSES).optional(),
};
export const CampaignCreate = z.strictObject({ orgId: z.uuid(), ...CampaignFields });
export const CampaignUpdate = z.strictObject({
  ...CampaignFields,
  title: CampaignFields.title.optional(),
  targetFilter: CampaignFields.targetFilter.optional(),
});
export const CampaignListQuery = z.strictObject({ orgId: z.uuid() });

export const CallCentreView = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  orgName: z.string(),
  splitBy: z.enum(CAMPAIGN_SPLITS),
  questions: z.array(StoredQuestion),
  scriptAddendum: z.string(),
  assignmentIds: z.array(z.uuid()),
  createdAt: IsoDate,
});
export type CallCentreView = z.infer<typeof CallCentreView>;

export const CampaignView = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  orgName: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  startsAt: IsoDate.nullable(),
  endsAt: IsoDate.nullable(),
  script: z.string(),
  questions: z.array(StoredQuestion),
  targetFilter: z.unknown(),
  rules: z.object({ maxAttempts: z.number(), cooldownHours: z.number(), callingHours: CallingHours }),
  visibleFields: z.array(z.string()),
  allowOptIn: z.boolean(),
  status: z.enum(CALL_ASSIGNMENT_STATUSES),
  /** The call centres the viewer may see: all for the owner, else their own. */
  callCentres: z.array(CallCentreView),
  /** May the viewer edit the national part? */
  canEdit: z.boolean(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type CampaignView = z.infer<typeof CampaignView>;

export const CallCentreCreate = z.strictObject({
  orgId: z.uuid(),
  splitBy: z.enum(CAMPAIGN_SPLITS).optional(),
  scriptAddendum: z.string().max(20000).optional(),
});
export const CallCentreCreated = z.object({ callCentreId: z.uuid(), assignmentIds: z.array(z.uuid()) });
export const CallCentreParams = z.strictObject({ id: z.uuid(), callCentreId: z.uuid() });
/** Regional questions: one question, or several; they are added after the national ones. */
export const RegionalQuestionsAdd = z.union([
  CallQuestion,
  z.strictObject({ questions: z.array(CallQuestion).min(1).max(30) }),
]);
export const CallCentreUpdate = z.strictObject({
  scriptAddendum: z.string().max(20000).optional(),
  /** Replaces the regional questions. */
  questions: z.array(CallQuestion).max(30).optional(),
});

// ---- evaluation --------------------------------------------------------------------------------

export const StatsQuery = z.strictObject({
  /** The region looked at (default: the campaign's unit, or the viewer's call centre). */
  orgId: z.uuid().optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  assignmentId: z.uuid().optional(),
  callerId: z.uuid().optional(),
});
export type StatsQuery = z.infer<typeof StatsQuery>;

const OutcomeCounts = z.record(z.enum(CALL_OUTCOMES), z.number().int());

export const CampaignStats = z.object({
  orgId: z.uuid(),
  headline: z.object({
    targets: z.number().int(),
    attempted: z.number().int(),
    reached: z.number().int(),
    /** reached people / attempted people (0 when nobody was attempted). */
    reachRate: z.number(),
    remaining: z.number().int(),
    noCurrentNumber: z.number().int(),
    /** Share of targets without a valid phone. */
    noCurrentNumberShare: z.number(),
    doNotCall: z.number().int(),
    followUpsOpen: z.number().int(),
    newsletterSignUps: z.number().int(),
    eventSignUps: z.number().int(),
    calls: z.number().int(),
  }),
  byOutcome: OutcomeCounts,
  byDay: z.array(z.object({ day: z.string(), calls: z.number().int(), reached: z.number().int() })),
  byHour: z.array(z.object({ hour: z.number().int(), calls: z.number().int(), reached: z.number().int() })),
  byRegion: z.array(
    z.object({
      orgId: z.uuid().nullable(),
      name: z.string(),
      calls: z.number().int(),
      reached: z.number().int(),
      people: z.number().int(),
      hasChildren: z.boolean(),
    }),
  ),
  /** Every call centre of the campaign in the region looked at (that the viewer sees), zeros included. */
  byCallCentre: z.array(
    z.object({
      callCentreId: z.uuid(),
      orgId: z.uuid(),
      name: z.string(),
      calls: z.number().int(),
      reached: z.number().int(),
    }),
  ),
  byCaller: z.array(
    z.object({
      callerId: z.uuid().nullable(),
      name: z.string().nullable(),
      calls: z.number().int(),
      reached: z.number().int(),
    }),
  ),
  byQuestion: z.array(
    z.object({
      questionId: z.string(),
      text: z.string(),
      type: z.string(),
      regional: z.boolean(),
      answered: z.number().int(),
      answers: z.array(z.object({ value: z.string(), count: z.number().int() })),
    }),
  ),
});
export type CampaignStats = z.infer<typeof CampaignStats>;

/** `region`, `outcome`, `day`, `hour`, `caller` or `question:<id>`. */
export const CROSSTAB_DIMENSIONS = ['region', 'outcome', 'day', 'hour', 'caller'] as const;
export const Dimension = z
  .string()
  .max(60)
  .refine(
    (d) => (CROSSTAB_DIMENSIONS as readonly string[]).includes(d) || /^question:[\w-]{1,40}$/.test(d),
    'a dimension is region, outcome, day, hour, caller or question:<id>',
  );
export const CrosstabQuery = StatsQuery.extend({ rows: Dimension, columns: Dimension });
export const Crosstab = z.object({
  rows: z.array(z.object({ key: z.string(), label: z.string() })),
  columns: z.array(z.object({ key: z.string(), label: z.string() })),
  /** cells[i][j]: calls in row i and column j. */
  cells: z.array(z.array(z.number().int())),
  rowTotals: z.array(z.number().int()),
  columnTotals: z.array(z.number().int()),
  total: z.number().int(),
  /** rowShares[i][j]: cells[i][j] / rowTotals[i] (0 for an empty row), between 0 and 1. */
  rowShares: z.array(z.array(z.number())),
  /** columnShares[i][j]: cells[i][j] / columnTotals[j] (0 for an empty column). */
  columnShares: z.array(z.array(z.number())),
});
export type Crosstab = z.infer<typeof Crosstab>;

export const CampaignExportQuery = StatsQuery.extend({
  format: z.enum(['csv', 'xlsx']).default('csv'),
  rows: Dimension.optional(),
  columns: Dimension.optional(),
  /** A crosstab export as shares of each row or column (in %) instead of counts. */
  percent: z.enum(['row', 'column']).optional(),
});

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Where `proposed` is looser than the campaign's rules: more attempts, a shorter cooldown,
 * calling outside the campaign's hours, or more visible fields. Empty when it only tightens.
 */
export function loosenedRules(
  base: { maxAttempts: number; cooldownHours: number; callingHours: CallingHours; visibleFields: string[] },
  proposed: {
    maxAttempts?: number;
    cooldownHours?: number;
    callingHours?: CallingHours;
    visibleFields?: string[];
  },
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (proposed.maxAttempts !== undefined && proposed.maxAttempts > base.maxAttempts)
    problems.push({
      path: 'body.maxAttempts',
      message: `maxAttempts: the campaign allows at most ${base.maxAttempts} attempts`,
    });
  if (proposed.cooldownHours !== undefined && proposed.cooldownHours < base.cooldownHours)
    problems.push({
      path: 'body.cooldownHours',
      message: `cooldownHours: the campaign waits at least ${base.cooldownHours} hours`,
    });
  if (proposed.callingHours) {
    for (const [day, windows] of Object.entries(proposed.callingHours)) {
      const allowed = base.callingHours[day as keyof CallingHours] ?? [];
      for (const w of windows) {
        const inside = allowed.some(
          (b) => minutesOf(w.from) >= minutesOf(b.from) && minutesOf(w.to) <= minutesOf(b.to),
        );
        if (!inside)
          problems.push({
            path: `body.callingHours.${day}`,
            message: `callingHours: ${day} ${w.from}–${w.to} lies outside the campaign's calling hours`,
          });
      }
    }
  }
  const fields = new Set(base.visibleFields);
  const extra = (proposed.visibleFields ?? []).filter((f) => !fields.has(f));
  if (extra.length)
    problems.push({
      path: 'body.visibleFields',
      message: `visibleFields: the campaign does not show ${extra.join(', ')}`,
    });
  return problems;
}
