import { Paper, Select, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { IMPORT_TARGETS } from '../../../../shared/imports.ts';
import type { CustomField, Tag } from '../../people/api.ts';
import type { ImportMapping } from '../api.ts';

const IGNORE = '';

/** One Select per file column, prefilled with the guessed target. */
export function MappingCard({
  columns,
  samples,
  mapping,
  fields,
  tags,
  onChange,
}: {
  columns: string[];
  samples: string[][];
  mapping: ImportMapping;
  fields: CustomField[];
  tags: Tag[];
  onChange: (mapping: ImportMapping) => void;
}) {
  const { t } = useTranslation('imports');
  const data = [
    { group: ' ', items: [{ value: IGNORE, label: t('mapping.ignore') }] },
    {
      group: t('mapping.groupPerson'),
      items: IMPORT_TARGETS.map((target) => ({ value: target, label: t(`targets.${target}`) })),
    },
    ...(fields.length
      ? [
          {
            group: t('mapping.groupFields'),
            items: fields.map((f) => ({
              value: `field:${f.id}`,
              label: t('mapping.fieldOption', { label: f.label }),
            })),
          },
        ]
      : []),
    ...(tags.length
      ? [
          {
            group: t('mapping.groupTags'),
            items: tags.map((tag) => ({
              value: `tag:${tag.id}`,
              label: t('mapping.tagOption', { name: tag.name }),
            })),
          },
        ]
      : []),
  ];
  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="sm">
        <Text fw={700}>{t('mapping.title')}</Text>
        <Text size="sm" c="dimmed">
          {t('mapping.hint')}
        </Text>
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="xs" striped data-testid="import-mapping">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('mapping.column')}</Table.Th>
                <Table.Th>{t('mapping.sample')}</Table.Th>
                <Table.Th w={300}>{t('mapping.target')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {columns.map((column, i) => (
                <Table.Tr key={column}>
                  <Table.Td fw={600}>{column}</Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed" lineClamp={1}>
                      {samples
                        .map((row) => row[i])
                        .filter(Boolean)
                        .slice(0, 2)
                        .join(' · ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={t('mapping.target')}
                      data={data}
                      value={mapping[column] ?? IGNORE}
                      onChange={(value) =>
                        onChange({ ...mapping, [column]: (value || null) as ImportMapping[string] })
                      }
                      allowDeselect={false}
                      searchable
                      comboboxProps={{ withinPortal: true }}
                      data-testid={`mapping-${column}`}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </Paper>
  );
}
