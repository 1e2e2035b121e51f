import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import type { z } from 'zod';
import type { PersonListItem } from '../../../shared/people.ts';
import type {
  FilterNode,
  QUERY_MODES,
  QueryCreate,
  QueryMembersAdded,
  QueryMembersBody,
  QueryMembersRemoved,
  QueryPreview,
  QueryUpdate,
  QueryView,
} from '../../../shared/queries.ts';
import { api, type Page } from '../../lib/api.ts';

export type SavedQuery = QueryView;
export type QueryMode = (typeof QUERY_MODES)[number];
/** The schemas take any filter object (the server validates it kind by kind); the web sends a FilterNode. */
export type QueryCreateInput = Omit<z.input<typeof QueryCreate>, 'filter'> & { filter: FilterNode };
export type QueryUpdateInput = Omit<z.input<typeof QueryUpdate>, 'filter'> & { filter?: FilterNode };
export type Preview = z.infer<typeof QueryPreview>;

const queriesKey = ['queries'] as const;

export function useSavedQueries(orgId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: [...queriesKey, 'list', orgId ?? ''],
    queryFn: () => api.get<Page<SavedQuery>>('/api/queries', { orgId }),
    enabled: Boolean(orgId) && enabled,
  });
}

export function useSavedQuery(id: string | undefined) {
  return useQuery({
    queryKey: [...queriesKey, 'one', id ?? ''],
    queryFn: () => api.get<SavedQuery>(`/api/queries/${id}`),
    enabled: Boolean(id),
  });
}

/** The live count and a sample for a filter (the caller debounces the filter). */
export function usePreview(orgId: string | undefined, filter: FilterNode) {
  return useQuery({
    queryKey: [...queriesKey, 'preview', orgId ?? '', JSON.stringify(filter)],
    queryFn: () => api.post<Preview>('/api/queries/preview', { orgId, filter }),
    enabled: Boolean(orgId),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useQueryPeople(id: string | undefined) {
  return useInfiniteQuery({
    queryKey: [...queriesKey, 'people', id ?? ''],
    queryFn: ({ pageParam }) =>
      api.get<Page<PersonListItem>>(`/api/queries/${id}/people`, {
        limit: 50,
        cursor: pageParam ?? undefined,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: Boolean(id),
  });
}

export function useCreateQuery() {
  const queryClient = useQueryClient();
  return useMutation({
    /** `personIds` (snapshot lists only): exactly these people instead of those the filter finds. */
    mutationFn: (body: QueryCreateInput) => api.post<SavedQuery>('/api/queries', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queriesKey }),
  });
}

export function useUpdateQuery(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: QueryUpdateInput) => api.patch<SavedQuery>(`/api/queries/${id}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queriesKey }),
  });
}

export function useDeleteQuery() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/queries/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queriesKey }),
  });
}

/** Adds people to a snapshot list; `added` counts those new on it (people outside its unit are ignored). */
export function useAddListMembers() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ queryId, personIds }: z.input<typeof QueryMembersBody> & { queryId: string }) =>
      api.post<z.infer<typeof QueryMembersAdded>>(`/api/queries/${queryId}/members`, { personIds }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queriesKey }),
  });
}

export function useRemoveListMembers(queryId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (personIds: string[]) =>
      api.post<z.infer<typeof QueryMembersRemoved>>(`/api/queries/${queryId}/members/remove`, { personIds }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queriesKey }),
  });
}

/** The filter of a list put together by hand: an empty group (it matches everyone of the unit). */
export const HAND_PICKED_FILTER: FilterNode = { kind: 'group', op: 'and', children: [] };
export const isHandPicked = (filter: FilterNode) =>
  filter.kind === 'group' && filter.children.length === 0 && !filter.not;
