import {
  Alert,
  Button,
  Group,
  Modal,
  MultiSelect,
  Progress,
  SegmentedControl,
  Stack,
  Text,
} from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_EXPORT_COLUMNS, EXPORT_COLUMNS, type ExportColumn } from '../../../../shared/exports.ts';
import { notifySuccess } from '../../../components/notify.ts';
import { type PeopleFilter, useExportPeople } from '../api.ts';
import { FormError } from './FormError.tsx';

/** Export to CSV/XLSX: the selected people, or everyone the list filter finds. */
export function ExportModal({
  opened,
  onClose,
  orgId,
  personIds,
  filter,
  queryId,
  count,
}: {
  opened: boolean;
  onClose: () => void;
  orgId: string;
  personIds?: string[];
  filter?: PeopleFilter;
  /** Export the people of this saved list. */
  queryId?: string;
  /** Number of selected people; undefined for "everyone matching the filter". */
  count?: number;
}) {
  const { t } = useTranslation('people');
  const exporter = useExportPeople();
  const [columns, setColumns] = useLocalStorage<ExportColumn[]>({
    key: 'draht.people.exportColumns',
    defaultValue: DEFAULT_EXPORT_COLUMNS,
    getInitialValueInEffect: false,
  });
  const [format, setFormat] = useState<'csv' | 'xlsx'>('xlsx');
  const [delimiter, setDelimiter] = useState<';' | ','>(';');

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when opened
  useEffect(() => {
    if (opened) exporter.reset();
  }, [opened]);

  const hasFilter = Boolean(filter?.search || filter?.tag || filter?.status);
  const submit = () =>
    exporter.mutate(
      {
        orgId,
        ...(personIds ? { personIds } : queryId ? { queryId } : hasFilter ? { filter } : {}),
        columns: EXPORT_COLUMNS.filter((c) => columns.includes(c)),
        format,
        ...(format === 'csv' ? { delimiter } : {}),
      },
      {
        onSuccess: ({ name }) => {
          notifySuccess(t('export.done', { name }));
          onClose();
        },
      },
    );

  return (
    <Modal opened={opened} onClose={onClose} title={t('export.title')} centered size="lg">
      <Stack>
        <Text size="sm">
          {count !== undefined
            ? t('export.selected', { count })
            : hasFilter || queryId
              ? t('export.filtered')
              : t('export.all')}
        </Text>
        <MultiSelect
          label={t('export.columns')}
          data={EXPORT_COLUMNS.map((c) => ({ value: c, label: t(`exportColumns.${c}`) }))}
          value={columns}
          onChange={(value) => setColumns(value as ExportColumn[])}
          searchable
          error={columns.length === 0 ? t('export.columnsRequired') : undefined}
          comboboxProps={{ withinPortal: true }}
          data-testid="export-columns"
        />
        <Button
          variant="subtle"
          size="xs"
          style={{ alignSelf: 'flex-start' }}
          onClick={() => setColumns(DEFAULT_EXPORT_COLUMNS)}
        >
          {t('export.defaults')}
        </Button>
        <Stack gap={4}>
          <Text size="sm" fw={500} id="export-format-label">
            {t('export.format')}
          </Text>
          <SegmentedControl
            aria-labelledby="export-format-label"
            value={format}
            onChange={(value) => setFormat(value as 'csv' | 'xlsx')}
            data={[
              { value: 'xlsx', label: t('export.xlsx') },
              { value: 'csv', label: t('export.csv') },
            ]}
            data-testid="export-format"
          />
        </Stack>
        {format === 'csv' && (
          <Stack gap={4}>
            <Text size="sm" fw={500} id="export-delimiter-label">
              {t('export.delimiter')}
            </Text>
            <SegmentedControl
              aria-labelledby="export-delimiter-label"
              value={delimiter}
              onChange={(value) => setDelimiter(value as ';' | ',')}
              data={[
                { value: ';', label: t('export.semicolon') },
                { value: ',', label: t('export.comma') },
              ]}
              data-testid="export-delimiter"
            />
          </Stack>
        )}
        <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} aria-hidden />}>
          {t('export.privacy')}
        </Alert>
        {exporter.isPending && (
          <Stack gap={4} role="status">
            <Text size="sm">{t('export.running')}</Text>
            <Progress value={100} animated striped aria-label={t('export.running')} />
          </Stack>
        )}
        <FormError error={exporter.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button
            onClick={submit}
            disabled={columns.length === 0}
            loading={exporter.isPending}
            data-testid="export-submit"
          >
            {t('export.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
