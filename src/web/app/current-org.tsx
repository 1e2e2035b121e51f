import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import type { Permission, Role } from '../../shared/permissions.ts';
import type { Me } from '../features/auth/api.ts';
import type { Org } from '../features/orgs/api.ts';
import { buildOrgTree } from '../features/orgs/orgTree.ts';
import { canAt, rolesAt } from './access.ts';

const STORAGE_KEY = 'draht.currentOrg';

interface CurrentOrgContextValue {
  me: Me;
  orgs: Org[];
  orgsById: ReadonlyMap<string, Org>;
  /** The unit the pages work on; undefined when the user sees no unit at all. */
  currentOrg: Org | undefined;
  setCurrentOrgId: (id: string) => void;
  /** Roles at the current unit (held there or above). */
  roles: Role[];
  /** Permission check at the current unit (or another one). */
  can: (permission: Permission, orgId?: string) => boolean;
}

const CurrentOrgContext = createContext<CurrentOrgContextValue | null>(null);

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function pickDefault(me: Me, orgs: Org[], byId: ReadonlyMap<string, Org>): Org | undefined {
  const stored = readStored();
  if (stored && byId.has(stored)) return byId.get(stored);
  if (!me.user.isSuperadmin) {
    const fromMembership = me.memberships.map((m) => byId.get(m.orgId)).find(Boolean);
    if (fromMembership) return fromMembership;
  }
  return buildOrgTree(orgs)[0]?.org;
}

export function CurrentOrgProvider({ me, orgs, children }: { me: Me; orgs: Org[]; children: ReactNode }) {
  const orgsById = useMemo(() => new Map(orgs.map((org) => [org.id, org])), [orgs]);
  const [chosenId, setChosenId] = useState<string | null>(null);
  const currentOrg = (chosenId ? orgsById.get(chosenId) : undefined) ?? pickDefault(me, orgs, orgsById);

  const setCurrentOrgId = useCallback((id: string) => {
    setChosenId(id);
    try {
      localStorage.setItem(STORAGE_KEY, id);
    } catch {
      // not persisted in private mode
    }
  }, []);

  const value = useMemo<CurrentOrgContextValue>(
    () => ({
      me,
      orgs,
      orgsById,
      currentOrg,
      setCurrentOrgId,
      roles: rolesAt(me, orgsById, currentOrg?.id),
      can: (permission, orgId) => canAt(me, orgsById, permission, orgId ?? currentOrg?.id),
    }),
    [me, orgs, orgsById, currentOrg, setCurrentOrgId],
  );
  return <CurrentOrgContext.Provider value={value}>{children}</CurrentOrgContext.Provider>;
}

export function useCurrentOrg(): CurrentOrgContextValue {
  const value = useContext(CurrentOrgContext);
  if (!value) throw new Error('useCurrentOrg outside CurrentOrgProvider');
  return value;
}
