import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { IconDownload, IconPencil, IconRefresh, IconUserMinus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { notifyError, notifySuccess } from '../../../components/notify.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { ExportModal } from '../../people/components/ExportModal.tsx';
import {
  isHandPicked,
  usePreview,
  useQueryPeople,
  useRemoveListMembers,
  useSavedQuery,
  useUpdateQuery,
} from '../api.ts';

/** A saved list opened: its people (paged), the count, and the export action. */
export function QueryResultPage() {
  const { t, i18n } = useTranslation('queries');
  const { id } = useParams();
  const { can } = useCurrentOrg();
  const query = useSavedQuery(id);
  const people = useQueryPeople(id);
  const q = query.data;
  const count = usePreview(q?.orgId, { kind: 'savedQuery', queryId: id ?? '', mode: 'include' });
  const refresh = useUpdateQuery(id ?? '');
  const remove = useRemoveListMembers(id ?? '');
  const [exporting, setExporting] = useState(false);
  const rows = people.data?.pages.flatMap((p) => p.items) ?? [];
  if (!q) return <ErrorAlert error={query.error} />;
  const mayWrite = can('people:write', q.orgId);
  // Snapshot lists keep their people: they can be taken off one by one.
  const mayRemove = mayWrite && q.mode === 'snapshot';
  const handPicked = q.mode === 'snapshot' && isHandPicked(q.filter);

  return (
    <>
      <PageHeader
        title={q.name}
        description={
          <span data-testid="result-subtitle">
            {/* Badges first, then the texts joined by " · ": never a separator at either end. */}
            <Badge variant="light" color={q.mode === 'snapshot' ? 'grape' : 'blue'} mr="xs">
              {t(`modes.${q.mode}`)}
            </Badge>
            {handPicked && (
              <Badge variant="outline" color="gray" mr="xs">
                {t('result.handPicked')}
              </Badge>
            )}
            {[
              q.description,
              q.snapshotAt && t('result.snapshotAt', { at: formatDateTime(q.snapshotAt, i18n.language) }),
            ]
              .filter(Boolean)
              .join(' · ')}
          </span>
        }
        actions={
          <>
            {mayWrite && q.mode === 'snapshot' && !handPicked && (
              <Button
                variant="default"
                leftSection={<IconRefresh size={18} aria-hidden />}
                loading={refresh.isPending}
                onClick={() => refresh.mutate({ refresh: true })}
              >
                {t('result.refresh')}
              </Button>
            )}
            {mayWrite && (
              <Button
                variant="default"
                component={Link}
                to={`/lists/${q.id}/edit`}
                leftSection={<IconPencil size={18} aria-hidden />}
              >
                {t('list.edit')}
              </Button>
            )}
            {can('people:export', q.orgId) && (
              <Button
                leftSection={<IconDownload size={18} aria-hidden />}
                onClick={() => setExporting(true)}
                disabled={rows.length === 0}
                data-testid="export-open"
              >
                {t('result.export')}
              </Button>
            )}
          </>
        }
      />
      <Text mb="sm" data-testid="result-count">
        {count.data
          ? t('result.count', {
              count: count.data.count,
              formatted: count.data.count.toLocaleString(i18n.language),
            })
          : '…'}
      </Text>
      <ErrorAlert error={people.error} />
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={600}>
          <Table verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('result.name')}</Table.Th>
                <Table.Th>{t('result.place')}</Table.Th>
                <Table.Th>{t('result.email')}</Table.Th>
                <Table.Th>{t('result.phone')}</Table.Th>
                {mayRemove && (
                  <Table.Th w={60}>
                    <VisuallyHidden>{t('result.actions')}</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((p) => (
                <Table.Tr key={p.id} data-testid="result-row">
                  <Table.Td>
                    <Anchor component={Link} to={`/people/${p.id}`}>
                      {p.lastName}, {p.firstName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{[p.postalCode, p.city].filter(Boolean).join(' ')}</Table.Td>
                  <Table.Td>{p.email}</Table.Td>
                  <Table.Td>{p.phone}</Table.Td>
                  {mayRemove && (
                    <Table.Td>
                      <Tooltip label={t('result.remove')}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('result.removeNamed', { name: `${p.firstName} ${p.lastName}` })}
                          loading={remove.isPending && remove.variables?.[0] === p.id}
                          onClick={() =>
                            remove.mutate([p.id], {
                              onSuccess: () =>
                                notifySuccess(t('result.removed', { name: `${p.firstName} ${p.lastName}` })),
                              onError: (err) => notifyError(t, err),
                            })
                          }
                          data-testid="result-remove"
                        >
                          <IconUserMinus size={18} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {people.hasNextPage && (
        <Group justify="center" mt="md">
          <Button
            variant="default"
            onClick={() => people.fetchNextPage()}
            loading={people.isFetchingNextPage}
          >
            {t('result.more')}
          </Button>
        </Group>
      )}
      <ExportModal opened={exporting} onClose={() => setExporting(false)} orgId={q.orgId} queryId={q.id} />
    </>
  );
}
