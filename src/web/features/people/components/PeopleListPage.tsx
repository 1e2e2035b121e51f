import { Button, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useDebouncedValue, useLocalStorage, useMediaQuery } from '@mantine/hooks';
import { IconDownload, IconSettings, IconUserPlus } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { MEMBERSHIP_STATUSES, PEOPLE_SORTS } from '../../../../shared/people.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { AddToListModal } from '../../queries/components/AddToListModal.tsx';
import {
  type MembershipStatus,
  type PeopleFilter,
  type PeopleSort,
  type PersonRow,
  usePeople,
  useTags,
} from '../api.ts';
import { BulkTagModal } from './BulkTagModal.tsx';
import { ExportModal } from './ExportModal.tsx';
import { PeopleBulkBar } from './PeopleBulkBar.tsx';
import { PeopleEmptyState } from './PeopleEmptyState.tsx';
import { PeopleCardList, PeopleTable } from './PeopleTable.tsx';
import { PeopleToolbar } from './PeopleToolbar.tsx';
import { PersonCreateModal } from './PersonCreateModal.tsx';
import { COLUMNS, type Column, DEFAULT_COLUMNS } from './people-columns.ts';

/** Kept for the files that import the badge from here; new code imports `PeopleBadges.tsx`. */
export { StatusBadge } from './PeopleBadges.tsx';

const isStatus = (value: string | null): value is MembershipStatus =>
  (MEMBERSHIP_STATUSES as readonly (string | null)[]).includes(value);
const isSort = (value: string | null): value is PeopleSort =>
  (PEOPLE_SORTS as readonly (string | null)[]).includes(value);

/**
 * The people of the current unit: toolbar (search, filters, sort, columns), bulk actions on the
 * selection, the table (phones: cards) and the modals they open. State lives here; the parts
 * are in this folder (PeopleToolbar, PeopleBulkBar, PeopleTable, PeopleEmptyState, ColumnChooser).
 */
