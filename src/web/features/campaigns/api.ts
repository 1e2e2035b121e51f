import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CallCentreCreate,
  CallCentreCreated,
  CallCentreUpdate,
  CallCentreView,
  CampaignCreate,
  CampaignExportQuery,
  CampaignStats,
  CampaignUpdate,
  CampaignView,
  Crosstab,
  StatsQuery,
} from '../../../shared/campaigns.ts';
import { api, type Page, withQuery } from '../../lib/api.ts';
import { downloadFile } from '../../lib/download.ts';

export type Campaign = CampaignView;
export type CallCentre = CallCentreView;
export type CampaignStatus = CampaignView['status'];
export type CampaignCreateInput = z.input<typeof CampaignCreate>;
export type CampaignUpdateInput = z.input<typeof CampaignUpdate>;
export type CallCentreInput = z.input<typeof CallCentreCreate>;
export type CallCentreUpdateInput = z.input<typeof CallCentreUpdate>;
export type Stats = CampaignStats;
export type StatsFilters = StatsQuery;
export type CrosstabResult = Crosstab;

const key = ['campaigns'] as const;

export function useCampaigns(orgId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: [...key, 'list', orgId ?? ''],
    queryFn: () => api.get<Page<Campaign>>('/api/campaigns', { orgId }),
    enabled: Boolean(orgId) && enabled,
  });
}

export function useCampaign(id: string | undefined) {
  return useQuery({
    queryKey: [...key, 'one', id ?? ''],
    queryFn: () => api.get<Campaign>(`/api/campaigns/${id}`),
    enabled: Boolean(id),
  });
}

export function useCreateCampaign() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CampaignCreateInput) => api.post<Campaign>('/api/campaigns', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

export function useUpdateCampaign(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CampaignUpdateInput) => api.patch<Campaign>(`/api/campaigns/${id}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

export function useAddCallCentre(campaignId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CallCentreInput) =>
      api.post<z.infer<typeof CallCentreCreated>>(`/api/campaigns/${campaignId}/call-centres`, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: key });
      void queryClient.invalidateQueries({ queryKey: ['calls'] });
    },
  });
}

export function useUpdateCallCentre(campaignId: string, callCentreId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CallCentreUpdateInput) =>
      api.patch<CallCentre>(`/api/campaigns/${campaignId}/call-centres/${callCentreId}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

export function useCampaignStats(id: string, filters: StatsFilters) {
  return useQuery({
    queryKey: [...key, 'stats', id, filters],
    queryFn: () => api.get<Stats>(`/api/campaigns/${id}/stats`, { ...filters }),
    placeholderData: (previous) => previous,
  });
}

export function useCrosstab(id: string, rows: string | null, columns: string | null, filters: StatsFilters) {
  return useQuery({
    queryKey: [...key, 'crosstab', id, rows, columns, filters],
    queryFn: () => api.get<CrosstabResult>(`/api/campaigns/${id}/crosstab`, { ...filters, rows, columns }),
    enabled: Boolean(rows && columns),
    placeholderData: (previous) => previous,
  });
}

/** The export's query: the figures' filters, the format and (for a crosstab) rows, columns, percent. */
export type CampaignExportInput = z.infer<typeof CampaignExportQuery>;

/** The figures (or, with rows and columns, the crosstab) as a CSV/XLSX download. */
export function useExportCampaign(id: string) {
  return useMutation({
    mutationFn: (input: CampaignExportInput) =>
      downloadFile(
        withQuery(`/api/campaigns/${id}/export`, { ...input }),
        { method: 'GET' },
        `kampagne-${new Date().toISOString().slice(0, 10)}.${input.format}`,
      ),
  });
}
