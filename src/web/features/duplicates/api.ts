import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  DismissResult,
  DuplicateCandidate,
  DuplicateCheckMatch,
  DuplicateCheckRequest,
  DuplicateCheckResult,
  DuplicateScanView,
  MergeRequest,
  PersonSummary,
} from '../../../shared/duplicates.ts';
import type { PersonView } from '../../../shared/people.ts';
import { api, type Page } from '../../lib/api.ts';

export type Candidate = DuplicateCandidate;
export type Summary = PersonSummary;
export type Scan = DuplicateScanView;
export type CandidateStatus = 'open' | 'dismissed';

export function useCandidates(orgId: string | undefined, status: CandidateStatus, enabled = true) {
  return useInfiniteQuery({
    queryKey: ['duplicates', orgId, status],
    queryFn: ({ pageParam }) =>
      api.get<Page<Candidate>>('/api/duplicates', { orgId, status, limit: 30, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: Boolean(orgId) && enabled,
  });
}

/** The latest scan of the unit; polls while one is waiting or running. */
export function useLatestScan(orgId: string | undefined, enabled = true) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ['duplicate-scan', orgId],
    queryFn: async () => {
      const result = await api.get<{ scan: Scan | null }>('/api/duplicates/scan', { orgId });
      if (result.scan?.status === 'done')
        await queryClient.invalidateQueries({ queryKey: ['duplicates', orgId] });
      return result;
    },
    enabled: Boolean(orgId) && enabled,
    refetchInterval: (query) => {
      const status = query.state.data?.scan?.status;
      return status === 'queued' || status === 'running' ? 2000 : false;
    },
  });
}

export function useStartScan() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (orgId: string) => api.post<Scan>('/api/duplicates/scan', { orgId }),
    onSuccess: (scan) => {
      queryClient.setQueryData(['duplicate-scan', scan.orgId], { scan });
      return queryClient.invalidateQueries({ queryKey: ['duplicates', scan.orgId] });
    },
  });
}

export function useDismiss() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<z.infer<typeof DismissResult>>(`/api/duplicates/${id}/dismiss`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['duplicates'] }),
  });
}

export function useMerge() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof MergeRequest>) => api.post<PersonView>('/api/people/merge', body),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['duplicates'] }),
        queryClient.invalidateQueries({ queryKey: ['people'] }),
      ]),
  });
}

export type { DuplicateCheckMatch };

/** Asks before saving a new person whether someone with these addresses, numbers or name exists. */
export function useDuplicateCheck() {
  return useMutation({
    mutationFn: (body: z.input<typeof DuplicateCheckRequest>) =>
      api.post<z.infer<typeof DuplicateCheckResult>>('/api/people/duplicate-check', body),
  });
}
