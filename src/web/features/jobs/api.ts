import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Ok } from '../../../shared/common.ts';
import type { FailedJob } from '../../../shared/jobs.ts';
import { api, type Page } from '../../lib/api.ts';

export type FailedJobEntry = z.infer<typeof FailedJob>;

export function useFailedJobs() {
  return useInfiniteQuery({
    queryKey: ['jobs', 'failed'],
    queryFn: ({ pageParam }) =>
      api.get<Page<FailedJobEntry>>('/api/jobs/failed', { limit: 50, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useRetryFailedJob() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<z.infer<typeof Ok>>(`/api/jobs/failed/${id}/retry`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['jobs', 'failed'] }),
  });
}
