import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ExportRequest } from '../../../shared/exports.ts';
import type {
  BulkTagsBody,
  CustomFieldCreate,
  CustomFieldView,
  MEMBERSHIP_STATUSES,
  NoteView,
  PEOPLE_SORTS,
  PersonCreate,
  PersonListItem,
  PersonUpdate,
  PersonView,
  TAG_COLORS,
  TagCreate,
  TagView,
  TimelineEvent,
} from '../../../shared/people.ts';
import { api, type Page } from '../../lib/api.ts';
import { downloadFile } from '../../lib/download.ts';

export type Person = PersonView;
export type PersonRow = PersonListItem;
export type PersonCreateInput = z.input<typeof PersonCreate>;
export type PersonUpdateInput = z.input<typeof PersonUpdate>;
export type Tag = z.infer<typeof TagView>;
export type TagColor = (typeof TAG_COLORS)[number];
export type CustomField = CustomFieldView;
export type CustomFieldInput = z.input<typeof CustomFieldCreate>;
export type Note = z.infer<typeof NoteView>;
export type TimelineItem = z.infer<typeof TimelineEvent>;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];
export type PeopleSort = (typeof PEOPLE_SORTS)[number];

/** The people list's search and filters (also what an export by filter takes). */
export type PeopleFilter = NonNullable<z.input<typeof ExportRequest>['filter']>;

const PAGE_SIZE = 50;

export const peopleKey = ['people'] as const;
const listKey = (orgId: string, filter: PeopleFilter, sort: PeopleSort) =>
  [...peopleKey, 'list', orgId, { ...filter, sort }] as const;
const personKey = (id: string) => [...peopleKey, 'person', id] as const;
const timelineKey = (id: string) => [...peopleKey, 'timeline', id] as const;
const tagsKey = (orgId: string) => ['tags', orgId] as const;
const fieldsKey = (orgId: string) => ['fields', orgId] as const;

/** The people of a unit's subtree, page by page (`nextCursor`). */
export function usePeople(orgId: string | undefined, filter: PeopleFilter, sort: PeopleSort, enabled = true) {
  return useInfiniteQuery({
    queryKey: listKey(orgId ?? '', filter, sort),
    queryFn: ({ pageParam }) =>
      api.get<Page<PersonRow>>('/api/people', {
        orgId,
        search: filter.search,
        tag: filter.tag,
        status: filter.status,
        sort,
        limit: PAGE_SIZE,
        cursor: pageParam ?? undefined,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: Boolean(orgId) && enabled,
    placeholderData: (previous) => previous,
  });
}

export function usePerson(id: string | undefined) {
  return useQuery({
    queryKey: personKey(id ?? ''),
    queryFn: () => api.get<Person>(`/api/people/${id}`),
    enabled: Boolean(id),
  });
}

export function useTimeline(id: string | undefined) {
  return useInfiniteQuery({
    queryKey: timelineKey(id ?? ''),
    queryFn: ({ pageParam }) =>
      api.get<Page<TimelineItem>>(`/api/people/${id}/timeline`, {
        limit: 20,
        cursor: pageParam ?? undefined,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: Boolean(id),
  });
}

/** After a change to one person: refresh the profile (with the answer), its timeline and the lists. */
function usePersonChanged() {
  const queryClient = useQueryClient();
  return (person: Person | undefined, id: string) => {
    if (person) queryClient.setQueryData(personKey(id), person);
    void queryClient.invalidateQueries({ queryKey: timelineKey(id) });
    void queryClient.invalidateQueries({ queryKey: [...peopleKey, 'list'] });
  };
}

export function useCreatePerson() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PersonCreateInput) => api.post<Person>('/api/people', body),
    onSuccess: (person) => {
      queryClient.setQueryData(personKey(person.id), person);
      void queryClient.invalidateQueries({ queryKey: [...peopleKey, 'list'] });
    },
  });
}

export function useUpdatePerson(id: string) {
  const changed = usePersonChanged();
  return useMutation({
    mutationFn: (body: PersonUpdateInput) => api.patch<Person>(`/api/people/${id}`, body),
    onSuccess: (person) => changed(person, id),
  });
}

export function useDeletePerson() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/people/${id}`),
    onSuccess: (_r, id) => {
      void queryClient.invalidateQueries({ queryKey: [...peopleKey, 'list'] });
      // Dropped after the caller has left the profile; removing now would make it fetch again (404).
      setTimeout(() => {
        queryClient.removeQueries({ queryKey: personKey(id) });
        queryClient.removeQueries({ queryKey: timelineKey(id) });
      }, 0);
    },
  });
}

export function useSetPersonTags(id: string) {
  const changed = usePersonChanged();
  return useMutation({
    mutationFn: (tagIds: string[]) => api.put<Person>(`/api/people/${id}/tags`, { tagIds }),
    onSuccess: (person) => changed(person, id),
  });
}

export function useAddNote(id: string) {
  const changed = usePersonChanged();
  return useMutation({
    mutationFn: (text: string) => api.post<Note>(`/api/people/${id}/notes`, { text }),
    onSuccess: () => changed(undefined, id),
  });
}

export function useBulkTags() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof BulkTagsBody>) =>
      api.post<{ updated: number }>('/api/people/bulk-tags', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: peopleKey }),
  });
}

/** Tags usable in a unit: defined there or above. */
export function useTags(orgId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: tagsKey(orgId ?? ''),
    queryFn: () => api.get<Page<Tag>>(`/api/orgs/${orgId}/tags`),
    enabled: Boolean(orgId) && enabled,
    staleTime: 60_000,
  });
}

export function useCreateTag() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ orgId, ...body }: z.input<typeof TagCreate> & { orgId: string }) =>
      api.post<Tag>(`/api/orgs/${orgId}/tags`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tags'] }),
  });
}

/** Custom fields usable in a unit. */
export function useFields(orgId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: fieldsKey(orgId ?? ''),
    queryFn: () => api.get<Page<CustomField>>(`/api/orgs/${orgId}/fields`),
    enabled: Boolean(orgId) && enabled,
    staleTime: 60_000,
  });
}

export function useCreateField() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ orgId, ...body }: CustomFieldInput & { orgId: string }) =>
      api.post<CustomField>(`/api/orgs/${orgId}/fields`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['fields'] }),
  });
}

/** An export: of a filter, hand-picked people or a saved list (smart search). */
export type ExportInput = z.input<typeof ExportRequest>;

/** Downloads an export file (CSV/XLSX) and hands it to the browser as a download. */
export function useExportPeople() {
  return useMutation({
    mutationFn: (input: ExportInput) =>
      downloadFile(
        '/api/exports',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) },
        `personen-${new Date().toISOString().slice(0, 10)}.${input.format}`,
      ),
  });
}
