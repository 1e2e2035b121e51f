import { Alert, Anchor, Button, Group, Paper, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import {
  IconAlertTriangle,
  IconCircleCheck,
  IconDownload,
  IconMailCheck,
  IconUpload,
} from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { errorsCsvUrl, type ImportView } from '../api.ts';

export function formatDuration(t: TFunction, seconds: number) {
  if (seconds < 90) return t('imports:duration.seconds', { count: Math.max(1, Math.round(seconds)) });
  return t('imports:duration.minutes', { count: Math.round(seconds / 60) });
}

/** Progress while running (rows/s, time left), the counts when done, and the error list. */
export function ProgressCard({ view, onNew }: { view: ImportView; onNew: () => void }) {
  const { t, i18n } = useTranslation('imports');
  const nf = new Intl.NumberFormat(i18n.language);
  const percent = view.total > 0 ? Math.min(100, (view.processed / view.total) * 100) : 0;
  const running = view.status === 'running' || view.status === 'pending';
  const title =
    view.status === 'done'
      ? t('progress.doneTitle')
      : view.status === 'failed'
        ? t('progress.failedTitle')
        : t('progress.title');
  const counts = [
    ['created', view.created, 'green'],
    ['updated', view.updated, 'blue'],
    ['unchanged', view.unchanged, 'gray'],
    ['departed', view.departed, 'orange'],
    ['failed', view.failed, 'red'],
  ] as const;
  return (
    <Paper withBorder p="lg" radius="md" data-testid="import-progress">
      <Stack gap="md">
        <Group gap="sm">
          {view.status === 'done' && (
            <IconCircleCheck size={26} color="var(--mantine-color-green-7)" aria-hidden />
          )}
          {view.status === 'failed' && (
            <IconAlertTriangle size={26} color="var(--mantine-color-red-7)" aria-hidden />
          )}
          <Title order={2} fz="xl">
            {title}
          </Title>
        </Group>
        <Text size="sm" c="dimmed">
          {view.fileName} · {view.orgName}
        </Text>
        <Stack gap={6}>
          <Progress
            value={view.status === 'done' ? 100 : percent}
            size="xl"
            radius="md"
            striped={running}
            animated={running}
            color={view.status === 'failed' ? 'red' : view.status === 'done' ? 'green' : 'blue'}
            aria-label={t('progress.rows', {
              processed: nf.format(view.processed),
              total: nf.format(view.total),
              count: view.total,
            })}
          />
          <Group justify="space-between" gap="xs">
            <Text size="sm" fw={600}>
              {view.status === 'pending'
                ? t('progress.waiting')
                : t('progress.rows', {
                    processed: nf.format(view.processed),
                    total: nf.format(view.total),
                    count: view.total,
                  })}
            </Text>
            <Group gap="md">
              {view.rowsPerSecond !== null && (
                <Text size="sm" c="dimmed">
                  {t('progress.speed', { rate: nf.format(view.rowsPerSecond) })}
                </Text>
              )}
              {running && view.etaSeconds !== null && (
                <Text size="sm" c="dimmed">
                  {t('progress.eta', { time: formatDuration(t, view.etaSeconds) })}
                </Text>
              )}
            </Group>
          </Group>
          {running && (
            <Text size="sm" c="dimmed">
              {t('progress.leave')}
            </Text>
          )}
        </Stack>
        <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm">
          {counts.map(([key, value, color]) => (
            <Paper key={key} withBorder p="sm" radius="md" data-testid={`import-count-${key}`}>
              <Text size="xs" c="dimmed" fw={600}>
                {t(`progress.${key}`)}
              </Text>
              <Text fz={24} fw={800} c={value > 0 ? `${color}.8` : 'dimmed'}>
                {nf.format(value)}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
        {(view.consentLegalBasis !== null || view.consentsRequested > 0) && (
          <Group gap={6} data-testid="import-consents-requested">
            <IconMailCheck size={18} aria-hidden />
            <Text size="sm">
              {t('progress.consentsRequested', {
                count: view.consentsRequested,
                formatted: nf.format(view.consentsRequested),
              })}
            </Text>
          </Group>
        )}
        {view.message && (
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={20} />}>
            {view.message}
          </Alert>
        )}
        {!running && (
          <Group gap="md">
            {view.failed > 0 && (
              <Anchor href={errorsCsvUrl(view.id)} download data-testid="import-errors-csv">
                <Group gap={6}>
                  <IconDownload size={18} aria-hidden />
                  {t('progress.errorsCsv')}
                </Group>
              </Anchor>
            )}
            <Button variant="light" leftSection={<IconUpload size={18} aria-hidden />} onClick={onNew}>
              {t('progress.newImport')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
