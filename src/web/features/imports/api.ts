import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ApiErrorBody } from '../../../shared/errors.ts';
import type {
  ImportAnalysis,
  ImportCreated,
  ImportMapping,
  ImportMappingBody,
  ImportMode,
  ImportStartBody,
  ImportView,
} from '../../../shared/imports.ts';
import { ApiError, api, type Page } from '../../lib/api.ts';

export type { ImportAnalysis, ImportCreated, ImportMapping, ImportMode, ImportView };

const importsKey = (orgId: string | undefined) => ['imports', orgId] as const;

/** Recent imports of the unit; refreshes while one of them runs. */
export function useImports(orgId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: importsKey(orgId),
    queryFn: () => api.get<Page<ImportView>>('/api/imports', { orgId, limit: 20 }),
    enabled: Boolean(orgId) && enabled,
    refetchInterval: (query) => (query.state.data?.items.some((i) => i.status === 'running') ? 3000 : false),
  });
}

/** One import; polled every second while it runs. */
export function useImport(id: string | undefined) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ['import', id],
    queryFn: async () => {
      const view = await api.get<ImportView>(`/api/imports/${id}`);
      if (view.status === 'done' || view.status === 'failed') {
        await queryClient.invalidateQueries({ queryKey: ['imports', view.orgId] });
      }
      return view;
    },
    enabled: Boolean(id),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'running' || status === 'pending' ? 1000 : false;
    },
  });
}

/** Uploads the file as multipart/form-data (orgId first, then the file). */
async function uploadFile(orgId: string, file: File): Promise<ImportCreated> {
  const form = new FormData();
  form.append('orgId', orgId);
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch('/api/imports', { method: 'POST', body: form, credentials: 'same-origin' });
  } catch (err) {
    throw new ApiError('network_error', err instanceof Error ? err.message : 'Network error', 0);
  }
  const json = (await response.json().catch(() => null)) as (ImportCreated & Partial<ApiErrorBody>) | null;
  if (!response.ok) {
    const error = json?.error;
    if (error?.code) throw new ApiError(error.code, error.message, response.status, error.details ?? []);
    if (response.status === 413) throw new ApiError('payload_too_large', 'Too large', 413);
    throw new ApiError('internal_error', `HTTP ${response.status}`, response.status);
  }
  return json as ImportCreated;
}

export function useUploadImport() {
  return useMutation({
    mutationFn: (input: { orgId: string; file: File }) => uploadFile(input.orgId, input.file),
  });
}

export function useSetMapping(id: string) {
  return useMutation({
    mutationFn: (input: z.input<typeof ImportMappingBody>) =>
      api.put<ImportAnalysis>(`/api/imports/${id}/mapping`, input),
  });
}

export function useStartImport(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NonNullable<z.input<typeof ImportStartBody>>) =>
      api.post<ImportView>(`/api/imports/${id}/start`, input),
    onSuccess: (view) => {
      queryClient.setQueryData(['import', id], view);
      return queryClient.invalidateQueries({ queryKey: importsKey(view.orgId) });
    },
  });
}

/** Discards an upload that was not started; its stored file is deleted. */
export function useDiscardImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; orgId: string }) => api.delete<null>(`/api/imports/${input.id}`),
    onSettled: (_data, _error, input) => queryClient.invalidateQueries({ queryKey: importsKey(input.orgId) }),
  });
}

export const errorsCsvUrl = (id: string) => `/api/imports/${id}/errors.csv`;
