import { Button, Code, Text } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { notifyError, notifySuccess } from '../../../components/notify.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { type FailedJobEntry, useFailedJobs, useRetryFailedJob } from '../api.ts';

/** The job's name in words where we have them (`jobs:names.<name>`), else the name itself. */
function useJobLabel() {
  const { t, i18n } = useTranslation('jobs');
  return (job: FailedJobEntry) =>
    i18n.exists(`names.${job.name}`, { ns: 'jobs' }) ? t(`names.${job.name}`) : job.name;
}

/** Instance administration: background jobs that failed after their last retry, with a retry button. */
export function FailedJobsPage() {
  const { t, i18n } = useTranslation('jobs');
  const { can } = useCurrentOrg();
  const failed = useFailedJobs();
  const retry = useRetryFailedJob();
  const label = useJobLabel();
  if (!can('instance:manage')) return <Forbidden />;
  const items = failed.data?.pages.flatMap((page) => page.items) ?? [];

  const retryJob = (job: FailedJobEntry) =>
    retry.mutate(job.id, {
      onSuccess: () => notifySuccess(t('retried', { job: label(job) })),
      onError: (error) => notifyError(t, error),
    });

  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <DataTable
        error={failed.error}
        loading={failed.isPending}
        empty={<EmptyState icon={<IconCircleCheck size={26} aria-hidden />} title={t('empty')} />}
        minWidth={640}
        testId="failed-jobs-table"
        rows={items}
        rowKey={(job) => job.id}
        rowProps={(job) => ({ 'data-testid': 'failed-job-row', 'data-job': job.name })}
        more={failed}
        columns={[
          {
            key: 'failedAt',
            header: t('failedAt'),
            td: { style: { whiteSpace: 'nowrap' } },
            cell: (job) => (
              <>
                <Text size="sm">{formatDateTime(job.failedAt, i18n.language)}</Text>
                <Text size="xs" c="dimmed">
                  {t('attempts', { count: job.attempts })}
                </Text>
              </>
            ),
          },
          {
            key: 'job',
            header: t('job'),
            cell: (job) => (
              <>
                <Text size="sm" fw={600}>
                  {label(job)}
                </Text>
                {job.key && (
                  <Code fz="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                    {job.key}
                  </Code>
                )}
              </>
            ),
          },
          {
            key: 'error',
            header: t('error'),
            td: { style: { wordBreak: 'break-word' } },
            cell: (job) => (
              <Text size="sm" c="red.8">
                {job.error ?? t('noError')}
              </Text>
            ),
          },
          {
            key: 'retry',
            header: null,
            th: { 'aria-label': t('retry') },
            td: { ta: 'right' },
            cell: (job) => (
              <Button
                size="xs"
                variant="light"
                loading={retry.isPending && retry.variables === job.id}
                onClick={() => retryJob(job)}
                aria-label={t('retryFor', { job: label(job) })}
                data-testid="failed-job-retry"
              >
                {t('retry')}
              </Button>
            ),
          },
        ]}
      />
    </>
  );
}
