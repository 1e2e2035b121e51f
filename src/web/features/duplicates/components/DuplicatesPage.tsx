import { Badge, Button, Group, Loader, Paper, SegmentedControl, Skeleton, Stack, Text } from '@mantine/core';
import { IconArrowsJoin, IconCopy, IconScan } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { notifyError, notifySuccess } from '../../../components/notify.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { type Candidate, type CandidateStatus, useCandidates, useLatestScan, useStartScan } from '../api.ts';
import { CompareModal } from './CompareModal.tsx';
import { personName, ScoreBadge } from './parts.tsx';

export function DuplicatesPage() {
  const { t, i18n } = useTranslation('duplicates');
  const { currentOrg, can } = useCurrentOrg();
  const [status, setStatus] = useState<CandidateStatus>('open');
  const [selected, setSelected] = useState<Candidate | null>(null);
  const mayRead = Boolean(currentOrg) && can('people:read');
  const mayWrite = Boolean(currentOrg) && can('people:write');
  const candidates = useCandidates(currentOrg?.id, status, mayRead);
  const scan = useLatestScan(currentOrg?.id, mayRead);
  const startScan = useStartScan();

  if (!currentOrg) return <EmptyState title={t('common:noOrg.title')} text={t('common:noOrg.text')} />;
  if (!mayRead) return <Forbidden />;

  const items = candidates.data?.pages.flatMap((p) => p.items) ?? [];
  const last = scan.data?.scan;
  const scanBusy = last?.status === 'queued' || last?.status === 'running';

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description', { org: currentOrg.name })}
        actions={
          mayWrite && (
            <Button
              leftSection={<IconScan size={18} aria-hidden />}
              loading={startScan.isPending}
              disabled={scanBusy}
              onClick={() =>
                startScan.mutate(currentOrg.id, {
                  onSuccess: () => notifySuccess(t('scan.started')),
                  onError: (error) => notifyError(t, error),
                })
              }
              data-testid="duplicates-scan"
            >
              {t('scan.start')}
            </Button>
          )
        }
      />
      <Stack gap="md">
        <Group justify="space-between" wrap="wrap" gap="sm">
          <SegmentedControl
            aria-label={t('tabs.label')}
            value={status}
            onChange={(value) => setStatus(value as CandidateStatus)}
            data={[
              { value: 'open', label: t('tabs.open') },
              { value: 'dismissed', label: t('tabs.dismissed') },
            ]}
            data-testid="duplicates-status"
          />
          <Group gap="xs" data-testid="duplicates-scan-status" aria-live="polite">
            {scanBusy && <Loader size="xs" />}
            <Text size="sm" c={last?.status === 'failed' ? 'red' : 'dimmed'}>
              {!last
                ? t('scan.never')
                : last.status === 'done'
                  ? t('scan.done', {
                      date: formatDateTime(last.finishedAt, i18n.language),
                      count: last.pairs ?? 0,
                    })
                  : last.status === 'failed'
                    ? t('scan.failed', { date: formatDateTime(last.finishedAt, i18n.language) })
                    : t(`scan.${last.status}`)}
            </Text>
          </Group>
        </Group>

        <ErrorAlert error={candidates.error ?? scan.error} />
        {candidates.isPending ? (
          <Skeleton h={200} />
        ) : items.length === 0 ? (
          <EmptyState
            icon={<IconCopy size={26} aria-hidden />}
            title={t('list.empty')}
            text={status === 'open' ? t('list.emptyHint') : t('list.emptyDismissed')}
          />
        ) : (
          <Stack gap="sm" data-testid="duplicates-list">
            {items.map((c) => (
              <Paper key={c.id} withBorder radius="md" p="md" data-testid="duplicate-row">
                <Group justify="space-between" wrap="wrap" gap="sm">
                  <Stack gap={6} style={{ flex: '1 1 320px', minWidth: 0 }}>
                    <Group gap="sm" wrap="wrap">
                      <ScoreBadge score={c.score} />
                      <Text fw={600}>{t('list.pair', { a: personName(c.a), b: personName(c.b) })}</Text>
                    </Group>
                    <Text size="sm" c="dimmed">
                      {[c.a, c.b]
                        .map((p) => [p.postalCode, p.city, p.orgName].filter(Boolean).join(' · '))
                        .join('  ↔  ')}
                    </Text>
                    <Group gap={6} wrap="wrap">
                      {c.reasons.map((r) => (
                        <Badge key={r} variant="light" color="gray" radius="sm" tt="none">
                          {t(`reasons.${r}`)}
                        </Badge>
                      ))}
                    </Group>
                  </Stack>
                  <Button
                    variant="light"
                    leftSection={<IconArrowsJoin size={18} aria-hidden />}
                    onClick={() => setSelected(c)}
                    data-testid="duplicate-compare"
                  >
                    {t('list.compare')}
                  </Button>
                </Group>
              </Paper>
            ))}
            {candidates.hasNextPage && (
              <Button
                variant="default"
                onClick={() => candidates.fetchNextPage()}
                loading={candidates.isFetchingNextPage}
              >
                {t('list.more')}
              </Button>
            )}
          </Stack>
        )}
      </Stack>
      {selected && (
        <CompareModal candidate={selected} mayWrite={mayWrite} onClose={() => setSelected(null)} />
      )}
    </>
  );
}
