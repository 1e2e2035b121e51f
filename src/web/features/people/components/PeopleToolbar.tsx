import { Group, Select, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { MEMBERSHIP_STATUSES, PEOPLE_SORTS } from '../../../../shared/people.ts';
import type { PeopleFilter, PeopleSort, Tag } from '../api.ts';
import { ColumnChooser } from './ColumnChooser.tsx';
import { tagSelectData } from './inputs.tsx';
import type { Column } from './people-columns.ts';

/** Search, status and tag filters, sort and (on wide screens) the column chooser. */
export function PeopleToolbar({
  searchText,
  onSearchText,
  searching,
  filter,
  sort,
  onParam,
  tags,
  columns,
  onColumns,
}: {
  searchText: string;
  onSearchText: (text: string) => void;
  /** A new search is loading. */
  searching: boolean;
  filter: PeopleFilter;
  sort: PeopleSort;
  /** Sets (or with null/empty removes) one URL parameter: status, tag or sort. */
  onParam: (key: 'status' | 'tag' | 'sort', value: string | null) => void;
  tags: Tag[];
  /** The chosen columns, or undefined where no column chooser is shown (phones). */
  columns?: Column[];
  onColumns: (columns: Column[]) => void;
}) {
  const { t } = useTranslation('people');
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <TextInput
        style={{ flex: '1 1 260px' }}
        label={t('list.search')}
        placeholder={t('list.searchPlaceholder')}
        leftSection={<IconSearch size={16} aria-hidden />}
        value={searchText}
        onChange={(event) => onSearchText(event.currentTarget.value)}
        type="search"
        autoComplete="off"
        data-testid="people-search"
        rightSection={
          searching ? (
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
        onChange={(value) => onParam('status', value)}
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
        onChange={(value) => onParam('tag', value)}
        data={tagSelectData(tags, t('tags.noGroup'))}
        data-testid="people-tag-filter"
      />
      <Select
        w={{ base: 'calc(50% - 6px)', xs: 190 }}
        label={t('list.sort')}
        value={sort}
        allowDeselect={false}
        onChange={(value) => onParam('sort', value === 'name' ? null : value)}
        data={PEOPLE_SORTS.map((s) => ({ value: s, label: t(`sorts.${s}`) }))}
        data-testid="people-sort"
      />
      {columns && <ColumnChooser columns={columns} onChange={onColumns} />}
    </Group>
  );
}
