import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ORG_KINDS, OrgView } from '../../../shared/orgs.ts';
import { api, type Page } from '../../lib/api.ts';

export type Org = OrgView;
export type OrgKind = (typeof ORG_KINDS)[number];

export const orgsKey = ['orgs'] as const;

/** Every unit the user may see (their memberships' subtrees; all for superadmins). */
export function useOrgs(options: { includeArchived?: boolean; enabled?: boolean } = {}) {
  const includeArchived = options.includeArchived ?? false;
  return useQuery({
    queryKey: [...orgsKey, { includeArchived }],
    queryFn: () => api.get<Page<Org>>('/api/orgs', includeArchived ? { includeArchived: 'true' } : undefined),
    enabled: options.enabled ?? true,
    staleTime: 30_000,
  });
}

export interface OrgCreateInput {
  name: string;
  kind: OrgKind;
  parentId: string | null;
  postalCodes?: string[];
}

export function useCreateOrg() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: OrgCreateInput) => api.post<Org>('/api/orgs', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: orgsKey }),
  });
}

export interface OrgUpdateInput {
  name?: string;
  kind?: OrgKind;
  parentId?: string;
  postalCodes?: string[];
  archived?: boolean;
}

export function useUpdateOrg() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: OrgUpdateInput & { id: string }) => api.patch<Org>(`/api/orgs/${id}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: orgsKey }),
  });
}
