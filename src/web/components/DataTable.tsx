import {
  Button,
  Center,
  Paper,
  Skeleton,
  Table,
  type TableProps,
  type TableTdProps,
  type TableThProps,
  type TableTrProps,
} from '@mantine/core';
import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './ErrorAlert.tsx';

/** One column: its header and how a row fills its cell. */
export interface DataColumn<T> {
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Props of the header cell (alignment, width). */
  th?: TableThProps;
  /** Props of each body cell (alignment, weight, style). */
  td?: TableTdProps | ((row: T) => TableTdProps);
  /** Left out (a column only some users or views have). */
  hidden?: boolean;
}

/** The slice of an infinite query that "load more" needs. */
export interface MorePages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/**
 * The list block of a page: the load error, a skeleton while loading, the empty state, and the
 * rows in a bordered, horizontally scrolling table, then "load more" while the server has more.
 */
export function DataTable<T>({
  columns,
  rows,
  rowKey,
  rowProps,
  loading = false,
  skeletonHeight = 240,
  error,
  empty,
  isEmpty = rows.length === 0,
  above,
  minWidth,
  table,
  testId,
  dimmed = false,
  more,
  moreLabel,
  framed = true,
}: {
  columns: DataColumn<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  /** Props of a body row (`data-testid`, `data-*`). */
  rowProps?: (row: T) => TableTrProps & Record<`data-${string}`, string | undefined>;
  loading?: boolean;
  skeletonHeight?: number;
  /** Shown above the block (nothing when null). */
  error?: unknown;
  /** Shown instead of the table when there is nothing to list; without it the empty table shows. */
  empty?: ReactNode;
  /** Defaults to "no rows"; a filtered view passes whether the unfiltered list is empty. */
  isEmpty?: boolean;
  /** Between the empty check and the table (a summary, a filter). */
  above?: ReactNode;
  minWidth: number;
  /** Props of the Mantine table (spacing, stripes, hover). */
  table?: TableProps;
  testId?: string;
  /** Faded while a new filter's rows are on their way (placeholder data). */
  dimmed?: boolean;
  more?: MorePages;
  /** The "load more" button's text, when a page words it its own way. */
  moreLabel?: ReactNode;
  /** In a bordered box of its own (default); false inside a card that already has one. */
  framed?: boolean;
}) {
  const { t } = useTranslation();
  const style: CSSProperties | undefined = dimmed ? { opacity: 0.6 } : undefined;
  const shown = columns.filter((c) => !c.hidden);
  const scroller = (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table verticalSpacing="sm" {...table} data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {shown.map((c) => (
              <Table.Th key={c.key} {...c.th}>
                {c.header}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={rowKey(row)} {...rowProps?.(row)}>
              {shown.map((c) => (
                <Table.Td key={c.key} {...(typeof c.td === 'function' ? c.td(row) : c.td)}>
                  {c.cell(row)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
  return (
    <>
      {error !== undefined && <ErrorAlert error={error} />}
      {loading ? (
        <Skeleton h={skeletonHeight} />
      ) : isEmpty && empty ? (
        empty
      ) : (
        <>
          {above}
          {framed ? (
            <Paper withBorder radius="md" style={style}>
              {scroller}
            </Paper>
          ) : (
            scroller
          )}
        </>
      )}
      {more?.hasNextPage && (
        <Center mt="md">
          <Button
            variant="default"
            loading={more.isFetchingNextPage}
            onClick={() => void more.fetchNextPage()}
          >
            {moreLabel ?? t('common:actions.loadMore')}
          </Button>
        </Center>
      )}
    </>
  );
}
