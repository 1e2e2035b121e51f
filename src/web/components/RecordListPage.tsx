import { Anchor, Button, Paper, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { EmptyState } from './EmptyState.tsx';
import { ErrorAlert } from './ErrorAlert.tsx';
import { PageHeader } from './PageHeader.tsx';

interface Column {
  label: string;
  /** Right-aligned (counts). */
  right?: boolean;
}

/**
 * A page listing titled records in a table: header with a "new" button, the load error, an
 * empty state, and one row per record whose first cell links the title (description below).
 * `columns` and `cells` are the columns after the title.
 */
export function RecordListPage<T extends { id: string; title: string; description: string | null }>({
  title,
  description,
  newButton,
  error,
  isSuccess,
  items,
  empty,
  minWidth,
  titleColumn,
  columns,
  rowTestId,
  hrefOf,
  cells,
}: {
  title: string;
  description: string;
  newButton: { label: string; to: string; testId: string };
  error: unknown;
  isSuccess: boolean;
  items: T[];
  empty: { icon: ReactNode; title: string; text: string };
  minWidth: number;
  titleColumn: string;
  columns: Column[];
  rowTestId: string;
  hrefOf: (item: T) => string;
  cells: (item: T) => ReactNode;
}) {
  return (
    <>
      <PageHeader
        title={title}
        description={description}
        actions={
          <Button
            component={Link}
            to={newButton.to}
            leftSection={<IconPlus size={18} aria-hidden />}
            data-testid={newButton.testId}
          >
            {newButton.label}
          </Button>
        }
      />
      <ErrorAlert error={error} />
      {isSuccess && items.length === 0 ? (
        <EmptyState icon={empty.icon} title={empty.title} text={empty.text} />
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={minWidth}>
            <Table highlightOnHover verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{titleColumn}</Table.Th>
                  {columns.map((c) => (
                    <Table.Th key={c.label} ta={c.right ? 'right' : undefined}>
                      {c.label}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <Table.Tr key={item.id} data-testid={rowTestId}>
                    <Table.Td>
                      <Anchor component={Link} to={hrefOf(item)} fw={600}>
                        {item.title}
                      </Anchor>
                      {item.description && (
                        <Text size="xs" c="dimmed" lineClamp={1}>
                          {item.description}
                        </Text>
                      )}
                    </Table.Td>
                    {cells(item)}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </>
  );
}
