import { Autocomplete, Button, Code, Group, Paper, Select, SimpleGrid, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFilterOff, IconTimeline } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { DataTable } from '../../../components/DataTable.tsx';
import { DateField } from '../../../components/DateFields.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useMemberships } from '../../memberships/api.ts';
import { type AuditEntry, useAuditLog } from '../api.ts';

const ACTION_PREFIXES = [
  'auth.',
  'org.',
  'membership.',
  'invitation.',
  'instruction.',
  'person.',
  'people.',
  'tag.',
  'field.',
  'import.',
  'duplicates.',
];

function detailsText(entry: AuditEntry): string {
  const entries = Object.entries(entry.details ?? {});
  return entries
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

export function AuditPage() {
  const { t, i18n } = useTranslation('audit');
  const { currentOrg, can, orgsById } = useCurrentOrg();
  const allowed = Boolean(currentOrg) && can('audit:read');
  const [userId, setUserId] = useState<string | null>(null);
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [debouncedAction] = useDebouncedValue(action.trim(), 400);
  const people = useMemberships(currentOrg?.id, true, allowed);
  const filter = useMemo(
    () => ({
      orgId: currentOrg?.id,
      userId: userId ?? undefined,
      action: debouncedAction || undefined,
      from: from || undefined,
      // A bare date as `to` includes that whole day (the API's rule).
      to: to || undefined,
    }),
    [currentOrg?.id, userId, debouncedAction, from, to],
  );
  const log = useAuditLog(filter, allowed);

  const personOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const m of people.data?.items ?? []) seen.set(m.userId, `${m.name} <${m.email}>`);
    return [...seen]
      .map(([value, label]) => ({ value, label }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }, [people.data]);

  if (!allowed) return <Forbidden />;
  const items = log.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(userId || action || from || to);

  return (
    <>
      <PageHeader title={t('title')} description={t('description', { org: currentOrg?.name ?? '' })} />
      <Paper withBorder radius="md" p="md" mb="md">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          <Select
            label={t('filters.person')}
            placeholder={t('filters.anyone')}
            data={personOptions}
            value={userId}
            onChange={setUserId}
            searchable
            clearable
            nothingFoundMessage={t('filters.nobody')}
          />
          <Autocomplete
            label={t('filters.action')}
            placeholder="org."
            description={t('filters.actionHint')}
            data={ACTION_PREFIXES}
            value={action}
            onChange={setAction}
          />
          <DateField label={t('filters.from')} value={from} onChange={setFrom} />
          <DateField label={t('filters.to')} value={to} min={from} onChange={setTo} />
        </SimpleGrid>
        {filtered && (
          <Group justify="flex-end" mt="sm">
            <Button
              variant="subtle"
              size="xs"
              leftSection={<IconFilterOff size={14} aria-hidden />}
              onClick={() => {
                setUserId(null);
                setAction('');
                setFrom('');
                setTo('');
              }}
            >
              {t('filters.reset')}
            </Button>
          </Group>
        )}
      </Paper>
      <DataTable
        error={log.error}
        loading={log.isPending}
        empty={
          <EmptyState
            icon={<IconTimeline size={26} aria-hidden />}
            title={t('empty')}
            text={filtered ? t('emptyFiltered') : undefined}
          />
        }
        dimmed={log.isPlaceholderData}
        minWidth={760}
        table={{ striped: true }}
        testId="audit-table"
        rows={items}
        rowKey={(entry) => entry.id}
        rowProps={() => ({ 'data-testid': 'audit-row' })}
        more={log}
        columns={[
          {
            key: 'at',
            header: t('columns.at'),
            td: { style: { whiteSpace: 'nowrap' } },
            cell: (entry) => formatDateTime(entry.at, i18n.language),
          },
          {
            key: 'actor',
            header: t('columns.actor'),
            cell: (entry) => (
              <>
                <Text size="sm" fw={500}>
                  {entry.actorName ?? t('system')}
                </Text>
                {entry.actorEmail && (
                  <Text size="xs" c="dimmed">
                    {entry.actorEmail}
                  </Text>
                )}
              </>
            ),
          },
          {
            key: 'action',
            header: t('columns.action'),
            cell: (entry) => (
              <>
                <Text size="sm">{t(`actions.${entry.action}`, { defaultValue: entry.action })}</Text>
                <Code fz="xs">{entry.action}</Code>
              </>
            ),
          },
          {
            key: 'target',
            header: t('columns.target'),
            cell: (entry) => (
              <>
                {entry.targetType && (
                  <Text size="sm">
                    {t(`targets.${entry.targetType}`, { defaultValue: entry.targetType })}
                    {entry.targetType === 'org' && entry.targetId && orgsById.get(entry.targetId)
                      ? `: ${orgsById.get(entry.targetId)?.name}`
                      : ''}
                  </Text>
                )}
                {detailsText(entry) && (
                  <Text size="xs" c="dimmed" maw={320} lineClamp={2}>
                    {detailsText(entry)}
                  </Text>
                )}
              </>
            ),
          },
          {
            key: 'org',
            header: t('columns.org'),
            cell: (entry) => (
              <Text size="sm">{entry.orgId ? (orgsById.get(entry.orgId)?.name ?? '—') : '—'}</Text>
            ),
          },
        ]}
      />
    </>
  );
}
