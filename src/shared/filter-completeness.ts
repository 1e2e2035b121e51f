import type { FilterNode } from './queries.ts';

/**
 * Which filters of a tree are complete enough to count: the filter builder (web) sends only those,
 * and the server's tests check that an unfinished filter never changes a count.
 */

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
