import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  Popover,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue, useLocalStorage, useMediaQuery } from '@mantine/hooks';
import {
  IconAddressBook,
  IconColumns,
  IconDownload,
  IconFileImport,
  IconListCheck,
  IconSearch,
  IconSettings,
  IconTag,
  IconTagOff,
  IconUserPlus,
  IconX,
} from '@tabler/icons-react';
import { type KeyboardEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { MEMBERSHIP_STATUSES, PEOPLE_SORTS } from '../../../../shared/people.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { formatDate } from '../../../lib/format.ts';
import { AddToListModal } from '../../queries/components/AddToListModal.tsx';
import {
  type MembershipStatus,
  type PeopleFilter,
  type PeopleSort,
  type PersonRow,
  type Tag,
  usePeople,
  useTags,
} from '../api.ts';
import { STATUS_COLORS } from '../format.ts';
import { BulkTagModal } from './BulkTagModal.tsx';
import { ExportModal } from './ExportModal.tsx';
import { TagBadge, tagSelectData } from './inputs.tsx';
import { PersonCreateModal } from './PersonCreateModal.tsx';

const COLUMNS = ['name', 'status', 'place', 'email', 'phone', 'memberNumber', 'tags', 'created'] as const;
type Column = (typeof COLUMNS)[number];
const DEFAULT_COLUMNS: Column[] = ['name', 'status', 'place', 'email', 'phone', 'tags'];

const isStatus = (value: string | null): value is MembershipStatus =>
  (MEMBERSHIP_STATUSES as readonly (string | null)[]).includes(value);
const isSort = (value: string | null): value is PeopleSort =>
  (PEOPLE_SORTS as readonly (string | null)[]).includes(value);

export function PeopleListPage() {
  const { t, i18n } = useTranslation('people');
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
  const shown = (column: Column) => column === 'name' || columns.includes(column);

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

  const allSelected = rows.length > 0 && rows.every((row) => selected.has(row.id));
  const someSelected = rows.some((row) => selected.has(row.id));
  const toggle = (id: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const filtered = Boolean(filter.search || filter.tag || filter.status);
  const open = (row: PersonRow) => navigate(`/people/${row.id}`);
  const onRowKey = (event: KeyboardEvent, row: PersonRow) => {
    if (event.key === 'Enter' && event.target === event.currentTarget) open(row);
  };

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
        <Group gap="sm" align="flex-end" wrap="wrap">
          <TextInput
            style={{ flex: '1 1 260px' }}
            label={t('list.search')}
            placeholder={t('list.searchPlaceholder')}
            leftSection={<IconSearch size={16} aria-hidden />}
            value={searchText}
            onChange={(event) => setSearchText(event.currentTarget.value)}
            type="search"
            autoComplete="off"
            data-testid="people-search"
            rightSection={
              people.isFetching && !people.isFetchingNextPage ? (
                <Text size="xs" c="dimmed" aria-hidden>
                  …
                </Text>
              ) : null
            }
          />
          <Select
            w={{ base: 'calc(50% - 6px)', xs: 170 }}
            label={t('list.status')}
            placeholder={t('list.allStatuses')}
            clearable
            value={filter.status ?? null}
            onChange={(value) => setParam('status', value)}
            data={MEMBERSHIP_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))}
            data-testid="people-status-filter"
          />
          <Select
            w={{ base: 'calc(50% - 6px)', xs: 190 }}
            label={t('list.tag')}
            placeholder={t('list.allTags')}
            clearable
            searchable
            value={filter.tag ?? null}
            onChange={(value) => setParam('tag', value)}
            data={tagSelectData(tags.data?.items ?? [], t('tags.noGroup'))}
            data-testid="people-tag-filter"
          />
          <Select
            w={{ base: 'calc(50% - 6px)', xs: 190 }}
            label={t('list.sort')}
            value={sort}
            allowDeselect={false}
            onChange={(value) => setParam('sort', value === 'name' ? null : value)}
            data={PEOPLE_SORTS.map((s) => ({ value: s, label: t(`sorts.${s}`) }))}
            data-testid="people-sort"
          />
          {!compact && (
            <ColumnChooser
              columns={columns}
              onChange={(next) => setColumns(COLUMNS.filter((c) => c === 'name' || next.includes(c)))}
            />
          )}
        </Group>

        {someSelected && (
          <Paper
            withBorder
            radius="md"
            p="xs"
            bg="blue.0"
            data-testid="bulk-bar"
            role="region"
            aria-label={t('bulk.label')}
            style={{ position: 'sticky', top: 64, zIndex: 5 }}
          >
            <Group gap="xs" justify="space-between">
              <Text size="sm" fw={600} px="xs" aria-live="polite">
                {t('bulk.selected', { count: selected.size })}
              </Text>
              <Group gap="xs">
                {mayWrite && (
                  <>
                    <Button
                      size="xs"
                      variant="white"
                      leftSection={<IconTag size={16} aria-hidden />}
                      onClick={() => setBulk('add')}
                      data-testid="bulk-tag"
                    >
                      {t('bulk.tag')}
                    </Button>
                    <Button
                      size="xs"
                      variant="white"
                      leftSection={<IconTagOff size={16} aria-hidden />}
                      onClick={() => setBulk('remove')}
                      data-testid="bulk-untag"
                    >
                      {t('bulk.untag')}
                    </Button>
                    <Button
                      size="xs"
                      variant="white"
                      leftSection={<IconListCheck size={16} aria-hidden />}
                      onClick={() => setAddingToList(true)}
                      data-testid="bulk-add-to-list"
                    >
                      {t('bulk.addToList')}
                    </Button>
                  </>
                )}
                {mayExport && (
                  <Button
                    size="xs"
                    variant="white"
                    leftSection={<IconDownload size={16} aria-hidden />}
                    onClick={() => setExporting('selected')}
                    data-testid="bulk-export"
                  >
                    {t('bulk.export')}
                  </Button>
                )}
                <Button
                  size="xs"
                  variant="subtle"
                  leftSection={<IconX size={16} aria-hidden />}
                  onClick={() => setSelected(new Set())}
                >
                  {t('bulk.clear')}
                </Button>
              </Group>
            </Group>
          </Paper>
        )}

        <ErrorAlert error={people.error} />
        {people.isPending ? (
          <Skeleton h={320} radius="md" />
        ) : rows.length === 0 ? (
          filtered ? (
            <EmptyState
              icon={<IconSearch size={26} aria-hidden />}
              title={t('list.noMatches')}
              text={t('list.noMatchesHint')}
            />
          ) : (
            <EmptyState
              icon={<IconAddressBook size={26} aria-hidden />}
              title={t('list.empty')}
              text={mayWrite ? t('list.emptyHint') : undefined}
              action={
                mayWrite && (
                  <Group mt="sm" gap="sm" justify="center">
                    <Button
                      leftSection={<IconUserPlus size={18} aria-hidden />}
                      onClick={() => setCreateOpen(true)}
                    >
                      {t('create.open')}
                    </Button>
                    {mayImport && (
                      <Button
                        variant="light"
                        component={Link}
                        to="/imports"
                        leftSection={<IconFileImport size={18} aria-hidden />}
                      >
                        {t('list.import')}
                      </Button>
                    )}
                  </Group>
                )
              }
            />
          )
        ) : compact ? (
          <Stack gap="xs" data-testid="people-list">
            <Checkbox
              label={t('list.selectAll', { count: rows.length })}
              checked={allSelected}
              indeterminate={someSelected && !allSelected}
              onChange={(event) =>
                setSelected(event.currentTarget.checked ? new Set(rows.map((row) => row.id)) : new Set())
              }
              data-testid="select-all"
              px="xs"
            />
            {rows.map((row) => (
              <Paper
                key={row.id}
                withBorder
                radius="md"
                p="sm"
                data-testid="person-row"
                style={{ cursor: 'pointer' }}
                onClick={() => open(row)}
              >
                <Group gap="sm" wrap="nowrap" align="flex-start">
                  <Checkbox
                    mt={4}
                    size="md"
                    aria-label={t('list.selectPerson', { name: `${row.firstName} ${row.lastName}` })}
                    checked={selected.has(row.id)}
                    onClick={(event) => event.stopPropagation()}
                    onChange={(event) => toggle(row.id, event.currentTarget.checked)}
                  />
                  <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                    <Group justify="space-between" gap="xs" wrap="nowrap">
                      <Anchor
                        component={Link}
                        to={`/people/${row.id}`}
                        fw={600}
                        onClick={(event) => event.stopPropagation()}
                        truncate
                      >
                        {row.lastName}, {row.firstName}
                      </Anchor>
                      <StatusBadge status={row.membershipStatus} />
                    </Group>
                    <Text size="sm" c="dimmed" truncate>
                      {[row.postalCode, row.city].filter(Boolean).join(' ') || '—'}
                      {row.phone ? ` · ${row.phone}` : ''}
                    </Text>
                    {row.email && (
                      <Text size="sm" c="dimmed" truncate>
                        {row.email}
                      </Text>
                    )}
                    <RowTags ids={row.tagIds} tagsById={tagsById} />
                  </Stack>
                </Group>
              </Paper>
            ))}
          </Stack>
        ) : (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={900}>
              <Table verticalSpacing="sm" highlightOnHover data-testid="people-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={40}>
                      <Checkbox
                        aria-label={t('list.selectAll', { count: rows.length })}
                        checked={allSelected}
                        indeterminate={someSelected && !allSelected}
                        onChange={(event) =>
                          setSelected(
                            event.currentTarget.checked ? new Set(rows.map((row) => row.id)) : new Set(),
                          )
                        }
                        data-testid="select-all"
                      />
                    </Table.Th>
                    {COLUMNS.filter(shown).map((column) => (
                      <Table.Th key={column}>{t(`columns.${column}`)}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((row) => (
                    <Table.Tr
                      key={row.id}
                      data-testid="person-row"
                      onClick={() => open(row)}
                      onKeyDown={(event) => onRowKey(event, row)}
                      style={{ cursor: 'pointer' }}
                      bg={selected.has(row.id) ? 'var(--mantine-color-blue-light)' : undefined}
                    >
                      <Table.Td onClick={(event) => event.stopPropagation()}>
                        <Checkbox
                          aria-label={t('list.selectPerson', { name: `${row.firstName} ${row.lastName}` })}
                          checked={selected.has(row.id)}
                          onChange={(event) => toggle(row.id, event.currentTarget.checked)}
                        />
                      </Table.Td>
                      <Table.Td fw={500} style={{ whiteSpace: 'nowrap' }}>
                        <Anchor
                          component={Link}
                          to={`/people/${row.id}`}
                          c="inherit"
                          onClick={(event) => event.stopPropagation()}
                        >
                          {row.lastName}
                          {row.firstName && row.lastName ? ', ' : ''}
                          {row.firstName}
                        </Anchor>
                      </Table.Td>
                      {shown('status') && (
                        <Table.Td>
                          <StatusBadge status={row.membershipStatus} />
                        </Table.Td>
                      )}
                      {shown('place') && (
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>
                          {[row.postalCode, row.city].filter(Boolean).join(' ') || '—'}
                        </Table.Td>
                      )}
                      {shown('email') && <Table.Td>{row.email ?? '—'}</Table.Td>}
                      {shown('phone') && (
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{row.phone ?? '—'}</Table.Td>
                      )}
                      {shown('memberNumber') && <Table.Td>{row.memberNumber ?? '—'}</Table.Td>}
                      {shown('tags') && (
                        <Table.Td>
                          <RowTags ids={row.tagIds} tagsById={tagsById} />
                        </Table.Td>
                      )}
                      {shown('created') && (
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>
                          {formatDate(row.createdAt, i18n.language)}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
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

export function StatusBadge({ status }: { status: MembershipStatus }) {
  const { t } = useTranslation('people');
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" miw="max-content" data-testid="status-badge">
      {t(`statuses.${status}`)}
    </Badge>
  );
}

function RowTags({ ids, tagsById }: { ids: string[]; tagsById: ReadonlyMap<string, Tag> }) {
  const known = ids.map((id) => tagsById.get(id)).filter((tag): tag is Tag => Boolean(tag));
  const unknown = ids.length - known.length;
  if (ids.length === 0) return null;
  return (
    <Group gap={4}>
      {known.map((tag) => (
        <TagBadge key={tag.id} tag={tag} />
      ))}
      {unknown > 0 && (
        <Badge color="gray" variant="outline" tt="none">
          +{unknown}
        </Badge>
      )}
    </Group>
  );
}

function ColumnChooser({ columns, onChange }: { columns: Column[]; onChange: (columns: Column[]) => void }) {
  const { t } = useTranslation('people');
  return (
    <Popover position="bottom-end" shadow="md" withinPortal>
      <Popover.Target>
        <Button
          variant="default"
          leftSection={<IconColumns size={18} aria-hidden />}
          data-testid="column-chooser"
        >
          {t('list.columns')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Checkbox.Group
          label={t('list.columnsLabel')}
          value={columns}
          onChange={(value) => onChange(value as Column[])}
        >
          <Stack gap={8} mt="xs">
            {COLUMNS.map((column) => (
              <Checkbox
                key={column}
                value={column}
                label={t(`columns.${column}`)}
                disabled={column === 'name'}
                checked={column === 'name' ? true : undefined}
              />
            ))}
          </Stack>
        </Checkbox.Group>
      </Popover.Dropdown>
    </Popover>
  );
}