export function PeopleListPage() {
  const { t } = useTranslation('people');
  const navigate = useNavigate();
  const { currentOrg, can } = useCurrentOrg();
  const mayRead = Boolean(currentOrg) && can('people:read');
  const mayWrite = mayRead && can('people:write');
  const mayExport = mayRead && can('people:export');
  const mayImport = mayRead && can('people:import');
  const compact = useMediaQuery('(max-width: 48em)');

  // Search, filters and sort live in the URL: back from a profile keeps them.
  const [params, setParams] = useSearchParams();
  const [searchText, setSearchText] = useState(params.get('q') ?? '');
  const [debouncedSearch] = useDebouncedValue(searchText.trim(), 250);
  const statusParam = params.get('status');
  const sortParam = params.get('sort');
  const filter: PeopleFilter = {
    search: params.get('q') || undefined,
    tag: params.get('tag') || undefined,
    status: isStatus(statusParam) ? statusParam : undefined,
  };
  const sort: PeopleSort = isSort(sortParam) ? sortParam : 'name';
  const setParam = (key: string, value: string | null | undefined) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the debounced text drives the URL
  useEffect(() => {
    if ((params.get('q') ?? '') !== debouncedSearch) setParam('q', debouncedSearch);
  }, [debouncedSearch]);

  const [columns, setColumns] = useLocalStorage<Column[]>({
    key: 'draht.people.columns',
    defaultValue: DEFAULT_COLUMNS,
    getInitialValueInEffect: false,
  });

  const people = usePeople(currentOrg?.id, filter, sort, mayRead);
  const tags = useTags(currentOrg?.id, mayRead);
  const tagsById = useMemo(() => new Map((tags.data?.items ?? []).map((tag) => [tag.id, tag])), [tags.data]);
  const rows = useMemo(() => people.data?.pages.flatMap((page) => page.items) ?? [], [people.data]);

  const [selected, setSelected] = useState<Set<string>>(new Set());
  const filterKey = JSON.stringify([currentOrg?.id, filter, sort]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new list starts without a selection
  useEffect(() => setSelected(new Set()), [filterKey]);
  const [createOpen, setCreateOpen] = useState(false);
  const [bulk, setBulk] = useState<'add' | 'remove' | null>(null);
  const [exporting, setExporting] = useState<'selected' | 'filter' | null>(null);
  const [addingToList, setAddingToList] = useState(false);

  if (!currentOrg) return <EmptyState title={t('common:noOrg.title')} text={t('common:noOrg.text')} />;
  if (!mayRead) return <Forbidden />;

  const someSelected = rows.some((row) => selected.has(row.id));
  const rowsProps = {
    rows,
    selected,
    tagsById,
    onToggle: (id: string, on: boolean) =>
      setSelected((prev) => {
        const next = new Set(prev);
        if (on) next.add(id);
        else next.delete(id);
        return next;
      }),
    onSelectAll: (on: boolean) => setSelected(on ? new Set(rows.map((row) => row.id)) : new Set()),
    onOpen: (row: PersonRow) => navigate(`/people/${row.id}`),
  };
  const filtered = Boolean(filter.search || filter.tag || filter.status);

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description', { org: currentOrg.name })}
        actions={
          <>
            <Button
              variant="default"
              component={Link}
              to="/people/settings"
              leftSection={<IconSettings size={18} aria-hidden />}
              data-testid="people-settings-link"
            >
              {t('settings.link')}
            </Button>
            {mayExport && (
              <Button
                variant="default"
                leftSection={<IconDownload size={18} aria-hidden />}
                onClick={() => setExporting('filter')}
                disabled={rows.length === 0}
                data-testid="export-open"
              >
                {t('export.open')}
              </Button>
            )}
            {mayWrite && (
              <Button
                leftSection={<IconUserPlus size={18} aria-hidden />}
                onClick={() => setCreateOpen(true)}
                data-testid="person-create-open"
              >
                {t('create.open')}
              </Button>
            )}
          </>
        }
      />

      <Stack gap="sm">
        <PeopleToolbar
          searchText={searchText}
          onSearchText={setSearchText}
          searching={people.isFetching && !people.isFetchingNextPage}
          filter={filter}
          sort={sort}
          onParam={setParam}
          tags={tags.data?.items ?? []}
          columns={compact ? undefined : columns}
          onColumns={(next) => setColumns(COLUMNS.filter((c) => c === 'name' || next.includes(c)))}
        />

        {someSelected && (
          <PeopleBulkBar
            count={selected.size}
            mayWrite={mayWrite}
            mayExport={mayExport}
            onTag={setBulk}
            onAddToList={() => setAddingToList(true)}
            onExport={() => setExporting('selected')}
            onClear={() => setSelected(new Set())}
          />
        )}

        <ErrorAlert error={people.error} />
        {people.isPending ? (
          <Skeleton h={320} radius="md" />
        ) : rows.length === 0 ? (
          <PeopleEmptyState
            filtered={filtered}
            mayWrite={mayWrite}
            mayImport={mayImport}
            onCreate={() => setCreateOpen(true)}
          />
        ) : compact ? (
          <PeopleCardList {...rowsProps} />
        ) : (
          <PeopleTable {...rowsProps} columns={columns} />
        )}

        {rows.length > 0 && (
          <Group justify="space-between">
            <Text size="sm" c="dimmed" data-testid="people-count">
              {people.hasNextPage
                ? t('list.shownMore', { count: rows.length })
                : t('list.shown', { count: rows.length })}
            </Text>
            {people.hasNextPage && (
              <Button
                variant="light"
                onClick={() => people.fetchNextPage()}
                loading={people.isFetchingNextPage}
                data-testid="people-load-more"
              >
                {t('common:actions.loadMore')}
              </Button>
            )}
          </Group>
        )}
      </Stack>

      {mayWrite && (
        <PersonCreateModal orgId={currentOrg.id} opened={createOpen} onClose={() => setCreateOpen(false)} />
      )}
      {mayWrite && (
        <BulkTagModal
          orgId={currentOrg.id}
          mode={bulk}
          personIds={[...selected]}
          tags={tags.data?.items ?? []}
          onClose={() => setBulk(null)}
          onDone={() => setBulk(null)}
        />
      )}
      {mayWrite && (
        <AddToListModal
          orgId={currentOrg.id}
          personIds={[...selected]}
          opened={addingToList}
          onClose={() => setAddingToList(false)}
          onDone={() => setAddingToList(false)}
        />
      )}
      {mayExport && (
        <ExportModal
          opened={exporting !== null}
          onClose={() => setExporting(null)}
          orgId={currentOrg.id}
          personIds={exporting === 'selected' ? [...selected] : undefined}
          filter={exporting === 'filter' ? filter : undefined}
          count={exporting === 'selected' ? selected.size : undefined}
        />
      )}
    </>
  );
}
