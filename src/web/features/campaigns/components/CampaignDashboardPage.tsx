import {
  Anchor,
  Breadcrumbs,
  Button,
  Group,
  Loader,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
} from '@mantine/core';
import { IconArrowLeft, IconFileSpreadsheet, IconFileTypeCsv, IconPrinter } from '@tabler/icons-react';
import { useQueries } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { FullPageLoader } from '../../../components/FullPageLoader.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { api } from '../../../lib/api.ts';
import type { Assignment } from '../../calls/api.ts';
import {
  type Campaign,
  type Stats,
  type StatsFilters,
  useCampaign,
  useCampaignStats,
  useExportCampaign,
} from '../api.ts';
import { CrosstabCard } from './CrosstabCard.tsx';
import {
  ByCallCentreCard,
  ByCallerCard,
  ByDayCard,
  ByHourCard,
  ByOutcomeCard,
  ByQuestionCards,
  ByRegionCard,
} from './DashboardCharts.tsx';
import { formatNumber, formatShare } from './format.ts';
import { formatPeriod } from './period.ts';
import './dashboard.css';
import { DateField } from '../../../components/DateFields.tsx';

/** Evaluation of a campaign: figures, charts, crosstab, exports; printable. */
export function CampaignDashboardPage() {
  const { id = '' } = useParams();
  const campaign = useCampaign(id);
  if (campaign.isPending) return <FullPageLoader />;
  if (campaign.error) return <ErrorAlert error={campaign.error} />;
  return <Dashboard campaign={campaign.data} />;
}

interface Region {
  orgId: string;
  name: string;
}

/**
 * The dashboard's filters, drill-down and crosstab live in the URL (`?from=&to=&assignment=
 * &caller=&region=<id>,<id>&rows=&columns=&percent=`): a link shows the same view, and the back
 * button undoes a step.
 */
function useDashboardParams() {
  const [params, setParams] = useSearchParams();
  // Changes build on the latest one even before the page re-renders (two quick picks keep both).
  const latest = useRef(params);
  latest.current = params;
  const set = (patch: Record<string, string | null | undefined>) => {
    const next = new URLSearchParams(latest.current);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    latest.current = next;
    setParams(next);
  };
  return { get: (name: string) => params.get(name), set };
}

