import { Badge, Button, Group, Loader, Paper, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useFollowUps, useResolveFollowUp } from '../api.ts';
import { CallPersonLink } from './CallRecordParts.tsx';

/**
 * "Nachfassen": calls after which an organizer should get back to the person (flagged by the
 * caller or by an answer action). Open ones with a resolve button; resolved ones on request.
 */
export function FollowUpsCard({ assignmentId }: { assignmentId: string }) {
  const { t, i18n } = useTranslation('calls');
  const [showResolved, setShowResolved] = useState(false);
  const state = showResolved ? 'resolved' : 'open';
  const list = useFollowUps(assignmentId, state);
  const resolve = useResolveFollowUp();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const locale = i18n.language;

  return (
    <Paper withBorder radius="md" p="lg" data-testid="follow-ups">
      <Stack>
        <Group justify="space-between" align="center">
          <Group gap="xs">
            <Title order={2} fz="lg">
              {t('followUps.title')}
            </Title>
            {!showResolved && items.length > 0 && (
              <Badge color="orange" variant="light" data-testid="follow-ups-count">
                {list.hasNextPage ? `${items.length}+` : items.length}
              </Badge>
            )}
          </Group>
          <Switch
            label={t('followUps.showResolved')}
            checked={showResolved}
            onChange={(e) => setShowResolved(e.currentTarget.checked)}
            data-testid="follow-ups-show-resolved"
          />
        </Group>
        <ErrorAlert error={list.error ?? resolve.error} />
        {list.isPending ? (
          <Loader size="sm" />
        ) : items.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="follow-ups-empty">
            {showResolved ? t('followUps.emptyResolved') : t('followUps.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('followUps.person')}</Table.Th>
                  <Table.Th>{t('followUps.reason')}</Table.Th>
                  <Table.Th>{t('followUps.call')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((c) => (
                  <Table.Tr key={c.id} data-testid={`follow-up-${c.id}`}>
                    <Table.Td style={{ verticalAlign: 'top' }}>
                      <CallPersonLink call={c} />
                    </Table.Td>
                    <Table.Td style={{ verticalAlign: 'top' }}>
                      <Text size="sm" fw={500} data-testid="follow-up-reason">
                        {c.followUpReason}
                      </Text>
                      {c.note ? (
                        <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
                          {t('followUps.note')}: {c.note}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td style={{ verticalAlign: 'top' }}>
                      <Text size="sm">{t(`outcomes.${c.outcome}`)}</Text>
                      <Text size="xs" c="dimmed">
                        {formatDateTime(c.at, locale)} · {c.callerName ?? t('progress.unknownCaller')}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right" style={{ verticalAlign: 'top' }}>
                      {c.followUpResolvedAt ? (
                        <Text size="xs" c="dimmed">
                          {t('followUps.resolvedAt', { at: formatDateTime(c.followUpResolvedAt, locale) })}
                        </Text>
                      ) : (
                        <Button
                          size="xs"
                          variant="light"
                          leftSection={<IconCheck size={16} aria-hidden />}
                          loading={resolve.isPending && resolve.variables === c.id}
                          onClick={() =>
                            resolve.mutate(c.id, { onSuccess: () => notifySuccess(t('followUps.resolved')) })
                          }
                          aria-label={t('followUps.resolveFor', { name: c.personName ?? '' })}
                          data-testid={`follow-up-resolve-${c.id}`}
                        >
                          {t('followUps.resolve')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {list.hasNextPage && (
          <Group>
            <Button
              variant="default"
              size="xs"
              onClick={() => list.fetchNextPage()}
              loading={list.isFetchingNextPage}
            >
              {t('recentCalls.loadMore')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
