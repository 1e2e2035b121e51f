import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { OutboxItem, OutboxMessage } from '../../../shared/mail.ts';
import type {
  Mailing,
  MailingCreate,
  MailingListItem,
  MailingPreview,
  MailingProgress,
  MailingReach,
  MailingUpdate,
  MailTemplate,
  MailTemplateCreate,
  MailTemplateUpdate,
  OrgMailSettings,
  OrgMailSettingsPut,
  ReachExclusion,
  ReachPerson as ReachPersonSchema,
  SenderAddress,
} from '../../../shared/mailings.ts';
import { api, type Page } from '../../lib/api.ts';

export type OutboxEntry = z.infer<typeof OutboxItem>;
export type OutboxMail = z.infer<typeof OutboxMessage>;

export function useOutbox() {
  return useInfiniteQuery({
    queryKey: ['outbox'],
    queryFn: ({ pageParam }) => api.get<Page<OutboxEntry>>('/api/outbox', { limit: 50, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useOutboxMessage(id: string | null) {
  return useQuery({
    queryKey: ['outbox', id],
    queryFn: () => api.get<OutboxMail>(`/api/outbox/${id}`),
    enabled: Boolean(id),
  });
}

// ---- Mailings -------------------------------------------------------------------------------

export type { Mailing, MailingProgress, MailingReach, ReachExclusion };
export type MailingRow = z.infer<typeof MailingListItem>;
export type MailingCreateInput = z.input<typeof MailingCreate>;
export type MailingUpdateInput = z.input<typeof MailingUpdate>;
export type Preview = z.infer<typeof MailingPreview>;
export type Template = z.infer<typeof MailTemplate>;
export type TemplateCreateInput = z.input<typeof MailTemplateCreate>;
export type TemplateUpdateInput = z.input<typeof MailTemplateUpdate>;
export type MailSettings = z.infer<typeof OrgMailSettings>;
export type MailSettingsInput = z.input<typeof OrgMailSettingsPut>;
export type Sender = z.infer<typeof SenderAddress>;
export type ReachReason = 'reachable' | ReachExclusion;

/** One person behind a number of the reach overview (name and unit only). */
export type ReachPerson = z.infer<typeof ReachPersonSchema>;

const key = ['mailings'] as const;
/** Statuses during which the progress is polled. */
export const LIVE_STATUSES: ReadonlySet<Mailing['status']> = new Set(['sending', 'scheduled']);

export function useMailings(orgId: string | undefined, enabled = true) {
  return useInfiniteQuery({
    queryKey: [...key, 'list', orgId ?? ''],
    queryFn: ({ pageParam }) =>
      api.get<Page<MailingRow>>('/api/mailings', { orgId, limit: 50, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: Boolean(orgId) && enabled,
    // Rows that are going out show a moving bar.
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.items.some((m) => m.status === 'sending')) ? 3000 : false,
  });
}

export function useMailing(id: string | undefined) {
  return useQuery({
    queryKey: [...key, 'one', id ?? ''],
    queryFn: () => api.get<Mailing>(`/api/mailings/${id}`),
    enabled: Boolean(id),
  });
}

export function useCreateMailing() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MailingCreateInput) => api.post<Mailing>('/api/mailings', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...key, 'list'] }),
  });
}

export function useUpdateMailing(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MailingUpdateInput) => api.patch<Mailing>(`/api/mailings/${id}`, body),
    onSuccess: (mailing) => {
      queryClient.setQueryData([...key, 'one', id], mailing);
      void queryClient.invalidateQueries({ queryKey: [...key, 'list'] });
      void queryClient.invalidateQueries({ queryKey: [...key, 'reach', id] });
      void queryClient.invalidateQueries({ queryKey: [...key, 'preview', id] });
    },
  });
}

export function useReach(id: string | undefined) {
  return useQuery({
    queryKey: [...key, 'reach', id ?? ''],
    queryFn: () => api.get<MailingReach>(`/api/mailings/${id}/reach`),
    enabled: Boolean(id),
    retry: false,
  });
}

