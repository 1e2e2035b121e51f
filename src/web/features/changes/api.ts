import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import type { z } from 'zod';
import type { ChangeDigestBody, ChangeDigestView, ChangeKind, ChangeList } from '../../../shared/changes.ts';
import { api } from '../../lib/api.ts';

export type { ChangeItem, ChangeKind } from '../../../shared/changes.ts';

export interface ChangeFilter {
  from: string;
  to: string;
  kind?: ChangeKind;
}

/** The change list of a unit, page by page (the counts come with every page). */
export function useChanges(orgId: string | undefined, filter: ChangeFilter, enabled = true) {
  return useInfiniteQuery({
    queryKey: ['changes', orgId, filter],
    queryFn: ({ pageParam }) =>
      api.get<ChangeList>(`/api/orgs/${orgId}/changes`, { ...filter, limit: 50, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: enabled && Boolean(orgId && filter.from && filter.to),
  });
}

const digestKey = (orgId: string | undefined) => ['change-digest', orgId];

export function useChangeDigest(orgId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: digestKey(orgId),
    queryFn: () => api.get<ChangeDigestView>(`/api/orgs/${orgId}/change-digest`),
    enabled: enabled && Boolean(orgId),
  });
}

export function useSaveChangeDigest(orgId: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof ChangeDigestBody>) =>
      api.put<ChangeDigestView>(`/api/orgs/${orgId}/change-digest`, body),
    onSuccess: (view) => queryClient.setQueryData(digestKey(orgId), view),
  });
}
