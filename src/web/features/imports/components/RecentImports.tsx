import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { STALE_UPLOAD_DAYS } from '../../../../shared/imports.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { errorsCsvUrl, type ImportView, useDiscardImport } from '../api.ts';

const STATUS_COLOR = { pending: 'gray', running: 'blue', done: 'green', failed: 'red' } as const;

export function RecentImports({ items, onOpen }: { items: ImportView[]; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation('imports');
  const discard = useDiscardImport();
  const [discarding, setDiscarding] = useState<ImportView | null>(null);
  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="sm">
        <Text fw={700}>{t('recent.title')}</Text>
        <ConfirmModal
          opened={Boolean(discarding)}
          title={t('recent.discardTitle')}
          confirmLabel={t('recent.discard')}
          loading={discard.isPending}
          error={discard.error}
          onClose={() => {
            setDiscarding(null);
            discard.reset();
          }}
          onConfirm={() =>
            discarding &&
            discard.mutate(
              { id: discarding.id, orgId: discarding.orgId },
              {
                onSuccess: () => {
                  notifySuccess(t('recent.discarded', { file: discarding.fileName }));
                  setDiscarding(null);
                },
              },
            )
          }
        >
          {discarding ? t('recent.discardText', { file: discarding.fileName }) : ''}
        </ConfirmModal>
        {items.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('recent.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            {items.some((i) => i.status === 'pending') && (
              <Text size="sm" c="dimmed" mb="xs">
                {t('recent.pendingHint', { days: STALE_UPLOAD_DAYS })}
              </Text>
            )}
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
                        miw="max-content"
                      >
                        {t(`status.${item.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {item.status === 'done' && <Text size="sm">{t('recent.resultText', item)}</Text>}
                      {item.status === 'done' && item.consentsRequested > 0 && (
                        <Text size="sm" c="dimmed">
                          {t('recent.consentsRequested', { count: item.consentsRequested })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap" justify="flex-end">
                        {item.status !== 'pending' && (
                          <Button size="xs" variant="subtle" onClick={() => onOpen(item.id)}>
                            {t('recent.open')}
                          </Button>
                        )}
                        {item.status === 'pending' && (
                          <Button
                            size="xs"
                            variant="subtle"
                            color="red"
                            onClick={() => setDiscarding(item)}
                            data-testid="import-discard"
                          >
                            {t('recent.discard')}
                          </Button>
                        )}
                        {item.failed > 0 && item.status === 'done' && (
                          <Anchor size="xs" href={errorsCsvUrl(item.id)} download>
                            {t('recent.errors')}
                          </Anchor>
                        )}
                      </Group>
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
