import { Anchor, Badge, Button, Paper, Table, Text } from '@mantine/core';
import { IconPhoneCall, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
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
  const items = assignments.data?.items ?? [];

  return (
    <>
      <PageHeader
        title={t('manage.title')}
        description={t('manage.description', { org: currentOrg.name })}
        actions={
          <Button
            component={Link}
            to="/call-assignments/new"
            leftSection={<IconPlus size={18} aria-hidden />}
            data-testid="call-assignment-new"
          >
            {t('manage.new')}
          </Button>
        }
      />
      <ErrorAlert error={assignments.error} />
      {assignments.isSuccess && items.length === 0 ? (
        <EmptyState
          icon={<IconPhoneCall size={24} aria-hidden />}
          title={t('manage.emptyTitle')}
          text={t('manage.emptyText')}
        />
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={560}>
            <Table highlightOnHover verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('manage.colTitle')}</Table.Th>
                  <Table.Th>{t('manage.colStatus')}</Table.Th>
                  <Table.Th>{t('manage.colCallers')}</Table.Th>
                  <Table.Th>{t('manage.colUpdated')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((a) => (
                  <Table.Tr key={a.id} data-testid="call-assignment-row">
                    <Table.Td>
                      <Anchor component={Link} to={`/call-assignments/${a.id}`} fw={600}>
                        {a.title}
                      </Anchor>
                      {a.description && (
                        <Text size="xs" c="dimmed" lineClamp={1}>
                          {a.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={STATUS_COLORS[a.status]}>
                        {t(`status.${a.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{a.callers.length}</Table.Td>
                    <Table.Td>{formatDateTime(a.updatedAt, i18n.language)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </>
  );
}
