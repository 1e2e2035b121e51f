import { ActionIcon, Anchor, Badge, Button, Group, Paper, Table, Text, Tooltip } from '@mantine/core';
import { IconCopy, IconFilterSearch, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { type SavedQuery, useCreateQuery, useDeleteQuery, useSavedQueries } from '../api.ts';

/** "Listen": the saved smart-search lists of the unit and below. */
export function QueriesPage() {
  const { t, i18n } = useTranslation('queries');
  const navigate = useNavigate();
  const { currentOrg, can } = useCurrentOrg();
  const mayRead = Boolean(currentOrg) && can('people:read');
  const mayWrite = mayRead && can('people:write');
  const queries = useSavedQueries(currentOrg?.id, mayRead);
  const create = useCreateQuery();
  const remove = useDeleteQuery();
  const [deleting, setDeleting] = useState<SavedQuery | null>(null);

  if (!currentOrg) return <EmptyState title={t('common:noOrg.title')} text={t('common:noOrg.text')} />;
  if (!mayRead) return <Forbidden />;

  const duplicate = (q: SavedQuery) =>
    create.mutate(
      {
        orgId: q.orgId,
        name: t('list.copyName', { name: q.name }),
        description: q.description,
        filter: q.filter,
        mode: q.mode,
      },
      { onSuccess: (copy) => navigate(`/lists/${copy.id}/edit`) },
    );
  const items = queries.data?.items ?? [];

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description', { org: currentOrg.name })}
        actions={
          mayWrite && (
            <Button
              component={Link}
              to="/lists/new"
              leftSection={<IconPlus size={18} aria-hidden />}
              data-testid="query-new"
            >
              {t('list.new')}
            </Button>
          )
        }
      />
      <ErrorAlert error={queries.error ?? create.error} />
      {queries.isSuccess && items.length === 0 ? (
        <EmptyState title={t('list.emptyTitle')} text={t('list.emptyText')} />
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={640}>
            <Table highlightOnHover verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('list.name')}</Table.Th>
                  <Table.Th>{t('list.mode')}</Table.Th>
                  <Table.Th>{t('list.unit')}</Table.Th>
                  <Table.Th>{t('list.updated')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((q) => (
                  <Table.Tr key={q.id} data-testid="query-row">
                    <Table.Td>
                      <Anchor component={Link} to={`/lists/${q.id}`} fw={600}>
                        {q.name}
                      </Anchor>
                      {q.description && (
                        <Text size="xs" c="dimmed" lineClamp={1}>
                          {q.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={q.mode === 'snapshot' ? 'grape' : 'blue'}>
                        {t(`modes.${q.mode}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{q.orgName}</Table.Td>
                    <Table.Td>{formatDateTime(q.updatedAt, i18n.language)}</Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Tooltip label={t('list.open')}>
                          <ActionIcon
                            variant="subtle"
                            component={Link}
                            to={`/lists/${q.id}`}
                            aria-label={t('list.open')}
                          >
                            <IconFilterSearch size={18} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                        {mayWrite && (
                          <>
                            <Tooltip label={t('list.edit')}>
                              <ActionIcon
                                variant="subtle"
                                component={Link}
                                to={`/lists/${q.id}/edit`}
                                aria-label={t('list.edit')}
                              >
                                <IconPencil size={18} aria-hidden />
                              </ActionIcon>
                            </Tooltip>
                            <Tooltip label={t('list.duplicate')}>
                              <ActionIcon
                                variant="subtle"
                                onClick={() => duplicate(q)}
                                aria-label={t('list.duplicate')}
                                data-testid="query-duplicate"
                              >
                                <IconCopy size={18} aria-hidden />
                              </ActionIcon>
                            </Tooltip>
                            <Tooltip label={t('list.delete')}>
                              <ActionIcon
                                variant="subtle"
                                color="red"
                                onClick={() => setDeleting(q)}
                                aria-label={t('list.delete')}
                                data-testid="query-delete"
                              >
                                <IconTrash size={18} aria-hidden />
                              </ActionIcon>
                            </Tooltip>
                          </>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <ConfirmModal
        opened={deleting !== null}
        title={t('list.deleteTitle')}
        confirmLabel={t('list.delete')}
        loading={remove.isPending}
        error={remove.error}
        onClose={() => {
          remove.reset();
          setDeleting(null);
        }}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting.id, {
            onSuccess: () => {
              notifySuccess(t('list.deleted', { name: deleting.name }));
              setDeleting(null);
            },
          })
        }
      >
        {t('list.deleteText', { name: deleting?.name ?? '' })}
      </ConfirmModal>
    </>
  );
}
