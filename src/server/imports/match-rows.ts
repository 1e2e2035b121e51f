import type { ImportMapping, ImportProblem } from '../../shared/imports.ts';
import type { Db } from '../db/database.ts';
import { findFieldsVisibleIn } from '../fields/fields.repo.ts';
import { toFieldView } from '../fields/fields.service.ts';
import { findOrgsInSubtrees } from '../orgs/orgs.repo.ts';
import { findTagsVisibleIn } from '../tags/tags.repo.ts';
import type { ConvertContext, PersonValues } from './convert-row.ts';
import * as repo from './imports.repo.ts';

/** What a batch needs to know about the import's unit: its subtree, units, fields and tags. */
export interface ImportScope {
  rootOrgId: string;
  subtree: Set<string>;
  convert: ConvertContext;
  /** Postal code → routed unit, filled batch by batch (catchments do not change during a run). */
  routes: Map<string, string | null>;
  /**
   * Whether the subtree holds people without a member number. Rows with a member number can only
   * match such people by email or name, so without any the two lookups are skipped for them.
   */
  hasPeopleWithoutMemberNumber: boolean;
}

export async function loadScope(
  db: Db,
  imp: { orgId: string; columns: string[]; mapping: ImportMapping },
): Promise<ImportScope> {
  const [orgs, fields, tags, withoutNumber] = await Promise.all([
    findOrgsInSubtrees(db, [imp.orgId], { includeArchived: false }),
    findFieldsVisibleIn(db, imp.orgId),
    findTagsVisibleIn(db, imp.orgId),
    repo.hasPeopleWithoutMemberNumber(db, imp.orgId),
  ]);
  const orgsByName = new Map<string, string[]>();
  const add = (key: string, id: string) => {
    const k = key.trim().toLowerCase();
    const ids = orgsByName.get(k) ?? [];
    if (!ids.includes(id)) ids.push(id);
    orgsByName.set(k, ids);
  };
  for (const o of orgs) {
    add(o.name, o.id);
    add(o.slug, o.id);
  }
  return {
    rootOrgId: imp.orgId,
    subtree: new Set(orgs.map((o) => o.id)),
    routes: new Map(),
    hasPeopleWithoutMemberNumber: withoutNumber,
    convert: {
      mapping: imp.mapping,
      columns: imp.columns,
      fields: new Map(fields.map((f) => [f.id, toFieldView(f)])),
      orgsByName,
      orgNames: new Map(orgs.map((o) => [o.id, o.name])),
      tagNames: new Map(tags.map((t) => [t.id, t.name])),
    },
  };
}

export type MatchResult = { personId: string } | { problem: ImportProblem } | null;

/**
 * Finds the existing person of each row, with one query per key for the whole batch:
 * member number (anywhere: it is unique; outside the subtree is a problem), else email, else
 * first + last name + birth date (both within the subtree). A person with a different member
 * number is never matched by email or name (families share addresses). Rows with problems are
 * matched by member number only (so a sync does not count them as departed).
 */
export async function matchRows(
  db: Db,
  scope: ImportScope,
  rows: { values: PersonValues; hasErrors: boolean }[],
): Promise<MatchResult[]> {
  const mns = [...new Set(rows.map((r) => r.values.memberNumber).filter((m): m is string => !!m))];
  const byMn = new Map((await repo.findByMemberNumbers(db, mns)).map((p) => [p.memberNumber, p]));
  const results: MatchResult[] = rows.map((r) => {
    const mn = r.values.memberNumber;
    const found = mn ? byMn.get(mn) : undefined;
    if (!found) return null;
    if (!scope.subtree.has(found.orgId))
      return r.hasErrors ? null : { problem: 'member_number_out_of_scope' };
    return { personId: found.id };
  });

  const open = (i: number) =>
    results[i] === null &&
    !rows[i].hasErrors &&
    (scope.hasPeopleWithoutMemberNumber || !rows[i].values.memberNumber);
  const emails = [
    ...new Set(rows.flatMap((r, i) => (open(i) && r.values.email ? [r.values.email.toLowerCase()] : []))),
  ];
  const byEmail = new Map<string, { id: string; memberNumber: string | null }[]>();
  for (const p of await repo.findByEmails(db, scope.rootOrgId, emails)) {
    byEmail.set(p.email, [...(byEmail.get(p.email) ?? []), p]);
  }
  const pick = (i: number, candidates: { id: string; memberNumber: string | null }[]) => {
    const mn = rows[i].values.memberNumber;
    const usable = candidates.filter((c) => !mn || !c.memberNumber || c.memberNumber === mn);
    if (usable.length === 1) results[i] = { personId: usable[0].id };
    else if (usable.length > 1) results[i] = { problem: 'ambiguous_match' };
  };
  rows.forEach((r, i) => {
    if (open(i) && r.values.email) pick(i, byEmail.get(r.values.email.toLowerCase()) ?? []);
  });

  const nameKey = (v: PersonValues) =>
    v.birthDate && (v.firstName || v.lastName)
      ? {
          first: (v.firstName ?? '').toLowerCase(),
          last: (v.lastName ?? '').toLowerCase(),
          birth: v.birthDate,
        }
      : null;
  const keys = rows.flatMap((r, i) => {
    const k = open(i) ? nameKey(r.values) : null;
    return k ? [k] : [];
  });
  if (keys.length) {
    const byName = new Map<string, { id: string; memberNumber: string | null }[]>();
    for (const p of await repo.findByNameAndBirth(db, scope.rootOrgId, keys)) {
      const k = `${p.first}\u0000${p.last}\u0000${p.birth}`;
      byName.set(k, [...(byName.get(k) ?? []), p]);
    }
    rows.forEach((r, i) => {
      const k = open(i) ? nameKey(r.values) : null;
      if (k) pick(i, byName.get(`${k.first}\u0000${k.last}\u0000${k.birth}`) ?? []);
    });
  }
  return results;
}
