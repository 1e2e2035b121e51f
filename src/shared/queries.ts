import { z } from 'zod';
import { CALL_OUTCOMES } from './calls.ts';
import { IsoDate } from './common.ts';
import { ConsentFilter } from './consents.ts';
import { MailHistoryFilter } from './mailings.ts';
import { CUSTOM_FIELD_TYPES, MembershipStatus, PERSON_SOURCES, PersonListItem } from './people.ts';

/**
 * Smart search: a filter tree over people. Groups combine their children with AND or OR, every
 * node can be negated (`not: true`). The server always intersects the result with the unit the
 * query is run for (its subtree), so a filter never reaches outside the actor's scope.
 */

export const MAX_FILTER_DEPTH = 6;
export const MAX_FILTER_NODES = 100;

/** Value types a condition can compare; custom fields map their type onto these. */
export type ConditionType = 'text' | 'number' | 'date' | 'boolean' | 'single_choice' | 'multiple_choice';

export const CONDITION_OPS = [
  'equals',
  'contains',
  'startsWith',
  'empty',
  'notEmpty',
  'between',
  'withinLastDays',
  'moreThanDaysAgo',
] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

/** Which operators each value type allows (the API refuses the others with a 400). */
export const OPERATORS_BY_TYPE: Record<ConditionType, readonly ConditionOp[]> = {
  text: ['equals', 'contains', 'startsWith', 'empty', 'notEmpty'],
  number: ['equals', 'between', 'empty', 'notEmpty'],
  date: ['equals', 'between', 'withinLastDays', 'moreThanDaysAgo', 'empty', 'notEmpty'],
  boolean: ['equals', 'empty', 'notEmpty'],
  single_choice: ['equals', 'empty', 'notEmpty'],
  multiple_choice: ['contains', 'empty', 'notEmpty'],
};

/** Person columns a `field` filter may use, with their value type. */
export const PERSON_FILTER_FIELDS = {
  firstName: 'text',
  lastName: 'text',
  title: 'text',
  gender: 'text',
  pronouns: 'text',
  street: 'text',
  houseNumber: 'text',
  postalCode: 'text',
  city: 'text',
  country: 'text',
  memberNumber: 'text',
  sourceDetail: 'text',
  birthDate: 'date',
  joinedOn: 'date',
  leftOn: 'date',
  createdAt: 'date',
  updatedAt: 'date',
  doNotCall: 'boolean',
  doNotEmail: 'boolean',
  doNotPost: 'boolean',
} as const satisfies Record<string, ConditionType>;
export type PersonFilterField = keyof typeof PERSON_FILTER_FIELDS;
const PERSON_FIELD_NAMES = Object.keys(PERSON_FILTER_FIELDS) as [PersonFilterField, ...PersonFilterField[]];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isIsoDate = (v: unknown) =>
  typeof v === 'string' && ISO_DATE.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/** The comparison part shared by `field` and `customField` filters. */
const conditionShape = {
  op: z.enum(CONDITION_OPS),
  value: z.union([z.string().max(200), z.number(), z.boolean()]).optional(),
  from: z.union([z.string().max(200), z.number()]).optional(),
  to: z.union([z.string().max(200), z.number()]).optional(),
  days: z.number().int().min(0).max(36_500).optional(),
};
export type Condition = {
  op: ConditionOp;
  value?: string | number | boolean;
  from?: string | number;
  to?: string | number;
  days?: number;
};

