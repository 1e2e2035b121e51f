import { Badge, Group, Paper, SegmentedControl, Skeleton, Table, Text } from '@mantine/core';
import { IconChecklist } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
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
      <ErrorAlert error={confirmations.error} />
      {confirmations.isPending ? (
        <Skeleton h={200} />
      ) : items.length === 0 ? (
        <EmptyState icon={<IconChecklist size={26} aria-hidden />} title={t('confirmations.empty')} />
      ) : (
        <>
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
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={720}>
              <Table verticalSpacing="sm" data-testid="confirmations-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('confirmations.name')}</Table.Th>
                    <Table.Th>{t('confirmations.email')}</Table.Th>
                    <Table.Th>{t('confirmations.org')}</Table.Th>
                    <Table.Th>{t('confirmations.role')}</Table.Th>
                    <Table.Th>{t('confirmations.version')}</Table.Th>
                    <Table.Th>{t('confirmations.at')}</Table.Th>
                    <Table.Th>{t('confirmations.status')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {shown.map((item) => (
                    <Table.Tr key={`${item.userId}:${item.orgId}`}>
                      <Table.Td fw={500}>{item.name}</Table.Td>
                      <Table.Td>{item.email}</Table.Td>
                      <Table.Td>{orgsById.get(item.orgId)?.name ?? '—'}</Table.Td>
                      <Table.Td>{t(`common:roles.${item.role}`, { defaultValue: item.role })}</Table.Td>
                      <Table.Td>{item.confirmedVersion ?? '—'}</Table.Td>
                      <Table.Td>{formatDateTime(item.confirmedAt, i18n.language)}</Table.Td>
                      <Table.Td>
                        <Badge color={item.current ? 'teal' : 'orange'} variant="light" miw="max-content">
                          {item.current ? t('confirmations.current') : t('confirmations.outstanding')}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        </>
      )}
    </>
  );
}
