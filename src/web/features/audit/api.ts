import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { AuditEntryView } from '../../../shared/audit.ts';
import { api, type Page } from '../../lib/api.ts';

export type AuditEntry = AuditEntryView;

export interface AuditFilter {
  orgId?: string;
  userId?: string;
  action?: string;
  from?: string;
  to?: string;
}

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