/** Why a condition does not fit a value type, or null when it does. Used by server and web alike. */
export function conditionProblem(type: ConditionType, c: Condition, options: string[] = []): string | null {
  if (!OPERATORS_BY_TYPE[type].includes(c.op))
    return `operator "${c.op}" is not allowed for a ${type} field (allowed: ${OPERATORS_BY_TYPE[type].join(', ')})`;
  switch (c.op) {
    case 'empty':
    case 'notEmpty':
      return null;
    case 'withinLastDays':
    case 'moreThanDaysAgo':
      return c.days === undefined ? `"${c.op}" needs "days"` : null;
    case 'between': {
      if (c.from === undefined && c.to === undefined) return '"between" needs "from" or "to"';
      for (const v of [c.from, c.to]) {
        if (v === undefined) continue;
        if (type === 'date' && !isIsoDate(v)) return `invalid date "${v}" (expected YYYY-MM-DD)`;
        if (type === 'number' && typeof v !== 'number') return `expected a number, got "${v}"`;
      }
      return null;
    }
    case 'equals':
    case 'contains':
    case 'startsWith': {
      const v = c.value;
      if (v === undefined) return `"${c.op}" needs "value"`;
      if (type === 'date' && !isIsoDate(v)) return `invalid date "${v}" (expected YYYY-MM-DD)`;
      if (type === 'number' && typeof v !== 'number') return `expected a number, got "${v}"`;
      if (type === 'boolean' && typeof v !== 'boolean') return 'expected true or false';
      if (type === 'text' && (typeof v !== 'string' || v.trim() === '')) return 'expected some text';
      if (type.endsWith('_choice') && (typeof v !== 'string' || (options.length && !options.includes(v))))
        return `expected one of ${options.join(', ')}`;
      return null;
    }
  }
}

const negatable = { not: z.boolean().optional() };

export const FieldFilter = z
  .strictObject({
    kind: z.literal('field'),
    ...negatable,
    field: z.enum(PERSON_FIELD_NAMES),
    ...conditionShape,
  })
  .superRefine((f, ctx) => {
    const problem = conditionProblem(PERSON_FILTER_FIELDS[f.field], f);
    if (problem) ctx.addIssue({ code: 'custom', message: `field "${f.field}": ${problem}` });
  })
  .meta({ description: 'A person field compared by its type (text, date, yes/no).' });

export const CustomFieldFilter = z
  .strictObject({ kind: z.literal('customField'), ...negatable, fieldId: z.uuid(), ...conditionShape })
  .meta({ description: "A custom field of the unit or above, compared by the field's type." });

export const StatusFilter = z
  .strictObject({
    kind: z.literal('status'),
    ...negatable,
    statuses: z.array(MembershipStatus).min(1).max(4),
  })
  .meta({ description: 'Membership status is one of the given.' });

export const OrgUnitFilter = z
  .strictObject({
    kind: z.literal('orgUnit'),
    ...negatable,
    orgId: z.uuid(),
    include: z.enum(['subtree', 'exact']).default('subtree'),
  })
  .meta({ description: 'Home unit is the given one (exact) or lies in its subtree.' });

const PostalCode = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z -]{1,10}$/, 'expected a postal code or its beginning');
export const PostalCodeFilter = z
  .strictObject({
    kind: z.literal('postalCode'),
    ...negatable,
    op: z.enum(['in', 'startsWith', 'between']),
    values: z.array(PostalCode).max(500).optional(),
    from: PostalCode.optional(),
    to: PostalCode.optional(),
  })
  .superRefine((f, ctx) => {
    if (f.op !== 'between' && !f.values?.length)
      ctx.addIssue({ code: 'custom', message: `postal code "${f.op}" needs "values"`, path: ['values'] });
    if (f.op === 'between' && (!f.from || !f.to))
      ctx.addIssue({
        code: 'custom',
        message: 'postal code "between" needs "from" and "to"',
        path: ['from'],
      });
  })
  .meta({ description: 'Postal code in a list, starting with one of some prefixes, or in a range.' });

export const AgeFilter = z
  .strictObject({
    kind: z.literal('age'),
    ...negatable,
    min: z.number().int().min(0).max(150).optional(),
    max: z.number().int().min(0).max(150).optional(),
  })
  .superRefine((f, ctx) => {
    if (f.min === undefined && f.max === undefined)
      ctx.addIssue({ code: 'custom', message: 'age needs "min" or "max"' });
    else if (f.min !== undefined && f.max !== undefined && f.min > f.max)
      ctx.addIssue({ code: 'custom', message: 'age "min" is above "max"' });
  })
  .meta({ description: 'Age in whole years (from the birth date) between min and max, inclusive.' });

