import { Anchor, Button, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { type DataColumn, DataTable } from './DataTable.tsx';
import { EmptyState } from './EmptyState.tsx';
import { PageHeader } from './PageHeader.tsx';

/**
 * A page listing titled records in a table: header with a "new" button, the load error, an
 * empty state, and one row per record whose first cell links the title (description below).
 * `columns` are the columns after the title.
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
  columns: DataColumn<T>[];
  rowTestId: string;
  hrefOf: (item: T) => string;
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
      <DataTable
        error={error}
        empty={<EmptyState icon={empty.icon} title={empty.title} text={empty.text} />}
        isEmpty={isSuccess && items.length === 0}
        minWidth={minWidth}
        table={{ highlightOnHover: true }}
        rows={items}
        rowKey={(item) => item.id}
        rowProps={() => ({ 'data-testid': rowTestId })}
        columns={[
          {
            key: 'title',
            header: titleColumn,
            cell: (item) => (
              <>
                <Anchor component={Link} to={hrefOf(item)} fw={600}>
                  {item.title}
                </Anchor>
                {item.description && (
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {item.description}
                  </Text>
                )}
              </>
            ),
          },
          ...columns,
        ]}
      />
    </>
  );
}
