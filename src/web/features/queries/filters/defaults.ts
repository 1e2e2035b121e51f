import type { FilterKind, FilterNode } from '../../../../shared/queries.ts';

/** Kinds the "add filter" menu offers, in its order. */
export const ADDABLE_KINDS: Exclude<FilterKind, 'group'>[] = [
  'status',
  'orgUnit',
  'postalCode',
  'age',
  'tags',
  'contact',
  'field',
  'customField',
  'source',
  'savedQuery',
  'sample',
  'callHistory',
  'callAnswer',
];

/** A new filter of a kind, ready to edit. */
export function newFilter(kind: FilterKind, ctx: { orgId: string }): FilterNode {
  switch (kind) {
    case 'group':
      return { kind: 'group', op: 'and', children: [] };
    case 'status':
      return { kind: 'status', statuses: ['member'] };
    case 'orgUnit':
      return { kind: 'orgUnit', orgId: ctx.orgId, include: 'subtree' };
    case 'postalCode':
      return { kind: 'postalCode', op: 'startsWith', values: [] };
    case 'age':
      // Empty until a bound is typed in: an empty age filter is left out and changes no count.
      return { kind: 'age' };
    case 'tags':
      return { kind: 'tags', match: 'any', tagIds: [] };
    case 'contact':
      return { kind: 'contact', channel: 'email' };
    case 'field':
      return { kind: 'field', field: 'city', op: 'contains', value: '' };
    case 'customField':
      return { kind: 'customField', fieldId: '', op: 'notEmpty' };
    case 'source':
      return { kind: 'source', sources: ['import'] };
    case 'savedQuery':
      return { kind: 'savedQuery', queryId: '', mode: 'include' };
    case 'sample':
      return { kind: 'sample', size: 100, seed: Math.random().toString(36).slice(2, 8) };
    case 'callHistory':
      return { kind: 'callHistory' };
    case 'callAnswer':
      return { kind: 'callAnswer', assignmentId: '', questionId: '', op: 'answered' };
  }
}

/** Filters still being filled in (no tag chosen yet …) are left out of the live count. */
export function isComplete(node: FilterNode): boolean {
  switch (node.kind) {
    case 'group':
      return true;
    case 'postalCode':
      return node.op === 'between' ? Boolean(node.from && node.to) : (node.values?.length ?? 0) > 0;
    case 'tags':
      return node.tagIds.length > 0;
    case 'status':
      return node.statuses.length > 0;
    case 'source':
      return node.sources.length > 0;
    case 'customField':
      return Boolean(node.fieldId) && conditionComplete(node);
    case 'field':
      return conditionComplete(node);
    case 'savedQuery':
      return Boolean(node.queryId);
    case 'age':
      return node.min !== undefined || node.max !== undefined;
    case 'callAnswer':
      return Boolean(node.assignmentId && node.questionId) && answerComplete(node);
    default:
      return true;
  }
}

function answerComplete(f: {
  op: string;
  value?: unknown;
  values?: unknown[];
  from?: unknown;
  to?: unknown;
}) {
  if (f.op === 'answered') return true;
  if (f.op === 'oneOf') return Boolean(f.values?.length);
  if (f.op === 'between') return f.from !== undefined || f.to !== undefined;
  return f.value !== undefined && f.value !== '';
}

function conditionComplete(c: { op: string; value?: unknown; from?: unknown; to?: unknown; days?: unknown }) {
  if (c.op === 'empty' || c.op === 'notEmpty') return true;
  if (c.op === 'between') return c.from !== undefined || c.to !== undefined;
  if (c.op === 'withinLastDays' || c.op === 'moreThanDaysAgo') return c.days !== undefined;
  return c.value !== undefined && c.value !== '';
}

/**
 * The filter as sent for the count: incomplete leaves dropped, and inner groups left empty by that
 * (or still empty) too — an empty group matches everyone, so inside an OR it would count everyone.
 */
export function completeOnly(node: FilterNode): FilterNode {
  if (node.kind !== 'group') return node;
  return {
    ...node,
    children: node.children
      .filter(isComplete)
      .map(completeOnly)
      .filter((child) => child.kind !== 'group' || child.children.length > 0),
  };
}
