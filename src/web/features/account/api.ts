import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  ApiTokenCreated,
  ApiTokenView,
  ChangePasswordBody,
  TotpEnableResponse,
  TotpSetupResponse,
} from '../../../shared/auth.ts';
import { api } from '../../lib/api.ts';
import { meKey } from '../auth/api.ts';

export type ApiToken = z.infer<typeof ApiTokenView>;
type TotpSetup = z.infer<typeof TotpSetupResponse>;

const tokensKey = ['api-tokens'] as const;

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: z.input<typeof ChangePasswordBody>) =>
      api.post<{ ok: true }>('/api/auth/password', body),
  });
}

export function useTotpSetup() {
  return useMutation({ mutationFn: () => api.post<TotpSetup>('/api/auth/totp/setup') });
}

export function useTotpEnable() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) =>
      api.post<z.infer<typeof TotpEnableResponse>>('/api/auth/totp/enable', { code }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meKey }),
  });
}

export function useTotpDisable() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (password: string) => api.post<{ ok: true }>('/api/auth/totp/disable', { password }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meKey }),
  });
}

export function useApiTokens() {
  return useQuery({ queryKey: tokensKey, queryFn: () => api.get<{ items: ApiToken[] }>('/api/tokens') });
}

export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.post<z.infer<typeof ApiTokenCreated>>('/api/tokens', { name }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/tokens/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
}
