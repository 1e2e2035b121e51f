import { Badge, Group, SegmentedControl, Text } from '@mantine/core';
import { IconChecklist } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useConfirmations } from '../api.ts';

export function ConfirmationsPage() {
  const { t, i18n } = useTranslation('instruction');
  const { currentOrg, can, orgsById } = useCurrentOrg();
  const allowed = Boolean(currentOrg) && can('instruction:confirmations:read');
  const confirmations = useConfirmations(allowed ? currentOrg?.id : undefined);
  const [show, setShow] = useState<'all' | 'open'>('all');
  if (!allowed) return <Forbidden />;
  const items = confirmations.data?.items ?? [];
  const open = items.filter((item) => !item.current).length;
  const shown = show === 'open' ? items.filter((item) => !item.current) : items;

  return (
    <>
      <PageHeader
        title={t('confirmations.title')}
        description={t('confirmations.description', { org: currentOrg?.name ?? '' })}
      />
      <DataTable
        error={confirmations.error}
        loading={confirmations.isPending}
        skeletonHeight={200}
        empty={<EmptyState icon={<IconChecklist size={26} aria-hidden />} title={t('confirmations.empty')} />}
        isEmpty={items.length === 0}
        above={
          <Group justify="space-between" mb="sm">
            <Text size="sm">
              {t('confirmations.summary', { confirmed: items.length - open, total: items.length })}
            </Text>
            <SegmentedControl
              size="xs"
              aria-label={t('confirmations.filter')}
              value={show}
              onChange={(value) => setShow(value === 'open' ? 'open' : 'all')}
              data={[
                { value: 'all', label: t('confirmations.showAll') },
                { value: 'open', label: t('confirmations.showOpen', { count: open }) },
              ]}
            />
          </Group>
        }
        minWidth={720}
        testId="confirmations-table"
        rows={shown}
        rowKey={(item) => `${item.userId}:${item.orgId}`}
        columns={[
          { key: 'name', header: t('confirmations.name'), td: { fw: 500 }, cell: (item) => item.name },
          { key: 'email', header: t('confirmations.email'), cell: (item) => item.email },
          {
            key: 'org',
            header: t('confirmations.org'),
            cell: (item) => orgsById.get(item.orgId)?.name ?? '—',
          },
          {
            key: 'role',
            header: t('confirmations.role'),
            cell: (item) => t(`common:roles.${item.role}`, { defaultValue: item.role }),
          },
          {
            key: 'version',
            header: t('confirmations.version'),
            cell: (item) => item.confirmedVersion ?? '—',
          },
          {
            key: 'at',
            header: t('confirmations.at'),
            cell: (item) => formatDateTime(item.confirmedAt, i18n.language),
          },
          {
            key: 'status',
            header: t('confirmations.status'),
            cell: (item) => (
              <Badge color={item.current ? 'teal' : 'orange'} variant="light" miw="max-content">
                {item.current ? t('confirmations.current') : t('confirmations.outstanding')}
              </Badge>
            ),
          },
        ]}
      />
    </>
  );
}
