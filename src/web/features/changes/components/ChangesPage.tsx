import { Anchor, Badge, Button, Group, Paper, Select, SimpleGrid, Text, UnstyledButton } from '@mantine/core';
import { IconFilterOff, IconHistory } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { CHANGE_KINDS } from '../../../../shared/changes.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { DataTable } from '../../../components/DataTable.tsx';
import { DateField } from '../../../components/DateFields.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { type ChangeItem, type ChangeKind, useChanges } from '../api.ts';

const KIND_COLOR: Record<ChangeKind, string> = {
  created: 'green',
  updated: 'blue',
  departed: 'red',
  moved_in: 'teal',
  moved_out: 'orange',
  moved_within: 'grape',
};

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/**
 * What happened to the people of a unit (and its sub-units) in a time range: the page the
 * data-change mails link to (`/orgs/:id/changes?from=…&to=…`). Names only where the API gives
 * them (people one may read); people who moved away appear without them.
 */
export function ChangesPage() {
  const { t, i18n } = useTranslation('changes');
  const { id } = useParams();
  const { orgsById, can } = useCurrentOrg();
  const [params, setParams] = useSearchParams();
  const org = id ? orgsById.get(id) : undefined;
  const allowed = Boolean(org) && can('people:read', id);
  const from = params.get('from') || daysAgo(30);
  const to = params.get('to') || today();
  const kindParam = params.get('kind');
  const kind = (CHANGE_KINDS as readonly string[]).includes(kindParam ?? '')
    ? (kindParam as ChangeKind)
    : undefined;
  const filter = useMemo(() => ({ from, to, kind }), [from, to, kind]);
  const changes = useChanges(id, filter, allowed);

  const set = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  if (!allowed) return <Forbidden />;
  const pages = changes.data?.pages ?? [];
  const items = pages.flatMap((p) => p.items);
  const counts = pages[0]?.counts;
  const n = (v: number) => v.toLocaleString(i18n.language);
  const dateOnly = (v: string) => v.slice(0, 10);

  return (
    <>
      <PageHeader title={t('title')} description={t('description', { org: org?.name ?? '' })} />
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="xs" mb="md" data-testid="change-counts">
        {CHANGE_KINDS.map((k) => (
          <UnstyledButton
            key={k}
            onClick={() => set('kind', kind === k ? null : k)}
            aria-pressed={kind === k}
            data-testid={`count-${k}`}
          >
            <Paper
              withBorder
              radius="md"
              p="xs"
              bg={kind === k ? 'var(--mantine-color-blue-light)' : undefined}
            >
              <Text size="xs" c="dimmed" fw={600}>
                {t(`kinds.${k}`)}
              </Text>
              <Text fz={20} fw={700}>
                {counts ? n(counts[k]) : '–'}
              </Text>
            </Paper>
          </UnstyledButton>
        ))}
      </SimpleGrid>
      <Paper withBorder radius="md" p="md" mb="md">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={t('filters.kind')}
            placeholder={t('filters.allKinds')}
            data={CHANGE_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
            value={kind ?? null}
            onChange={(v) => set('kind', v)}
            clearable
          />
          <DateField label={t('filters.from')} value={dateOnly(from)} onChange={(v) => set('from', v)} />
          <DateField
            label={t('filters.to')}
            value={dateOnly(to)}
            min={dateOnly(from)}
            onChange={(v) => set('to', v)}
          />
        </SimpleGrid>
        {(kind || params.get('from') || params.get('to')) && (
          <Group justify="flex-end" mt="sm">
            <Button
              variant="subtle"
              size="xs"
              leftSection={<IconFilterOff size={14} aria-hidden />}
              onClick={() => setParams({}, { replace: true })}
            >
              {t('filters.reset')}
            </Button>
          </Group>
        )}
      </Paper>
      <DataTable
        error={changes.error}
        loading={changes.isPending}
        empty={
          <EmptyState icon={<IconHistory size={26} aria-hidden />} title={t('empty')} text={t('emptyHint')} />
        }
        dimmed={changes.isPlaceholderData}
        minWidth={640}
        table={{ striped: true }}
        testId="changes-table"
        rows={items}
        rowKey={(item) => `${item.id}-${item.kind}`}
        rowProps={() => ({ 'data-testid': 'change-row' })}
        more={changes}
        columns={[
          {
            key: 'at',
            header: t('columns.at'),
            td: { style: { whiteSpace: 'nowrap' } },
            cell: (item) => formatDateTime(item.at, i18n.language),
          },
          {
            key: 'kind',
            header: t('columns.kind'),
            cell: (item) => (
              <Badge variant="light" color={KIND_COLOR[item.kind]} size="sm">
                {t(`kinds.${item.kind}`)}
              </Badge>
            ),
          },
          {
            key: 'person',
            header: t('columns.person'),
            cell: (item) =>
              item.person ? (
                <Anchor component={Link} to={`/people/${item.person.id}`} size="sm">
                  {item.person.name || t('unnamed')}
                </Anchor>
              ) : (
                <Text size="sm" c="dimmed">
                  {t('hiddenPerson')}
                </Text>
              ),
          },
          {
            key: 'details',
            header: t('columns.details'),
            cell: (item) => <Text size="sm">{details(item, t)}</Text>,
          },
          {
            key: 'source',
            header: t('columns.source'),
            cell: (item) => (
              <Text size="sm" c="dimmed">
                {t(`sources.${item.source}`, { defaultValue: item.source })}
              </Text>
            ),
          },
        ]}
      />
    </>
  );
}

function details(item: ChangeItem, t: (key: string, opts?: Record<string, unknown>) => string): string {
  const other = item.otherOrg?.name;
  if (item.kind === 'moved_out') return other ? t('movedTo', { org: other }) : t('movedElsewhere');
  if (item.kind === 'moved_in') return other ? t('movedFrom', { org: other }) : t('movedFromElsewhere');
  if (item.kind === 'moved_within') return other ? t('movedFrom', { org: other }) : '';
  return item.fields.map((f) => t(`people:fields.${f}`, { defaultValue: f })).join(', ');
}