export function useReachPeople(id: string, reason: ReachReason | null, orgId?: string) {
  return useInfiniteQuery({
    queryKey: [...key, 'reach', id, 'people', reason ?? '', orgId ?? ''],
    queryFn: ({ pageParam }) =>
      api.get<Page<ReachPerson>>(`/api/mailings/${id}/reach/people`, {
        reason,
        orgId,
        limit: 50,
        cursor: pageParam,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: Boolean(reason),
    retry: false,
  });
}

export function usePreview(id: string | undefined, personId: string | null) {
  return useQuery({
    queryKey: [...key, 'preview', id ?? '', personId ?? ''],
    queryFn: () => api.get<Preview>(`/api/mailings/${id}/preview`, personId ? { personId } : undefined),
    enabled: Boolean(id),
    retry: false,
  });
}

export function useSendTest(id: string) {
  return useMutation({
    mutationFn: (email: string) => api.post<unknown>(`/api/mailings/${id}/test`, { email }),
  });
}

/** Send, pause, resume and cancel: each answers the mailing and refreshes it and its progress. */
function useMailingAction<V>(id: string, path: (v: V) => [string, unknown]) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: V) => {
      const [action, body] = path(v);
      return api.post<Mailing | MailingProgress>(`/api/mailings/${id}/${action}`, body);
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: [...key, 'one', id] });
      void queryClient.invalidateQueries({ queryKey: [...key, 'progress', id] });
      void queryClient.invalidateQueries({ queryKey: [...key, 'list'] });
    },
  });
}

/** `at`: ISO time to schedule; undefined sends now. */
export const useSendMailing = (id: string) =>
  useMailingAction<string | undefined>(id, (at) => ['send', at ? { at } : {}]);
export const usePauseMailing = (id: string) => useMailingAction<void>(id, () => ['pause', {}]);
export const useResumeMailing = (id: string) => useMailingAction<void>(id, () => ['resume', {}]);
export const useCancelMailing = (id: string) => useMailingAction<void>(id, () => ['cancel', {}]);

/** The progress, polled every 2 s while the mailing goes out (or waits for its time). */
export function useProgress(id: string, status: Mailing['status']) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: [...key, 'progress', id],
    queryFn: async () => {
      const progress = await api.get<MailingProgress>(`/api/mailings/${id}/progress`);
      // The worker moved it on (sent, paused by the server, started): refresh the mailing.
      if (progress.status !== queryClient.getQueryData<Mailing>([...key, 'one', id])?.status)
        void queryClient.invalidateQueries({ queryKey: [...key, 'one', id] });
      return progress;
    },
    // Also until the mailing itself says what the progress says (the worker marks it a moment later).
    refetchInterval: (query) => {
      const shown = query.state.data?.status ?? status;
      const mailing = queryClient.getQueryData<Mailing>([...key, 'one', id])?.status;
      return LIVE_STATUSES.has(shown) || (mailing !== undefined && mailing !== shown) ? 2000 : false;
    },
  });
}

// ---- Consent requests -------------------------------------------------------------------------

/** How many people a saved list holds now (the smart search's live count). */
export function useListCount(orgId: string, queryId: string | null) {
  return useQuery({
    queryKey: ['queries', 'preview', orgId, 'savedQuery', queryId ?? ''],
    queryFn: () =>
      api.post<{ count: number }>('/api/queries/preview', {
        orgId,
        filter: { kind: 'savedQuery', queryId },
      }),
    enabled: Boolean(queryId),
  });
}

export function useSendConsentRequest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { orgId: string; queryId: string }) =>
      api.post<Mailing>('/api/consent-requests', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...key, 'list'] }),
  });
}

// ---- Templates, settings, senders -------------------------------------------------------------

export function useTemplates(orgId: string | undefined) {
  return useQuery({
    queryKey: ['mail-templates', orgId ?? ''],
    queryFn: () => api.get<Page<Template>>('/api/mail/templates', { orgId }),
    enabled: Boolean(orgId),
  });
}

export function useCreateTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TemplateCreateInput) => api.post<Template>('/api/mail/templates', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['mail-templates'] }),
  });
}

export function useUpdateTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: TemplateUpdateInput & { id: string }) =>
      api.patch<Template>(`/api/mail/templates/${id}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['mail-templates'] }),
  });
}

export function useDeleteTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/mail/templates/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['mail-templates'] }),
  });
}

export function useMailSettings(orgId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ['mail-settings', orgId ?? ''],
    queryFn: () => api.get<MailSettings>(`/api/orgs/${orgId}/mail-settings`),
    enabled: Boolean(orgId) && enabled,
  });
}

export function useSaveMailSettings(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MailSettingsInput) => api.put<MailSettings>(`/api/orgs/${orgId}/mail-settings`, body),
    onSuccess: (settings) => {
      queryClient.setQueryData(['mail-settings', orgId], settings);
      void queryClient.invalidateQueries({ queryKey: ['mail-settings'] });
      void queryClient.invalidateQueries({ queryKey: [...key, 'preview'] });
    },
  });
}

export function useSenderAddresses(enabled = true) {
  return useQuery({
    queryKey: ['mail-senders'],
    queryFn: () => api.get<Page<Sender>>('/api/mail/sender-addresses'),
    enabled,
  });
}

export function useAddSenderAddress() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (address: string) => api.post<Sender>('/api/mail/sender-addresses', { address }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['mail-senders'] }),
  });
}

export function useDeleteSenderAddress() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/mail/sender-addresses/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['mail-senders'] }),
  });
}
