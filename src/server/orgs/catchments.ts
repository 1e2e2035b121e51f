/**
 * The rules of postal-code catchments, as pure functions over the unit tree.
 *
 * - A unit's catchment may only narrow its parent's: each of its codes (a full code or a prefix)
 *   must lie inside the catchment of its parent. A unit without codes of its own covers what its
 *   parent covers; the top unit covers everything.
 * - Units that are not in line with each other (neither above the other) never share a code:
 *   no code of one may be, extend or shorten a code of the other. Otherwise routing by the longest
 *   prefix would move people sideways, from one branch into another.
 *
 * Existing data that breaks a rule is not refused retroactively: a change is judged by the problems
 * it adds (`newProblems(before, after)`).
 */

export interface CatchmentUnit {
  id: string;
  parentId: string | null;
  name: string;
  postalCodes: string[];
}

export type CatchmentProblem =
  | { kind: 'outside_parent'; unitId: string; code: string; parentId: string }
  | { kind: 'overlap'; unitId: string; code: string; otherUnitId: string; otherCode: string };

const covers = (catchment: string[] | null, code: string) =>
  catchment === null || catchment.some((prefix) => code.startsWith(prefix));

export function catchmentProblems(units: CatchmentUnit[]): CatchmentProblem[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const effective = new Map<string, string[] | null>();
  const effectiveOf = (id: string | null): string[] | null => {
    if (id === null) return null;
    if (effective.has(id)) return effective.get(id)!;
    const unit = byId.get(id);
    const result = !unit ? null : unit.postalCodes.length ? unit.postalCodes : effectiveOf(unit.parentId);
    effective.set(id, result);
    return result;
  };
  const ancestors = new Map<string, Set<string>>();
  const ancestorsOf = (id: string): Set<string> => {
    let set = ancestors.get(id);
    if (set) return set;
    set = new Set<string>();
    for (let p = byId.get(id)?.parentId ?? null; p && !set.has(p); p = byId.get(p)?.parentId ?? null)
      set.add(p);
    ancestors.set(id, set);
    return set;
  };
  const inLine = (a: string, b: string) => a === b || ancestorsOf(a).has(b) || ancestorsOf(b).has(a);

  const problems: CatchmentProblem[] = [];
  for (const u of units) {
    if (!u.parentId) continue;
    const parentCatchment = effectiveOf(u.parentId);
    for (const code of u.postalCodes) {
      if (!covers(parentCatchment, code))
        problems.push({ kind: 'outside_parent', unitId: u.id, code, parentId: u.parentId });
    }
  }
  const outside = new Set(problems.map((p) => `${p.unitId}|${p.code}`));
  // Codes sorted: a prefix comes right before the codes it starts. A stack of the prefixes of the
  // current code finds every pair where one starts the other.
  const entries = units
    .flatMap((u) => u.postalCodes.map((code) => ({ unitId: u.id, code })))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const stack: { unitId: string; code: string }[] = [];
  for (const e of entries) {
    while (stack.length && !e.code.startsWith(stack[stack.length - 1].code)) stack.pop();
    for (const s of stack) {
      // A code outside its parent is the problem to name; its overlaps follow from it.
      if (outside.has(`${e.unitId}|${e.code}`) || outside.has(`${s.unitId}|${s.code}`)) continue;
      if (!inLine(s.unitId, e.unitId)) {
        problems.push({
          kind: 'overlap',
          unitId: e.unitId,
          code: e.code,
          otherUnitId: s.unitId,
          otherCode: s.code,
        });
      }
    }
    stack.push(e);
  }
  return problems;
}

const keyOf = (p: CatchmentProblem) =>
  p.kind === 'outside_parent'
    ? `o|${p.unitId}|${p.code}|${p.parentId}`
    : `v|${[`${p.unitId}:${p.code}`, `${p.otherUnitId}:${p.otherCode}`].sort().join('|')}`;

/** The problems a change brings that were not there before. */
export function newProblems(before: CatchmentUnit[], after: CatchmentUnit[]): CatchmentProblem[] {
  const old = new Set(catchmentProblems(before).map(keyOf));
  return catchmentProblems(after).filter((p) => !old.has(keyOf(p)));
}
