import { describe, expect, it } from 'vitest';
import { completeOnly, isComplete } from '../../../../shared/filter-completeness.ts';
import type { FilterNode } from '../../../../shared/queries.ts';
import { FilterNode as FilterNodeSchema } from '../../../../shared/queries.ts';
import { newFilter } from './defaults.ts';

describe('filter defaults', () => {
  it('adds an empty age filter that the live count leaves out until a bound is typed in', () => {
    const age = newFilter('age', { orgId: 'x' });
    expect(age).toEqual({ kind: 'age' });
    expect(isComplete(age)).toBe(false);
    const status: FilterNode = { kind: 'status', statuses: ['member'] };
    const group: FilterNode = { kind: 'group', op: 'and', children: [status, age] };
    // The count is asked for exactly the filter without the empty age: the same number.
    expect(completeOnly(group)).toEqual({ kind: 'group', op: 'and', children: [status] });
    // Nested in an OR group too: "members or (empty age)" must not become "members or everyone".
    const nested: FilterNode = {
      kind: 'group',
      op: 'or',
      children: [status, { kind: 'group', op: 'and', children: [age] }],
    };
    expect(completeOnly(nested)).toEqual({ kind: 'group', op: 'or', children: [status] });
    const withMin = { ...age, min: 30 } as FilterNode;
    expect(isComplete(withMin)).toBe(true);
    expect(FilterNodeSchema.safeParse(withMin).success).toBe(true);
  });
});
