import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { LoginBody, LoginResponse, MeResponse, UpdateMeBody, UserView } from '../../../shared/auth.ts';
import { api, isApiError } from '../../lib/api.ts';

export type Me = MeResponse;
export type User = UserView;
type LoginResult = z.infer<typeof LoginResponse>;

export const meKey = ['auth', 'me'] as const;

/** The signed-in user, or `null` when signed out. */
export const meQuery = queryOptions({
  queryKey: meKey,
  queryFn: async (): Promise<Me | null> => {
    try {
      return await api.get<Me>('/api/auth/me');
    } catch (error) {
      if (isApiError(error, 'not_authenticated')) return null;
      throw error;
    }
  },
  staleTime: 60_000,
});

export function useMe() {
  return useQuery(meQuery);
}

/** After a new session (login, accepted invitation): forget everything cached, load /me again. */
export function useStartSession() {
  const queryClient = useQueryClient();
  return async () => {
    queryClient.removeQueries();
    return queryClient.fetchQuery(meQuery);
  };
}

export function useLogin() {
  return useMutation({
    mutationFn: (body: z.input<typeof LoginBody>) => api.post<LoginResult>('/api/auth/login', body),
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ ok: true }>('/api/auth/logout'),
    onSettled: () => {
      queryClient.removeQueries();
      queryClient.setQueryData(meKey, null);
    },
  });
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (email: string) => api.post<{ ok: true }>('/api/auth/password-reset', { email }),
  });
}

export function useResetPassword(token: string) {
  return useMutation({
    mutationFn: (password: string) =>
      api.post<{ ok: true }>(`/api/auth/password-reset/${encodeURIComponent(token)}`, { password }),
  });
}

export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof UpdateMeBody>) => api.patch<Me>('/api/auth/me', body),
    onSuccess: (me) => queryClient.setQueryData(meKey, me),
  });
}
