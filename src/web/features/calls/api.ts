import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CallAssignmentCreate,
  CallAssignmentUpdate,
  CallAssignmentView,
  CallerAdd,
  CallInviteAcceptBody,
  CallInviteAccepted,
  CallInviteLinkCreate,
  CallInviteLinkCreated,
  CallInviteLinkView,
  CallInvitePreview,
  CallOutcomeBody,
  CallProgress,
  CallRecordView,
  CallSkipBody,
  ClaimPersonBody,
  LockResponse,
  MyCallAssignment,
  MyCallStats,
  NextCallResponse,
  TargetSearchResult,
} from '../../../shared/calls.ts';
import { api, isApiError, type Page } from '../../lib/api.ts';

export type Assignment = CallAssignmentView;
export type MyAssignment = z.infer<typeof MyCallAssignment>;
export type AssignmentCreate = z.input<typeof CallAssignmentCreate>;
export type AssignmentUpdate = z.input<typeof CallAssignmentUpdate>;
export type NextCall = NextCallResponse;
export type Progress = CallProgress;
export type CallerInput = z.input<typeof CallerAdd>;
export type OpenCall = NonNullable<NextCallResponse['call']>;
export type OutcomeInput = z.input<typeof CallOutcomeBody> & { callId: string };

const key = ['calls'] as const;

export function useAssignments(orgId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: [...key, 'assignments', orgId ?? ''],
    queryFn: () => api.get<Page<Assignment>>('/api/call-assignments', { orgId }),
    enabled: Boolean(orgId) && enabled,
  });
}

export function useAssignment(id: string | undefined) {
  return useQuery({
    queryKey: [...key, 'assignment', id ?? ''],
    queryFn: () => api.get<Assignment>(`/api/call-assignments/${id}`),
    enabled: Boolean(id),
  });
}

/** Progress figures of an assignment (organizers), refreshed every 30 s while shown. */
export function useAssignmentProgress(id: string) {
  return useQuery({
    queryKey: [...key, 'progress', id],
    queryFn: () => api.get<Progress>(`/api/call-assignments/${id}/progress`),
    refetchInterval: 30_000,
  });
}

export function useCreateAssignment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AssignmentCreate) => api.post<Assignment>('/api/call-assignments', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

export function useUpdateAssignment(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AssignmentUpdate) => api.patch<Assignment>(`/api/call-assignments/${id}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

/** Adds a caller, or (posted again) updates their prioritised and excluded tags. */
export function useAddCaller(assignmentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CallerInput) =>
      api.post<Assignment>(`/api/call-assignments/${assignmentId}/callers`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

export function useRemoveCaller(assignmentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => api.delete(`/api/call-assignments/${assignmentId}/callers/${userId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

// ---- organizer views of recorded calls: recent calls, follow-ups ----------------------------

export type CallRecord = CallRecordView;
export type FollowUpState = 'open' | 'resolved';

/** Calls of an assignment, newest first, a page at a time ("load more"). */
export function useAssignmentCalls(assignmentId: string) {
  return useInfiniteQuery({
    queryKey: [...key, 'calls-of', assignmentId],
    queryFn: ({ pageParam }) =>
      api.get<Page<CallRecord>>(`/api/call-assignments/${assignmentId}/calls`, {
        limit: 20,
        cursor: pageParam ?? undefined,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: 30_000,
  });
}

/** Calls flagged for an organizer to get back to the person: open or resolved ones. */
export function useFollowUps(assignmentId: string, state: FollowUpState) {
  return useInfiniteQuery({
    queryKey: [...key, 'follow-ups', assignmentId, state],
    queryFn: ({ pageParam }) =>
      api.get<Page<CallRecord>>(`/api/call-assignments/${assignmentId}/follow-ups`, {
        state,
        limit: 50,
        cursor: pageParam ?? undefined,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: 30_000,
  });
}

export function useResolveFollowUp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (callId: string) => api.post<CallRecord>(`/api/calls/${callId}/follow-up/resolve`),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: [...key, 'follow-ups'] }),
        queryClient.invalidateQueries({ queryKey: [...key, 'progress'] }),
      ]),
  });
}

export function useMyAssignments(enabled = true) {
  return useQuery({
    queryKey: [...key, 'mine'],
    queryFn: () => api.get<Page<MyAssignment>>('/api/me/call-assignments'),
    enabled,
  });
}

/**
 * One of the caller's assignments in any status, so a paused one can say so; a 404 (not, or no
 * longer, a caller of it) is not retried.
 */
export function useMyAssignment(assignmentId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: [...key, 'mine', assignmentId],
    queryFn: () => api.get<MyAssignment>(`/api/me/call-assignments/${assignmentId}`),
    enabled: enabled && !!assignmentId,
    retry: (failures, error) => !isApiError(error, 'not_found') && failures < 2,
  });
}