export const ContactFilter = z
  .strictObject({ kind: z.literal('contact'), ...negatable, channel: z.enum(['email', 'phone', 'mobile']) })
  .meta({ description: 'Has a valid email address, a valid phone number, or a valid mobile number.' });

export const TagsFilter = z
  .strictObject({
    kind: z.literal('tags'),
    ...negatable,
    match: z.enum(['any', 'all', 'none']),
    tagIds: z.array(z.uuid()).min(1).max(50),
  })
  .meta({ description: 'Has any, all or none of the given tags.' });

export const SourceFilter = z
  .strictObject({ kind: z.literal('source'), ...negatable, sources: z.array(z.enum(PERSON_SOURCES)).min(1) })
  .meta({ description: 'Where the record came from (manual entry, import, form, call).' });

export const SampleFilter = z
  .strictObject({
    kind: z.literal('sample'),
    ...negatable,
    size: z.number().int().min(1).max(1_000_000).optional(),
    percent: z.number().gt(0).max(100).optional(),
    seed: z.string().trim().min(1).max(50),
  })
  .superRefine((f, ctx) => {
    if ((f.size === undefined) === (f.percent === undefined))
      ctx.addIssue({ code: 'custom', message: 'sample needs either "size" or "percent"' });
  })
  .meta({
    description:
      'A random but stable (same seed, same people) sample: "percent" of everyone, or "size" people among those matching the other filters of its AND group.',
  });

export const SavedQueryFilter = z
  .strictObject({
    kind: z.literal('savedQuery'),
    ...negatable,
    queryId: z.uuid(),
    mode: z.enum(['include', 'exclude']).default('include'),
  })
  .meta({ description: 'The people of another saved list (include) or everyone but them (exclude).' });

const CallDate = z.string().refine(isIsoDate, 'expected a date YYYY-MM-DD');

export const CallHistoryFilter = z
  .strictObject({
    kind: z.literal('callHistory'),
    ...negatable,
    /** One assignment; without it every assignment of the unit, above it or below it counts. */
    assignmentId: z.uuid().optional(),
    /** Only calls with one of these outcomes count. */
    outcomes: z.array(z.enum(CALL_OUTCOMES)).min(1).max(CALL_OUTCOMES.length).optional(),
    /** Only calls that ended on or after this day / on or before this day. */
    from: CallDate.optional(),
    to: CallDate.optional(),
    /** Only calls of the last n days (today included); instead of from/to. */
    withinLastDays: z.number().int().min(0).max(36_500).optional(),
    /** How many calls (of those counting) a person has: at least / at most. Default: at least 1. */
    minCalls: z.number().int().min(0).max(10_000).optional(),
    maxCalls: z.number().int().min(0).max(10_000).optional(),
    /** true: at least one of the calls in the assignment/dates was `reached`; false: none was. */
    reached: z.boolean().optional(),
  })
  .superRefine((f, ctx) => {
    if (f.minCalls !== undefined && f.maxCalls !== undefined && f.minCalls > f.maxCalls)
      ctx.addIssue({
        code: 'custom',
        message: 'call history "minCalls" is above "maxCalls"',
        path: ['minCalls'],
      });
    if (f.from && f.to && f.from > f.to)
      ctx.addIssue({ code: 'custom', message: 'call history "from" is after "to"', path: ['from'] });
    if (f.withinLastDays !== undefined && (f.from || f.to))
      ctx.addIssue({
        code: 'custom',
        message: 'call history takes either "withinLastDays" or "from"/"to"',
        path: ['withinLastDays'],
      });
  })
  .meta({
    description:
      'People by their calls: those of one assignment (or any of the unit, above or below it), with the given outcomes, in a date range; at least minCalls (default 1) and at most maxCalls such calls (maxCalls 0: never called). reached: true/false adds "was reached / was never reached" in that assignment and date range.',
  });

