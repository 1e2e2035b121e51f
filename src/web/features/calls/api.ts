import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CallAssignmentCreate,
  CallAssignmentUpdate,
  CallAssignmentView,
  CallOutcome,
  CallProgress,
  MyCallAssignment,
  NextCallResponse,
} from '../../../shared/calls.ts';
import { api, type Page } from '../../lib/api.ts';

export type Assignment = CallAssignmentView;
export type MyAssignment = z.infer<typeof MyCallAssignment>;
export type AssignmentCreate = z.input<typeof CallAssignmentCreate>;
export type AssignmentUpdate = z.input<typeof CallAssignmentUpdate>;
export type NextCall = NextCallResponse;
export type Progress = CallProgress;
export type OpenCall = NonNullable<NextCallResponse['call']>;
export interface OutcomeInput {
  callId: string;
  clientId: string;
  outcome: CallOutcome;
  callBackAt?: string;
  answers?: { questionId: string; value: unknown }[];
  note?: string;
  phoneId?: string;
}

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

export function useAddCaller(assignmentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) =>
      api.post<Assignment>(`/api/call-assignments/${assignmentId}/callers`, { userId }),
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

export function useMyAssignments(enabled = true) {
  return useQuery({
    queryKey: [...key, 'mine'],
    queryFn: () => api.get<Page<MyAssignment>>('/api/me/call-assignments'),
    enabled,
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
    mutationFn: () => api.post<{ lockExpiresAt: string }>(`/api/call-assignments/${assignmentId}/heartbeat`),
  });
}

/** Records an outcome; idempotent by `clientId`, so network failures are retried safely. */
export function useRecordOutcome() {
  return useMutation({
    mutationFn: ({ callId, ...body }: OutcomeInput) =>
      api.post<{ ok: true }>(`/api/calls/${callId}/outcome`, body),
    retry: (count, error) => count < 4 && (error as { code?: string }).code === 'network_error',
    retryDelay: (attempt) => Math.min(1000 * 2 ** attempt, 8000),
  });
}

export function useSkipCall() {
  return useMutation({
    mutationFn: ({ callId, reason }: { callId: string; reason?: string }) =>
      api.post<{ ok: true }>(`/api/calls/${callId}/skip`, reason ? { reason } : {}),
  });
}
