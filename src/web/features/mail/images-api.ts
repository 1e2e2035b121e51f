import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ApiErrorBody } from '../../../shared/errors.ts';
import type { MailImage, MailImageCreated } from '../../../shared/mail-images.ts';
import { ApiError, api, type Page } from '../../lib/api.ts';

/** Images in mailings: a unit's uploads (server: mail-images.routes.ts). */

export type MailImageItem = z.infer<typeof MailImage>;
export type UploadedImage = z.infer<typeof MailImageCreated>;

const imagesKey = (orgId: string) => ['mail-images', orgId] as const;

export function useMailImages(orgId: string, enabled = true) {
  return useQuery({
    queryKey: imagesKey(orgId),
    queryFn: () => api.get<Page<MailImageItem>>('/api/mail/images', { orgId, limit: 24 }),
    enabled,
  });
}

/** Uploads one image as multipart/form-data (the unit in the query string). */
async function uploadImage(orgId: string, file: File): Promise<UploadedImage> {
  const form = new FormData();
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch(`/api/mail/images?orgId=${encodeURIComponent(orgId)}`, {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
    });
  } catch (err) {
    throw new ApiError('network_error', err instanceof Error ? err.message : 'Network error', 0);
  }
  const json = (await response.json().catch(() => null)) as (UploadedImage & Partial<ApiErrorBody>) | null;
  if (!response.ok) {
    const error = json?.error;
    if (error?.code) throw new ApiError(error.code, error.message, response.status, error.details ?? []);
    if (response.status === 413) throw new ApiError('payload_too_large', 'Too large', 413);
    throw new ApiError('internal_error', `HTTP ${response.status}`, response.status);
  }
  return json as UploadedImage;
}

export function useUploadMailImage(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => uploadImage(orgId, file),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: imagesKey(orgId) }),
  });
}