/** Call question types and the comparisons a `callAnswer` filter allows for each. */
export const CALL_ANSWER_OPS = ['answered', 'equals', 'oneOf', 'contains', 'gte', 'lte', 'between'] as const;
export type CallAnswerOp = (typeof CALL_ANSWER_OPS)[number];
export const CALL_ANSWER_OPS_BY_TYPE: Record<string, readonly CallAnswerOp[]> = {
  single_choice: ['equals', 'oneOf', 'answered'],
  multiple_choice: ['contains', 'oneOf', 'answered'],
  yes_no: ['equals', 'answered'],
  scale: ['equals', 'gte', 'lte', 'between', 'answered'],
  free_text: ['contains', 'answered'],
};

export const CallAnswerFilter = z
  .strictObject({
    kind: z.literal('callAnswer'),
    ...negatable,
    /** The answers of one assignment, or of every assignment of a campaign (national and regional questions). */
    assignmentId: z.uuid().optional(),
    campaignId: z.uuid().optional(),
    questionId: z.string().regex(/^[\w-]{1,40}$/, 'expected a question id'),
    op: z.enum(CALL_ANSWER_OPS),
    value: z.union([z.string().max(200), z.number(), z.boolean()]).optional(),
    values: z.array(z.string().max(200)).min(1).max(30).optional(),
    from: z.number().optional(),
    to: z.number().optional(),
  })
  .refine((f) => !!f.assignmentId !== !!f.campaignId, {
    message: 'call answer needs either "assignmentId" or "campaignId"',
    path: ['assignmentId'],
  })
  .meta({
    description:
      'An answer given in a call of the assignment (or of any assignment of a campaign): single choice equals / one of; multiple choice contains / any of; yes/no equals; scale equals, gte, lte, between; free text contains; or just answered. Any call of the person counts.',
  });

/** Why a `callAnswer` comparison does not fit the question, or null when it does. Server and web alike. */
export function callAnswerProblem(
  question: { type: string; options?: string[]; min?: number; max?: number },
  f: { op: CallAnswerOp; value?: unknown; values?: string[]; from?: number; to?: number },
): string | null {
  const ops = CALL_ANSWER_OPS_BY_TYPE[question.type] ?? ['answered'];
  if (!ops.includes(f.op))
    return `operator "${f.op}" is not allowed for a ${question.type} question (allowed: ${ops.join(', ')})`;
  const options = question.options ?? [];
  const v = f.value;
  switch (f.op) {
    case 'answered':
      return null;
    case 'oneOf': {
      const bad = (f.values ?? []).find((x) => !options.includes(x));
      if (!f.values?.length) return '"oneOf" needs "values"';
      return bad === undefined ? null : `"${bad}" is not an option (options: ${options.join(', ')})`;
    }
    case 'between':
      if (f.from === undefined && f.to === undefined) return '"between" needs "from" or "to"';
      if (f.from !== undefined && f.to !== undefined && f.from > f.to) return '"from" is above "to"';
      return null;
    case 'gte':
    case 'lte':
      return typeof v === 'number' ? null : `"${f.op}" needs a number as "value"`;
    case 'equals':
      if (question.type === 'yes_no') return typeof v === 'boolean' ? null : 'expected true or false';
      if (question.type === 'scale') return typeof v === 'number' ? null : 'expected a number';
      return typeof v === 'string' && options.includes(v) ? null : `expected one of ${options.join(', ')}`;
    case 'contains':
      if (question.type === 'multiple_choice')
        return typeof v === 'string' && options.includes(v) ? null : `expected one of ${options.join(', ')}`;
      return typeof v === 'string' && v.trim() !== '' ? null : 'expected some text';
  }
}

