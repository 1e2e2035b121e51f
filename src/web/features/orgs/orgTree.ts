import type { Org, OrgKind } from './api.ts';

export interface OrgNode {
  org: Org;
  depth: number;
  children: OrgNode[];
}

const KIND_ORDER: Record<OrgKind, number> = { federal: 0, state: 1, district: 2, local: 3, group: 4 };

function byKindThenName(a: Org, b: Org): number {
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.name.localeCompare(b.name, 'de');
}

/** Nests the flat list by parentId; roots are units whose parent is not in the list. */
export function buildOrgTree(orgs: readonly Org[]): OrgNode[] {
  const ids = new Set(orgs.map((org) => org.id));
  const childrenOf = new Map<string | null, Org[]>();
  for (const org of orgs) {
    const key = org.parentId && ids.has(org.parentId) ? org.parentId : null;
    const list = childrenOf.get(key) ?? [];
    list.push(org);
    childrenOf.set(key, list);
  }
  const build = (parentId: string | null, depth: number): OrgNode[] =>
    (childrenOf.get(parentId) ?? [])
      .sort(byKindThenName)
      .map((org) => ({ org, depth, children: build(org.id, depth + 1) }));
  return build(null, 0);
}

/** Depth-first order, for indented lists and selects. */
export function flattenOrgTree(nodes: readonly OrgNode[]): { org: Org; depth: number }[] {
  return nodes.flatMap((node) => [{ org: node.org, depth: node.depth }, ...flattenOrgTree(node.children)]);
}

/** The unit itself and everything below it. */
export function subtreeIds(orgs: readonly Org[], rootId: string): Set<string> {
  const result = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const org of orgs) {
      if (org.parentId && result.has(org.parentId) && !result.has(org.id)) {
        result.add(org.id);
        grew = true;
      }
    }
  }
  return result;
}

/** The sensible kind for a new unit below a parent of the given kind. */
export function childKind(parentKind: OrgKind | undefined): OrgKind {
  switch (parentKind) {
    case undefined:
      return 'federal';
    case 'federal':
      return 'state';
    case 'state':
      return 'district';
    case 'district':
      return 'local';
    default:
      return 'group';
  }
}
