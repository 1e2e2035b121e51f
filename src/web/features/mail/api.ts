import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { OutboxItem, OutboxMessage } from '../../../shared/mail.ts';
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
