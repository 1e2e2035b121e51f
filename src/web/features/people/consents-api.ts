import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  ConsentCreate,
  ConsentList,
  ConsentRequestResult,
  ConsentView,
} from '../../../shared/consents.ts';
import { api } from '../../lib/api.ts';

export type Consent = ConsentView;
export type ConsentRequestInput = z.input<typeof ConsentCreate>;
export type ConsentRequestAnswer = z.infer<typeof ConsentRequestResult>;

const consentsKey = (personId: string) => ['people', 'consents', personId] as const;
const timelineKey = (personId: string) => ['people', 'timeline', personId] as const;

/** A person's consents with their ledger (`GET /api/people/:id/consents`). */
export function useConsents(personId: string) {
  return useQuery({
    queryKey: consentsKey(personId),
    queryFn: () => api.get<z.infer<typeof ConsentList>>(`/api/people/${personId}/consents`),
  });
}

function useConsentsChanged(personId: string) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: consentsKey(personId) });
    void queryClient.invalidateQueries({ queryKey: timelineKey(personId) });
  };
}

/** Records a wish and starts the double opt-in (the server mails the confirmation link). */
export function useRequestConsent(personId: string) {
  const changed = useConsentsChanged(personId);
  return useMutation({
    mutationFn: (body: ConsentRequestInput) =>
      api.post<ConsentRequestAnswer>(`/api/people/${personId}/consents`, body),
    onSuccess: changed,
  });
}

export function useRevokeConsent(personId: string) {
  const changed = useConsentsChanged(personId);
  return useMutation({
    mutationFn: ({ consentId, note }: { consentId: string; note?: string }) =>
      api.post<Consent>(`/api/people/${personId}/consents/${consentId}/revoke`, note ? { note } : {}),
    onSuccess: changed,
  });
}
