import { Anchor, Badge, Button, Paper, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../lib/format.ts';
import { errorsCsvUrl, type ImportView } from '../api.ts';

const STATUS_COLOR = { pending: 'gray', running: 'blue', done: 'green', failed: 'red' } as const;

export function RecentImports({ items, onOpen }: { items: ImportView[]; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation('imports');
  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="sm">
        <Text fw={700}>{t('recent.title')}</Text>
        {items.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('recent.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="xs" data-testid="import-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('recent.file')}</Table.Th>
                  <Table.Th>{t('recent.when')}</Table.Th>
                  <Table.Th>{t('recent.mode')}</Table.Th>
                  <Table.Th>{t('recent.status')}</Table.Th>
                  <Table.Th>{t('recent.result')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <Table.Tr key={item.id}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {item.fileName}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {item.orgName}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(item.createdAt, i18n.language)}</Text>
                      {item.createdByName && (
                        <Text size="xs" c="dimmed">
                          {t('recent.by')} {item.createdByName}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{t(`modes.${item.mode}`)}</Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Badge
                        variant="light"
                        color={STATUS_COLOR[item.status]}
                        style={{ overflow: 'visible' }}
                        miw={90}
                      >
                        {t(`status.${item.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {item.status === 'done' && <Text size="sm">{t('recent.resultText', item)}</Text>}
                    </Table.Td>
                    <Table.Td>
                      {item.status !== 'pending' && (
                        <Button size="xs" variant="subtle" onClick={() => onOpen(item.id)}>
                          {t('recent.open')}
                        </Button>
                      )}
                      {item.failed > 0 && item.status === 'done' && (
                        <Anchor size="xs" href={errorsCsvUrl(item.id)} download ml="xs">
                          {t('recent.errors')}
                        </Anchor>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
