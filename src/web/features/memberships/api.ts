import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { LoginResponse } from '../../../shared/auth.ts';
import type {
  InvitationAcceptBody,
  InvitationCreateBody,
  InvitationPreview,
  InvitationView,
  MembershipUpdateBody,
  MembershipView,
} from '../../../shared/orgs.ts';
import { api, type Page } from '../../lib/api.ts';

export type Membership = z.infer<typeof MembershipView>;
export type Invitation = z.infer<typeof InvitationView>;
export type InvitationInfo = z.infer<typeof InvitationPreview>;

const membershipsKey = (orgId: string, subtree: boolean) => ['memberships', orgId, { subtree }] as const;
const invitationsKey = (orgId: string) => ['invitations', orgId] as const;

export function useMemberships(orgId: string | undefined, subtree = false, enabled = true) {
  return useQuery({
    queryKey: membershipsKey(orgId ?? '', subtree),
    queryFn: () =>
      api.get<Page<Membership>>(`/api/orgs/${orgId}/memberships`, subtree ? { subtree: 'true' } : undefined),
    enabled: Boolean(orgId) && enabled,
  });
}

export function useInvitations(orgId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: invitationsKey(orgId ?? ''),
    queryFn: () => api.get<Page<Invitation>>(`/api/orgs/${orgId}/invitations`),
    enabled: Boolean(orgId) && enabled,
  });
}

export function useChangeRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      orgId,
      userId,
      role,
    }: z.input<typeof MembershipUpdateBody> & { orgId: string; userId: string }) =>
      api.patch<void>(`/api/orgs/${orgId}/memberships/${userId}`, { role }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['memberships'] }),
  });
}

export function useRemoveMembership() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ orgId, userId }: { orgId: string; userId: string }) =>
      api.delete(`/api/orgs/${orgId}/memberships/${userId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['memberships'] }),
  });
}

export function useInvite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ orgId, email, role }: z.input<typeof InvitationCreateBody> & { orgId: string }) =>
      api.post<{ id: string }>(`/api/orgs/${orgId}/invitations`, { email, role }),
    onSuccess: (_result, { orgId }) => queryClient.invalidateQueries({ queryKey: invitationsKey(orgId) }),
  });
}

export function useRevokeInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/invitations/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['invitations'] }),
  });
}

/** Public: what an invitation link is for. */
export function useInvitationPreview(token: string) {
  return useQuery({
    queryKey: ['invitation-preview', token],
    queryFn: () => api.get<InvitationInfo>(`/api/invitations/${encodeURIComponent(token)}`),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useAcceptInvitation(token: string) {
  return useMutation({
    mutationFn: (body: z.input<typeof InvitationAcceptBody>) =>
      api.post<z.infer<typeof LoginResponse>>(`/api/invitations/${encodeURIComponent(token)}/accept`, body),
  });
}
