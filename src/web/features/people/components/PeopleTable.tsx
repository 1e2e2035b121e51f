import { Anchor, Checkbox, Group, Paper, Stack, Table, Text } from '@mantine/core';
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDate } from '../../../lib/format.ts';
import type { PersonRow, Tag } from '../api.ts';
import { RowTags, StatusBadge } from './PeopleBadges.tsx';
import { COLUMNS, type Column } from './people-columns.ts';

/** What the table and the phone list share: the rows, the selection and opening a person. */
export interface PeopleRowsProps {
  rows: PersonRow[];
  selected: ReadonlySet<string>;
  onToggle: (id: string, on: boolean) => void;
  onSelectAll: (on: boolean) => void;
  onOpen: (row: PersonRow) => void;
  tagsById: ReadonlyMap<string, Tag>;
}

const place = (row: PersonRow) => [row.postalCode, row.city].filter(Boolean).join(' ') || '—';

/** The people as a table with the chosen columns (wide screens). */
export function PeopleTable({
  rows,
  selected,
  onToggle,
  onSelectAll,
  onOpen,
  tagsById,
  columns,
}: PeopleRowsProps & { columns: Column[] }) {
  const { t, i18n } = useTranslation('people');
  const shown = (column: Column) => column === 'name' || columns.includes(column);
  const allSelected = rows.length > 0 && rows.every((row) => selected.has(row.id));
  const someSelected = rows.some((row) => selected.has(row.id));
  const onRowKey = (event: KeyboardEvent, row: PersonRow) => {
    if (event.key === 'Enter' && event.target === event.currentTarget) onOpen(row);
  };
  return (
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
                  onChange={(event) => onSelectAll(event.currentTarget.checked)}
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
                onClick={() => onOpen(row)}
                onKeyDown={(event) => onRowKey(event, row)}
                style={{ cursor: 'pointer' }}
                bg={selected.has(row.id) ? 'var(--mantine-color-blue-light)' : undefined}
              >
                <Table.Td onClick={(event) => event.stopPropagation()}>
                  <Checkbox
                    aria-label={t('list.selectPerson', { name: `${row.firstName} ${row.lastName}` })}
                    checked={selected.has(row.id)}
                    onChange={(event) => onToggle(row.id, event.currentTarget.checked)}
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
                {shown('place') && <Table.Td style={{ whiteSpace: 'nowrap' }}>{place(row)}</Table.Td>}
                {shown('email') && <Table.Td>{row.email ?? '—'}</Table.Td>}
                {shown('phone') && <Table.Td style={{ whiteSpace: 'nowrap' }}>{row.phone ?? '—'}</Table.Td>}
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
  );
}

/** The people as cards with big touch targets (phones). */
export function PeopleCardList({ rows, selected, onToggle, onSelectAll, onOpen, tagsById }: PeopleRowsProps) {
  const { t } = useTranslation('people');
  const allSelected = rows.length > 0 && rows.every((row) => selected.has(row.id));
  const someSelected = rows.some((row) => selected.has(row.id));
  return (
    <Stack gap="xs" data-testid="people-list">
      <Checkbox
        label={t('list.selectAll', { count: rows.length })}
        checked={allSelected}
        indeterminate={someSelected && !allSelected}
        onChange={(event) => onSelectAll(event.currentTarget.checked)}
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
          onClick={() => onOpen(row)}
        >
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <Checkbox
              mt={4}
              size="md"
              aria-label={t('list.selectPerson', { name: `${row.firstName} ${row.lastName}` })}
              checked={selected.has(row.id)}
              onClick={(event) => event.stopPropagation()}
              onChange={(event) => onToggle(row.id, event.currentTarget.checked)}
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
                {place(row)}
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
  );
}