export type FieldFilter = z.infer<typeof FieldFilter>;
export type CustomFieldFilter = z.infer<typeof CustomFieldFilter>;
export type StatusFilter = z.infer<typeof StatusFilter>;
export type OrgUnitFilter = z.infer<typeof OrgUnitFilter>;
export type PostalCodeFilter = z.infer<typeof PostalCodeFilter>;
export type AgeFilter = z.infer<typeof AgeFilter>;
export type ContactFilter = z.infer<typeof ContactFilter>;
export type TagsFilter = z.infer<typeof TagsFilter>;
export type SourceFilter = z.infer<typeof SourceFilter>;
export type SampleFilter = z.infer<typeof SampleFilter>;
export type SavedQueryFilter = z.infer<typeof SavedQueryFilter>;
export type CallHistoryFilter = z.infer<typeof CallHistoryFilter>;
export type CallAnswerFilter = z.infer<typeof CallAnswerFilter>;
export type FilterGroup = {
  kind: 'group';
  not?: boolean;
  op: 'and' | 'or';
  children: FilterNode[];
};
export type FilterNode =
  | FilterGroup
  | FieldFilter
  | CustomFieldFilter
  | StatusFilter
  | OrgUnitFilter
  | PostalCodeFilter
  | AgeFilter
  | ContactFilter
  | TagsFilter
  | SourceFilter
  | SampleFilter
  | SavedQueryFilter
  | CallHistoryFilter
  | CallAnswerFilter
  | ConsentFilter
  | MailHistoryFilter;
export type FilterKind = FilterNode['kind'];

export const FilterGroup: z.ZodType<FilterGroup> = z
  .strictObject({
    kind: z.literal('group'),
    ...negatable,
    op: z.enum(['and', 'or']),
    get children() {
      return z.array(FilterNode).max(MAX_FILTER_NODES);
    },
  })
  .meta({ description: 'Combines its children with AND or OR; an empty group matches everyone.' });

/** Every leaf kind (the filter-kinds endpoint describes these). */
export const LEAF_FILTERS = [
  FieldFilter,
  CustomFieldFilter,
  StatusFilter,
  OrgUnitFilter,
  PostalCodeFilter,
  AgeFilter,
  ContactFilter,
  TagsFilter,
  SourceFilter,
  SampleFilter,
  SavedQueryFilter,
  CallHistoryFilter,
  CallAnswerFilter,
  ConsentFilter,
  MailHistoryFilter,
] as const;

export const FilterNode: z.ZodType<FilterNode> = z.lazy(() =>
  z.discriminatedUnion(
    'kind',
    // biome-ignore lint/suspicious/noExplicitAny: the group is recursive; its static type is FilterNode
    [FilterGroup as any, ...LEAF_FILTERS],
    {
      error: (iss) =>
        iss.code === 'invalid_union'
          ? `unknown filter kind ${JSON.stringify((iss.input as { kind?: unknown } | undefined)?.kind ?? null)}`
          : undefined,
    },
  ),
);

/** Depth (a leaf is 1) and node count of a raw filter, without trusting its shape. */
export function filterBounds(raw: unknown): { depth: number; nodes: number } {
  let nodes = 0;
  let depth = 0;
  const stack: [unknown, number][] = [[raw, 1]];
  while (stack.length) {
    const [node, d] = stack.pop()!;
    nodes++;
    depth = Math.max(depth, d);
    if (nodes > MAX_FILTER_NODES * 2 || depth > MAX_FILTER_DEPTH * 2) break;
    const children = (node as { children?: unknown } | null)?.children;
    if (Array.isArray(children)) for (const c of children) stack.push([c, d + 1]);
  }
  return { depth, nodes };
}

/** The root of a filter: a node within the depth and size limits, checked before the tree is parsed. */
export const QueryFilter = z
  .any()
  .superRefine((raw, ctx) => {
    const { depth, nodes } = filterBounds(raw);
    if (depth > MAX_FILTER_DEPTH)
      ctx.addIssue({
        code: 'custom',
        message: `the filter is nested too deeply (at most ${MAX_FILTER_DEPTH} levels)`,
        abort: true,
      });
    else if (nodes > MAX_FILTER_NODES)
      ctx.addIssue({
        code: 'custom',
        message: `the filter has too many conditions (at most ${MAX_FILTER_NODES})`,
        abort: true,
      });
  })
  .pipe(FilterNode);

