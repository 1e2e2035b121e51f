import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CatchmentCheckBody,
  CatchmentCheckResult,
  ORG_KINDS,
  OrgCreateBody,
  OrgUpdateBody,
  OrgView,
} from '../../../shared/orgs.ts';
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

export type OrgCreateInput = z.input<typeof OrgCreateBody>;

export function useCreateOrg() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: OrgCreateInput) => api.post<Org>('/api/orgs', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: orgsKey }),
  });
}

export type OrgUpdateInput = z.input<typeof OrgUpdateBody>;

export function useUpdateOrg() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: OrgUpdateInput & { id: string }) => api.patch<Org>(`/api/orgs/${id}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: orgsKey }),
  });
}

/**
 * What saving these postal codes would break (outside the parent's catchment, or another branch's
 * codes): asked while the form is filled, so the conflict shows before saving.
 */
export function useCatchmentCheck(body: z.input<typeof CatchmentCheckBody>, enabled: boolean) {
  return useQuery({
    queryKey: [...orgsKey, 'catchment-check', body],
    queryFn: () => api.post<z.infer<typeof CatchmentCheckResult>>('/api/orgs/catchment-check', body),
    enabled,
    staleTime: 10_000,
  });
}
