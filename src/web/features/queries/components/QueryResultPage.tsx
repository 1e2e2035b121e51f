import { ActionIcon, Anchor, Badge, Button, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import {
  IconDownload,
  IconMail,
  IconMailCheck,
  IconPencil,
  IconRefresh,
  IconUserMinus,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { DataTable } from '../../../components/DataTable.tsx';
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
            {can('mail:send', q.orgId) && (
              <>
                <Button
                  variant="default"
                  component={Link}
                  to={`/mailings/new?org=${q.orgId}&list=${q.id}`}
                  leftSection={<IconMail size={18} aria-hidden />}
                  data-testid="list-new-mailing"
                >
                  {t('result.newMailing')}
                </Button>
                <Button
                  variant="default"
                  component={Link}
                  to={`/mailings?consentRequest=${q.id}`}
                  leftSection={<IconMailCheck size={18} aria-hidden />}
                  data-testid="list-consent-request"
                >
                  {t('result.consentRequest')}
                </Button>
              </>
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
      <DataTable
        error={people.error}
        minWidth={600}
        table={{ highlightOnHover: true }}
        rows={rows}
        rowKey={(p) => p.id}
        rowProps={() => ({ 'data-testid': 'result-row' })}
        more={people}
        moreLabel={t('result.more')}
        columns={[
          {
            key: 'name',
            header: t('result.name'),
            cell: (p) => (
              <Anchor component={Link} to={`/people/${p.id}`}>
                {p.lastName}, {p.firstName}
              </Anchor>
            ),
          },
          {
            key: 'place',
            header: t('result.place'),
            cell: (p) => [p.postalCode, p.city].filter(Boolean).join(' '),
          },
          { key: 'email', header: t('result.email'), cell: (p) => p.email },
          { key: 'phone', header: t('result.phone'), cell: (p) => p.phone },
          ...(mayRemove
            ? [
                {
                  key: 'actions',
                  header: <VisuallyHidden>{t('result.actions')}</VisuallyHidden>,
                  th: { w: 60 },
                  cell: (p: (typeof rows)[number]) => (
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
                  ),
                },
              ]
            : []),
        ]}
      />
      <ExportModal opened={exporting} onClose={() => setExporting(false)} orgId={q.orgId} queryId={q.id} />
    </>
  );
}
