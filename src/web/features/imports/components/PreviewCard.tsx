import { Alert, Badge, Group, List, Paper, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconInfoCircle, IconUserMinus } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ImportRowError, ImportWarning } from '../../../../shared/imports.ts';
import type { ImportAnalysis, ImportMapping } from '../api.ts';

export function problemLine(t: TFunction, e: ImportRowError) {
  const problem = t(`imports:problems.${e.problem}`);
  const text = e.column
    ? t('imports:problemAt', { row: e.rowNumber, column: e.column, problem })
    : t('imports:problemAtRow', { row: e.rowNumber, problem });
  return e.value ? `${text} („${e.value}“)` : text;
}

/** One mapping warning as a sentence; `targetLabel` names the field a column is mapped to. */
export function warningLine(t: TFunction, w: ImportWarning, targetLabel: (target: string) => string) {
  const vars = {
    column: w.column ?? '',
    target: w.target ? targetLabel(w.target) : '',
    looksLike: w.looksLike ? t(`imports:warnings.kinds.${w.looksLike}`) : '',
  };
  if (w.kind !== 'values_look_like') return t(`imports:warnings.${w.kind}`, vars);
  if (!w.target) return t('imports:warnings.values_look_like_unmapped', vars);
  if (w.looksLike === 'fullName') return t('imports:warnings.values_look_like_fullName', vars);
  return t('imports:warnings.values_look_like', vars);
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
    value && (target === 'gender' || target === 'membershipStatus' || target === 'newsletterConsent')
      ? t(`values.${value}`, { defaultValue: value })
      : value;
  const targets = [...new Set(Object.values(mapping).filter((v): v is string => Boolean(v)))];
  // Older answers (before warnings existed) have none.
  const warnings = analysis.warnings ?? [];
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
          ) : warnings.length > 0 ? (
            <Badge
              size="lg"
              variant="light"
              color="yellow"
              leftSection={<IconInfoCircle size={14} aria-hidden />}
            >
              {t('warnings.noErrorsButWarnings')}
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

        {warnings.length > 0 && (
          <Alert
            color="yellow"
            variant="light"
            title={t('warnings.title')}
            icon={<IconInfoCircle size={20} aria-hidden />}
            data-testid="import-warnings"
          >
            <List size="sm" spacing={4}>
              {warnings.map((w) => (
                <List.Item key={`${w.kind}-${w.column}-${w.looksLike}`}>
                  {warningLine(t, w, targetLabel)}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}

        <Stack gap={4}>
          <Text fw={700}>{t('preview.title')}</Text>
          <Text size="sm" c="dimmed">
            {t('preview.hint')}
          </Text>
        </Stack>
        {analysis.preview.length === 0 ? (
          <Text c="dimmed">{t('preview.empty')}</Text>
        ) : (
          // Wide enough for every column plus a problem column that wraps instead of being cut off.
          <Table.ScrollContainer minWidth={Math.max(720, 110 * (targets.length + 1) + 260)}>
            <Table verticalSpacing={6} withTableBorder data-testid="import-preview">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('preview.row')}</Table.Th>
                  {targets.map((target) => (
                    <Table.Th key={target}>{targetLabel(target)}</Table.Th>
                  ))}
                  <Table.Th miw={260}>{t('preview.problems')}</Table.Th>
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
                          <Group gap={4} wrap="nowrap" align="flex-start" c="red.8">
                            <IconAlertTriangle
                              size={16}
                              aria-hidden
                              style={{ flexShrink: 0, marginTop: 2 }}
                            />
                            <Text size="sm" c="red.8" style={{ whiteSpace: 'normal' }}>
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
