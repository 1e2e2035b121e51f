import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { AuditEntryView, AuditQuery } from '../../../shared/audit.ts';
import { api, type Page } from '../../lib/api.ts';

export type AuditEntry = AuditEntryView;

/** The log's filters (the query without paging, which the hook adds). */
export type AuditFilter = Omit<z.input<typeof AuditQuery>, 'limit' | 'cursor'>;

export function useAuditLog(filter: AuditFilter, enabled = true) {
  return useInfiniteQuery({
    queryKey: ['audit', filter],
    queryFn: ({ pageParam }) =>
      api.get<Page<AuditEntry>>('/api/audit', { ...filter, limit: 50, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
  });
}
