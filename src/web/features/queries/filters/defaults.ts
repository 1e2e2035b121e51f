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
  'consent',
  'mailHistory',
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
    case 'consent':
      return { kind: 'consent', channel: 'newsletter', status: 'granted' };
    case 'mailHistory':
      return { kind: 'mailHistory', event: 'received' };
  }
}
