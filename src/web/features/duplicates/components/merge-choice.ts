import { MERGE_FIELDS, type MergeField } from '../../../../shared/duplicates.ts';
import type { Summary } from '../api.ts';

export type Side = 'a' | 'b';

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || v === false;

/** Fields whose values differ between the two people (the ones with a choice). */
export function differingFields(a: Summary, b: Summary): MergeField[] {
  return MERGE_FIELDS.filter((f) => (a[f] ?? null) !== (b[f] ?? null));
}

/** What the server does for a field nobody chose: the kept person's value, or the other's if empty. */
export function defaultSide(field: MergeField, keep: Side, a: Summary, b: Summary): Side {
  const kept = keep === 'a' ? a : b;
  return isEmpty(kept[field]) ? (keep === 'a' ? 'b' : 'a') : keep;
}

/** The merge request of the pair: every differing field names the person whose value is kept. */
export function mergeRequest(a: Summary, b: Summary, keep: Side, choice: Partial<Record<MergeField, Side>>) {
  const ids = { a: a.id, b: b.id };
  const fields: Partial<Record<MergeField, string>> = {};
  for (const field of differingFields(a, b)) {
    fields[field] = ids[choice[field] ?? defaultSide(field, keep, a, b)];
  }
  return { keepId: ids[keep], mergeIds: [ids[keep === 'a' ? 'b' : 'a']], fields };
}