/** Claims the next person (or answers why there is none). A mutation: every call claims. */
export function useNextCall(assignmentId: string) {
  return useMutation({
    mutationFn: () => api.post<NextCall>(`/api/call-assignments/${assignmentId}/next`),
    retry: 2,
  });
}

export function useHeartbeat(assignmentId: string) {
  return useMutation({
    mutationFn: () =>
      api.post<z.infer<typeof LockResponse>>(`/api/call-assignments/${assignmentId}/heartbeat`),
  });
}

/**
 * Records an outcome; idempotent by `clientId`, so network failures are retried safely. One quick
 * retry here; the caller screen keeps unsent outcomes in its outbox and tries again later.
 */
export function useRecordOutcome() {
  return useMutation({
    mutationFn: ({ callId, ...body }: OutcomeInput) =>
      api.post<{ ok: true }>(`/api/calls/${callId}/outcome`, body),
    retry: (count, error) => count < 1 && (error as { code?: string }).code === 'network_error',
    retryDelay: 1000,
    // Fail fast while offline instead of pausing: the outbox keeps the outcome and retries.
    networkMode: 'always',
  });
}

export function useSkipCall() {
  return useMutation({
    mutationFn: ({ callId, reason }: z.input<typeof CallSkipBody> & { callId: string }) =>
      api.post<{ ok: true }>(`/api/calls/${callId}/skip`, reason ? { reason } : {}),
  });
}

export type MyStats = z.infer<typeof MyCallStats>;
export type TargetMatch = z.infer<typeof TargetSearchResult>['items'][number];

/** The caller's own figures in an assignment: today, or since `since` (ISO) when given. */
export function useMyCallStats(assignmentId: string, since?: string) {
  return useQuery({
    queryKey: [...key, 'my-stats', assignmentId, since ?? 'today'],
    queryFn: () => api.get<MyStats>(`/api/call-assignments/${assignmentId}/my-stats`, { since }),
  });
}

/** "Log a call": the assignment's targets matching `q` (at least 2 characters). */
export function useTargetSearch(assignmentId: string, q: string) {
  const term = q.trim();
  return useQuery({
    queryKey: [...key, 'targets', assignmentId, term],
    queryFn: () =>
      api.get<z.infer<typeof TargetSearchResult>>(`/api/call-assignments/${assignmentId}/targets`, {
        q: term,
      }),
    enabled: term.length >= 2,
  });
}

/** Claims one given target (someone who called back on their own); the same answer shape as next. */
export function useClaimPerson(assignmentId: string) {
  return useMutation({
    mutationFn: (personId: string) =>
      api.post<NextCall>(`/api/call-assignments/${assignmentId}/claim`, {
        personId,
      } satisfies z.input<typeof ClaimPersonBody>),
  });
}

// ---- invitation links ------------------------------------------------------------------------

export type InviteLink = CallInviteLinkView;
export type InviteLinkCreated = z.infer<typeof CallInviteLinkCreated>;
export type InvitePreview = z.infer<typeof CallInvitePreview>;

const inviteLinksKey = (assignmentId: string) => [...key, 'invite-links', assignmentId] as const;

export function useInviteLinks(assignmentId: string) {
  return useQuery({
    queryKey: inviteLinksKey(assignmentId),
    queryFn: () => api.get<Page<InviteLink>>(`/api/call-assignments/${assignmentId}/invite-links`),
  });
}

export function useCreateInviteLink(assignmentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof CallInviteLinkCreate>) =>
      api.post<InviteLinkCreated>(`/api/call-assignments/${assignmentId}/invite-links`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: inviteLinksKey(assignmentId) }),
  });
}

export function useRevokeInviteLink(assignmentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (linkId: string) =>
      api.delete(`/api/call-assignments/${assignmentId}/invite-links/${linkId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: inviteLinksKey(assignmentId) }),
  });
}

/** Public: what a caller invitation link is for. */
export function useCallInvitePreview(token: string) {
  return useQuery({
    queryKey: ['call-invite-preview', token],
    queryFn: () => api.get<InvitePreview>(`/api/call-invites/${encodeURIComponent(token)}`),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Registers a new account (name, email, password) or, with an empty body, the signed-in user. */
export function useAcceptCallInvite(token: string) {
  return useMutation({
    mutationFn: (body: z.input<typeof CallInviteAcceptBody>) =>
      api.post<z.infer<typeof CallInviteAccepted>>(
        `/api/call-invites/${encodeURIComponent(token)}/accept`,
        body,
      ),
  });
}
