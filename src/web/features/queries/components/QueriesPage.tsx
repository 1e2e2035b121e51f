import { ActionIcon, Anchor, Badge, Button, Group, Text, Tooltip } from '@mantine/core';
import { IconCopy, IconFilterSearch, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
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
      <DataTable
        error={queries.error ?? create.error}
        empty={<EmptyState title={t('list.emptyTitle')} text={t('list.emptyText')} />}
        isEmpty={queries.isSuccess && items.length === 0}
        minWidth={640}
        table={{ highlightOnHover: true }}
        rows={items}
        rowKey={(q) => q.id}
        rowProps={() => ({ 'data-testid': 'query-row' })}
        columns={[
          {
            key: 'name',
            header: t('list.name'),
            cell: (q) => (
              <>
                <Anchor component={Link} to={`/lists/${q.id}`} fw={600}>
                  {q.name}
                </Anchor>
                {q.description && (
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {q.description}
                  </Text>
                )}
              </>
            ),
          },
          {
            key: 'mode',
            header: t('list.mode'),
            cell: (q) => (
              <Badge variant="light" color={q.mode === 'snapshot' ? 'grape' : 'blue'}>
                {t(`modes.${q.mode}`)}
              </Badge>
            ),
          },
          { key: 'unit', header: t('list.unit'), cell: (q) => q.orgName },
          {
            key: 'updated',
            header: t('list.updated'),
            cell: (q) => formatDateTime(q.updatedAt, i18n.language),
          },
          {
            key: 'actions',
            header: null,
            cell: (q) => (
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
            ),
          },
        ]}
      />
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