export const QUERY_MODES = ['dynamic', 'snapshot'] as const;

/**
 * A filter on the wire: a JSON object the server parses with `QueryFilter` itself, so a problem is
 * a 400 whose message names the filter (`Filter filter.children.1 (tags): …`).
 */
export const FilterInput = z
  .record(z.string(), z.unknown())
  .meta({ description: 'A filter tree: see GET /api/queries/filter-kinds for the kinds and their options.' });

export const QueryPreviewBody = z.strictObject({ orgId: z.uuid(), filter: FilterInput });
export const QueryPreview = z.object({ count: z.number().int(), sample: z.array(PersonListItem) });

export const QueryCreate = z
  .strictObject({
    orgId: z.uuid(),
    name: z.string().trim().min(1).max(200),
    description: z.string().trim().max(2000).nullable().optional(),
    filter: FilterInput,
    mode: z.enum(QUERY_MODES).default('dynamic'),
    /**
     * Snapshot lists only: fix exactly these people (those of the unit's subtree; others are ignored)
     * instead of the people the filter finds now.
     */
    personIds: z.array(z.uuid()).min(1).max(10_000).optional(),
  })
  .refine((q) => !q.personIds || q.mode === 'snapshot', {
    message: 'personIds need mode "snapshot": a dynamic list has no fixed people',
    path: ['personIds'],
  });
export const QueryUpdate = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().trim().max(2000).nullable().optional(),
  filter: FilterInput.optional(),
  mode: z.enum(QUERY_MODES).optional(),
  /** Snapshot lists: take the snapshot again now. */
  refresh: z.boolean().optional(),
});
export const QueryListQuery = z.strictObject({ orgId: z.uuid() });
/** People to add to or remove from a snapshot list; ids outside the list's unit are ignored. */
export const QueryMembersBody = z.strictObject({ personIds: z.array(z.uuid()).min(1).max(10_000) });
export const QueryMembersAdded = z.object({ added: z.number().int() });
export const QueryMembersRemoved = z.object({ removed: z.number().int() });

/** Where a problem sits: the path of the filter node (`filter.children.1`) and its kind. */
export function describeFilterIssue(raw: unknown, issuePath: readonly PropertyKey[]) {
  const nodePath: PropertyKey[] = [];
  let node = raw as Record<string, unknown> | undefined;
  for (let i = 0; i + 1 < issuePath.length && issuePath[i] === 'children'; i += 2) {
    const next = (node?.children as unknown[] | undefined)?.[issuePath[i + 1] as number];
    if (typeof next !== 'object' || next === null) break;
    nodePath.push('children', issuePath[i + 1]);
    node = next as Record<string, unknown>;
  }
  return { path: ['filter', ...nodePath].join('.'), kind: typeof node?.kind === 'string' ? node.kind : '?' };
}

export const QueryView = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  orgName: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  mode: z.enum(QUERY_MODES),
  filter: z.custom<FilterNode>((v) => typeof v === 'object' && v !== null),
  ownerId: z.uuid().nullable(),
  ownerName: z.string().nullable(),
  /** Snapshot lists: when the people were fixed and how many. */
  snapshotAt: IsoDate.nullable(),
  snapshotCount: z.number().int().nullable(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type QueryView = z.infer<typeof QueryView>;

export const FilterKindView = z.object({
  kind: z.string(),
  description: z.string(),
  module: z.string(),
  schema: z.record(z.string(), z.unknown()),
});
export const FilterKindsResponse = z.object({
  items: z.array(FilterKindView),
  operatorsByType: z.record(z.string(), z.array(z.string())),
  personFields: z.record(z.string(), z.string()),
  customFieldTypes: z.array(z.enum(CUSTOM_FIELD_TYPES)),
  limits: z.object({ depth: z.number().int(), nodes: z.number().int() }),
});
