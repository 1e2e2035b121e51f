import { Badge } from '@mantine/core';
import { IconPhoneCall } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { RecordListPage } from '../../../components/RecordListPage.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useAssignments } from '../api.ts';
import { STATUS_COLORS } from './status.ts';

/** "Anrufaktionen": the call assignments of the current unit. */
export function CallAssignmentsPage() {
  const { t, i18n } = useTranslation('calls');
  const { currentOrg, can } = useCurrentOrg();
  const mayManage = Boolean(currentOrg) && can('calls:manage');
  const assignments = useAssignments(currentOrg?.id, mayManage);

  if (!currentOrg) return <EmptyState title={t('common:noOrg.title')} text={t('common:noOrg.text')} />;
  if (!mayManage) return <Forbidden />;

  return (
    <RecordListPage
      title={t('manage.title')}
      description={t('manage.description', { org: currentOrg.name })}
      newButton={{ label: t('manage.new'), to: '/call-assignments/new', testId: 'call-assignment-new' }}
      error={assignments.error}
      isSuccess={assignments.isSuccess}
      items={assignments.data?.items ?? []}
      empty={{
        icon: <IconPhoneCall size={24} aria-hidden />,
        title: t('manage.emptyTitle'),
        text: t('manage.emptyText'),
      }}
      minWidth={560}
      titleColumn={t('manage.colTitle')}
      rowTestId="call-assignment-row"
      hrefOf={(a) => `/call-assignments/${a.id}`}
      columns={[
        {
          key: 'status',
          header: t('manage.colStatus'),
          cell: (a) => (
            <Badge variant="light" color={STATUS_COLORS[a.status]}>
              {t(`status.${a.status}`)}
            </Badge>
          ),
        },
        { key: 'callers', header: t('manage.colCallers'), cell: (a) => a.callers.length },
        {
          key: 'updated',
          header: t('manage.colUpdated'),
          cell: (a) => formatDateTime(a.updatedAt, i18n.language),
        },
      ]}
    />
  );
}
