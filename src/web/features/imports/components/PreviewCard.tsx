import { Alert, Badge, Group, List, Paper, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconUserMinus } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ImportRowError } from '../../../../shared/imports.ts';
import type { ImportAnalysis, ImportMapping } from '../api.ts';

export function problemLine(t: TFunction, e: ImportRowError) {
  const problem = t(`imports:problems.${e.problem}`);
  const text = e.column
    ? t('imports:problemAt', { row: e.rowNumber, column: e.column, problem })
    : t('imports:problemAtRow', { row: e.rowNumber, problem });
  return e.value ? `${text} („${e.value}“)` : text;
}

/** The check result: counts, the first rows as they will be stored, and the problems. */
export function PreviewCard({
  analysis,
  mapping,
  targetLabel,
}: {
  analysis: ImportAnalysis;
  mapping: ImportMapping;
  targetLabel: (target: string) => string;
}) {
  const { t, i18n } = useTranslation('imports');
  const nf = new Intl.NumberFormat(i18n.language);
  const displayValue = (target: string, value: string) =>
    value && (target === 'gender' || target === 'membershipStatus')
      ? t(`values.${value}`, { defaultValue: value })
      : value;
  const targets = [...new Set(Object.values(mapping).filter((v): v is string => Boolean(v)))];
  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="md">
        <Group gap="sm" data-testid="import-check">
          <Badge size="lg" variant="light" color="blue">
            {t('check.rows', { count: analysis.total, formatted: nf.format(analysis.total) })}
          </Badge>
          {analysis.errorRows > 0 ? (
            <Badge
              size="lg"
              variant="light"
              color="red"
              leftSection={<IconAlertTriangle size={14} aria-hidden />}
            >
              {t('check.errorRows', { count: analysis.errorRows, formatted: nf.format(analysis.errorRows) })}
            </Badge>
          ) : (
            <Badge
              size="lg"
              variant="light"
              color="green"
              leftSection={<IconCircleCheck size={14} aria-hidden />}
            >
              {t('check.noErrors')}
            </Badge>
          )}
          {analysis.departures !== null && (
            <Badge
              size="lg"
              variant="light"
              color="orange"
              leftSection={<IconUserMinus size={14} aria-hidden />}
            >
              {t('check.departures', {
                count: analysis.departures,
                formatted: nf.format(analysis.departures),
              })}
            </Badge>
          )}
        </Group>

        <Stack gap={4}>
          <Text fw={700}>{t('preview.title')}</Text>
          <Text size="sm" c="dimmed">
            {t('preview.hint')}
          </Text>
        </Stack>
        {analysis.preview.length === 0 ? (
          <Text c="dimmed">{t('preview.empty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing={6} withTableBorder data-testid="import-preview">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('preview.row')}</Table.Th>
                  {targets.map((target) => (
                    <Table.Th key={target}>{targetLabel(target)}</Table.Th>
                  ))}
                  <Table.Th>{t('preview.problems')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {analysis.preview.map((row) => {
                  const bad = row.errors.length > 0;
                  return (
                    <Table.Tr
                      key={row.rowNumber}
                      bg={bad ? 'red.0' : undefined}
                      data-error={bad || undefined}
                    >
                      <Table.Td>{row.rowNumber}</Table.Td>
                      {targets.map((target) => (
                        <Table.Td key={target}>{displayValue(target, row.values[target] ?? '')}</Table.Td>
                      ))}
                      <Table.Td>
                        {bad ? (
                          <Group gap={4} wrap="nowrap" c="red.8">
                            <IconAlertTriangle size={16} aria-hidden />
                            <Text size="sm" c="red.8">
                              {row.errors.map((e) => t(`problems.${e.problem}`)).join('; ')}
                            </Text>
                          </Group>
                        ) : (
                          <Text size="sm" c="green.8">
                            {t('preview.ok')}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}

        {analysis.errors.length > 0 && (
          <Alert
            color="red"
            variant="light"
            title={t('check.errorsTitle')}
            icon={<IconAlertTriangle size={20} />}
          >
            <List size="sm" spacing={2} mah={240} style={{ overflow: 'auto' }}>
              {analysis.errors.slice(0, 100).map((e) => (
                <List.Item key={`${e.rowNumber}-${e.column}-${e.problem}`}>{problemLine(t, e)}</List.Item>
              ))}
            </List>
            {analysis.errors.length > 100 && (
              <Text size="sm" mt="xs">
                {t('check.moreErrors', { count: 100 })}
              </Text>
            )}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
