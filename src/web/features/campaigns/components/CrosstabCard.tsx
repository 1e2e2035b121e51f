import {
  Button,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconFileSpreadsheet, IconFileTypeCsv } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { CROSSTAB_DIMENSIONS } from '../../../../shared/campaigns.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { type Stats, type StatsFilters, useCrosstab, useExportCampaign } from '../api.ts';
import { formatNumber, formatShare } from './format.ts';

/** Calls counted by two dimensions (region × outcome, question × region …), with totals. */
export function CrosstabCard({
  campaignId,
  filters,
  questions,
  rows,
  columns,
  percent,
  onChange,
}: {
  campaignId: string;
  filters: StatsFilters;
  /** Questions that can be a dimension (not free text). */
  questions: Stats['byQuestion'];
  rows: string;
  columns: string;
  /** Cells as shares of their row or column; null: counts. */
  percent: 'row' | 'column' | null;
  /** Changes the view (kept in the page's URL). */
  onChange: (patch: { rows?: string; columns?: string; percent?: string | null }) => void;
}) {
  const { t, i18n } = useTranslation('campaigns');
  const crosstab = useCrosstab(campaignId, rows, columns, filters);
  const exporter = useExportCampaign(campaignId);
  const n = (v: number) => formatNumber(v, i18n.language);
  const dims = [
    {
      group: t('crosstab.general'),
      items: CROSSTAB_DIMENSIONS.map((d) => ({ value: d, label: t(`crosstab.dims.${d}`) })),
    },
    ...(questions.length
      ? [
          {
            group: t('crosstab.questions'),
            items: questions.map((q) => ({ value: `question:${q.questionId}`, label: q.text })),
          },
        ]
      : []),
  ];
  const exportCrosstab = (format: 'csv' | 'xlsx') =>
    exporter.mutate({ ...filters, format, rows, columns, ...(percent ? { percent } : {}) });
  const x = crosstab.data;
  // A share of an empty row or column is no figure: "–".
  const value = (i: number, j: number) =>
    percent && x
      ? (percent === 'row' ? x.rowTotals[i] : x.columnTotals[j])
        ? formatShare((percent === 'row' ? x.rowShares : x.columnShares)[i]?.[j] ?? 0, i18n.language)
        : '–'
      : n(x?.cells[i]?.[j] ?? 0);

  return (
    <Paper withBorder radius="md" p="md" data-testid="crosstab" className="chart-card">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <Stack gap={0}>
            <Title order={2} fz="md">
              {t('crosstab.title')}
            </Title>
            <Text size="xs" c="dimmed">
              {t('crosstab.hint')}
            </Text>
          </Stack>
          <Group gap="sm" className="no-print">
            <Button
              size="xs"
              variant="default"
              leftSection={<IconFileTypeCsv size={16} aria-hidden />}
              onClick={() => exportCrosstab('csv')}
              loading={exporter.isPending && exporter.variables?.format === 'csv'}
              data-testid="export-crosstab-csv"
            >
              {t('dashboard.exportCsv')}
            </Button>
            <Button
              size="xs"
              variant="default"
              leftSection={<IconFileSpreadsheet size={16} aria-hidden />}
              onClick={() => exportCrosstab('xlsx')}
              loading={exporter.isPending && exporter.variables?.format === 'xlsx'}
              data-testid="export-crosstab-xlsx"
            >
              {t('dashboard.exportXlsx')}
            </Button>
          </Group>
        </Group>
        <Group gap="md" align="flex-end" className="crosstab-pickers">
          <Select
            label={t('crosstab.rows')}
            data={dims}
            value={rows}
            onChange={(v) => v && onChange({ rows: v })}
            allowDeselect={false}
            w={240}
            maw="100%"
            data-testid="crosstab-rows"
          />
          <Select
            label={t('crosstab.columns')}
            data={dims}
            value={columns}
            onChange={(v) => v && onChange({ columns: v })}
            allowDeselect={false}
            w={240}
            maw="100%"
            data-testid="crosstab-columns"
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="crosstab-show">
              {t('crosstab.show')}
            </Text>
            <SegmentedControl
              aria-labelledby="crosstab-show"
              size="sm"
              value={percent ?? 'count'}
              onChange={(v) => onChange({ percent: v === 'count' ? null : v })}
              data={[
                { value: 'count', label: t('crosstab.counts') },
                { value: 'row', label: t('crosstab.rowPercent') },
                { value: 'column', label: t('crosstab.columnPercent') },
              ]}
              data-testid="crosstab-percent"
            />
          </Stack>
          {crosstab.isFetching && <Loader size="sm" aria-label={t('common:states.loading')} />}
        </Group>
        <ErrorAlert error={crosstab.error ?? exporter.error} />
        {percent && (
          <Text size="xs" c="dimmed">
            {t(percent === 'row' ? 'crosstab.rowPercentHint' : 'crosstab.columnPercentHint')}
          </Text>
        )}
        {x &&
          (x.rows.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('dashboard.noData')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={Math.min(1200, 200 + x.columns.length * 90)}>
              <Table
                withTableBorder
                withColumnBorders
                striped
                verticalSpacing={4}
                fz="sm"
                data-testid="crosstab-table"
              >
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th />
                    {x.columns.map((c) => (
                      <Table.Th key={c.key} ta="right">
                        {c.label}
                      </Table.Th>
                    ))}
                    <Table.Th ta="right">{t('crosstab.total')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {x.rows.map((r, i) => (
                    <Table.Tr key={r.key}>
                      <Table.Th>{r.label}</Table.Th>
                      {x.columns.map((c, j) => (
                        <Table.Td key={c.key} ta="right">
                          {value(i, j)}
                        </Table.Td>
                      ))}
                      <Table.Td ta="right" fw={700}>
                        {n(x.rowTotals[i] ?? 0)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
                <Table.Tfoot>
                  <Table.Tr>
                    <Table.Th>{t('crosstab.total')}</Table.Th>
                    {x.columns.map((c, j) => (
                      <Table.Th key={c.key} ta="right">
                        {n(x.columnTotals[j] ?? 0)}
                      </Table.Th>
                    ))}
                    <Table.Th ta="right">{n(x.total)}</Table.Th>
                  </Table.Tr>
                </Table.Tfoot>
              </Table>
            </Table.ScrollContainer>
          ))}
      </Stack>
    </Paper>
  );
}