function Dashboard({ campaign }: { campaign: Campaign }) {
  const { t, i18n } = useTranslation('campaigns');
  const { orgsById } = useCurrentOrg();
  const url = useDashboardParams();
  const from = url.get('from') ?? '';
  const to = url.get('to') ?? '';
  const assignmentId = url.get('assignment');
  const callerId = url.get('caller');
  // The drill-down path below the region the dashboard starts at, as unit ids.
  const pathIds = (url.get('region') ?? '').split(',').filter(Boolean);
  const path: Region[] = pathIds.map((orgId) => ({ orgId, name: orgsById.get(orgId)?.name ?? '…' }));
  const setPath = (next: Region[]) => url.set({ region: next.map((r) => r.orgId).join(',') });
  const setFrom = (v: string) => url.set({ from: v });
  const setTo = (v: string) => url.set({ to: v });
  const setAssignmentId = (v: string | null) => url.set({ assignment: v });
  const setCallerId = (v: string | null) => url.set({ caller: v });
  const filters: StatsFilters = {
    orgId: path.at(-1)?.orgId,
    from: from || undefined,
    to: to || undefined,
    assignmentId: assignmentId ?? undefined,
    callerId: callerId ?? undefined,
  };
  const stats = useCampaignStats(campaign.id, filters);
  const exporter = useExportCampaign(campaign.id);

  const assignmentIds = campaign.callCentres.flatMap((c) => c.assignmentIds);
  const assignments = useQueries({
    queries: assignmentIds.map((aid) => ({
      queryKey: ['calls', 'assignment', aid],
      queryFn: () => api.get<Assignment>(`/api/call-assignments/${aid}`),
    })),
  });
  const assignmentOptions = assignmentIds.map((aid, i) => ({
    value: aid,
    label: assignments[i]?.data?.title ?? t('centres.assignmentN', { n: i + 1 }),
  }));

  // Callers seen so far stay choosable while one of them is selected.
  const [knownCallers, setKnownCallers] = useState<Map<string, string>>(new Map());
  const callers = stats.data?.byCaller ?? [];
  const missing = callers.filter((c) => c.callerId && !knownCallers.has(c.callerId));
  if (missing.length) {
    const next = new Map(knownCallers);
    for (const c of missing) if (c.callerId) next.set(c.callerId, c.name ?? '—');
    setKnownCallers(next);
  }
  const callerOptions = [...knownCallers].map(([value, label]) => ({ value, label }));

  // The start of the drill-down: the parent of its first step, or the region the server chose.
  const rootId = (path.length ? orgsById.get(path[0].orgId)?.parentId : stats.data?.orgId) ?? campaign.orgId;
  const rootName = orgsById.get(rootId)?.name ?? campaign.orgName;
  const drill = (r: Stats['byRegion'][number]) => {
    if (r.orgId && r.hasChildren) setPath([...path, { orgId: r.orgId, name: r.name }]);
  };

  const exportFigures = (format: 'csv' | 'xlsx') => exporter.mutate({ ...filters, format });
  const questionDims = useMemo(
    () => (stats.data?.byQuestion ?? []).filter((q) => q.type !== 'free_text'),
    [stats.data?.byQuestion],
  );

  return (
    <Stack gap="lg" className="campaign-dashboard" data-testid="campaign-dashboard">
      <PageHeader
        title={t('dashboard.title', { title: campaign.title })}
        description={`${campaign.orgName} · ${formatPeriod(campaign.startsAt, campaign.endsAt, i18n.language, t('list.open'))}`}
        actions={
          <Group gap="sm" className="no-print">
            <Button
              variant="default"
              component={Link}
              to={`/campaigns/${campaign.id}`}
              leftSection={<IconArrowLeft size={18} aria-hidden />}
            >
              {t('dashboard.toCampaign')}
            </Button>
            <Button
              variant="default"
              leftSection={<IconFileTypeCsv size={18} aria-hidden />}
              onClick={() => exportFigures('csv')}
              loading={exporter.isPending && exporter.variables?.format === 'csv' && !exporter.variables.rows}
              data-testid="export-figures-csv"
            >
              {t('dashboard.exportCsv')}
            </Button>
            <Button
              variant="default"
              leftSection={<IconFileSpreadsheet size={18} aria-hidden />}
              onClick={() => exportFigures('xlsx')}
              loading={
                exporter.isPending && exporter.variables?.format === 'xlsx' && !exporter.variables.rows
              }
              data-testid="export-figures-xlsx"
            >
              {t('dashboard.exportXlsx')}
            </Button>
            <Button
              leftSection={<IconPrinter size={18} aria-hidden />}
              onClick={() => window.print()}
              data-testid="dashboard-print"
            >
              {t('dashboard.print')}
            </Button>
          </Group>
        }
      />
      <ErrorAlert error={exporter.error} />

      <Paper withBorder radius="md" p="md" className="dashboard-filters">
        <Stack gap="sm">
          <Group gap="md" align="flex-end" wrap="wrap">
            <DateFilter
              label={t('dashboard.from')}
              value={from}
              max={to}
              onChange={setFrom}
              testId="dashboard-from"
            />
            <DateFilter
              label={t('dashboard.to')}
              value={to}
              min={from}
              onChange={setTo}
              testId="dashboard-to"
            />
            <FilterSelect
              label={t('dashboard.assignment')}
              data={assignmentOptions}
              value={assignmentId}
              onChange={setAssignmentId}
              w={260}
              testId="dashboard-assignment"
            />
            <FilterSelect
              label={t('dashboard.caller')}
              data={callerOptions}
              value={callerId}
              onChange={setCallerId}
              w={220}
              testId="dashboard-caller"
            />
            {stats.isFetching && <Loader size="sm" aria-label={t('common:states.loading')} />}
          </Group>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Text size="sm" fw={500}>
              {t('dashboard.region')}:
            </Text>
            <Breadcrumbs
              separatorMargin={6}
              data-testid="region-breadcrumb"
              style={{ flexWrap: 'wrap', rowGap: 4, minWidth: 0 }}
            >
              {[{ orgId: rootId, name: rootName }, ...path].map((r, i, all) =>
                i === all.length - 1 ? (
                  <Text key={r.orgId} size="sm" fw={600}>
                    {r.name}
                  </Text>
                ) : (
                  <Anchor
                    key={r.orgId}
                    component="button"
                    type="button"
                    size="sm"
                    onClick={() => setPath(path.slice(0, i))}
                  >
                    {r.name}
                  </Anchor>
                ),
              )}
            </Breadcrumbs>
          </Group>
          <Text size="xs" c="dimmed" className="print-only">
            {[
              from || to ? `${t('dashboard.period')}: ${from || '…'} – ${to || '…'}` : null,
              assignmentId
                ? `${t('dashboard.assignment')}: ${assignmentOptions.find((o) => o.value === assignmentId)?.label}`
                : null,
              callerId ? `${t('dashboard.caller')}: ${knownCallers.get(callerId)}` : null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </Text>
        </Stack>
      </Paper>

      <ErrorAlert error={stats.error} />
      {stats.data && (
        <>
          <HeadlineCards stats={stats.data} />
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" className="dashboard-grid">
            <ByDayCard stats={stats.data} />
            <ByHourCard stats={stats.data} />
          </SimpleGrid>
          <ByOutcomeCard stats={stats.data} />
          <ByRegionCard stats={stats.data} onDrill={drill} />
          <ByCallCentreCard stats={stats.data} />
          <ByCallerCard stats={stats.data} />
          <ByQuestionCards stats={stats.data} />
          <CrosstabCard
            campaignId={campaign.id}
            filters={filters}
            questions={questionDims}
            rows={url.get('rows') ?? 'region'}
            columns={url.get('columns') ?? 'outcome'}
            percent={(url.get('percent') as 'row' | 'column' | null) ?? null}
            onChange={(patch) => url.set(patch)}
          />
        </>
      )}
    </Stack>
  );
}

const HEADLINE = [
  'targets',
  'attempted',
  'reached',
  'reachRate',
  'remaining',
  'noCurrentNumber',
  'doNotCall',
  'followUpsOpen',
  'newsletterSignUps',
  'eventSignUps',
  'calls',
] as const;

function HeadlineCards({ stats }: { stats: Stats }) {
  const { t, i18n } = useTranslation('campaigns');
  const h = stats.headline;
  const value = (name: (typeof HEADLINE)[number]) =>
    name === 'reachRate' ? formatShare(h.reachRate, i18n.language) : formatNumber(h[name], i18n.language);
  const hint = (name: (typeof HEADLINE)[number]) =>
    name === 'noCurrentNumber'
      ? t('stats.shareOfTargets', { share: formatShare(h.noCurrentNumberShare, i18n.language) })
      : name === 'reachRate'
        ? t('stats.reachRateHint')
        : null;
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, md: 4, lg: 6 }} spacing="sm" className="headline-cards">
      {HEADLINE.map((name) => (
        <Paper key={name} withBorder radius="md" p="sm" data-testid={`stat-${name}`} className="stat-card">
          <Text size="xs" c="dimmed" fw={600} tt="uppercase" lh={1.3}>
            {t(`stats.${name}`)}
          </Text>
          <Text fz={26} fw={700} lh={1.3} data-testid={`stat-${name}-value`}>
            {value(name)}
          </Text>
          {hint(name) && (
            <Text size="xs" c="dimmed">
              {hint(name)}
            </Text>
          )}
        </Paper>
      ))}
    </SimpleGrid>
  );
}

/** A date bound of the dashboard's period ('' = open). */
function DateFilter({
  label,
  value,
  min,
  max,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  min?: string;
  max?: string;
  onChange: (value: string) => void;
  testId: string;
}) {
  return (
    <DateField
      label={label}
      value={value}
      min={min || undefined}
      max={max || undefined}
      onChange={onChange}
      data-testid={testId}
      w={170}
    />
  );
}

/** A searchable, clearable dashboard filter; empty means all. */
function FilterSelect({
  label,
  data,
  value,
  onChange,
  w,
  testId,
}: {
  label: string;
  data: { value: string; label: string }[];
  value: string | null;
  onChange: (value: string | null) => void;
  w: number;
  testId: string;
}) {
  const { t } = useTranslation('campaigns');
  return (
    <Select
      label={label}
      placeholder={t('dashboard.all')}
      data={data}
      value={value}
      onChange={onChange}
      clearable
      searchable
      w={w}
      data-testid={testId}
    />
  );
}
