import { Button, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { type Assignment, useAssignmentCalls } from '../api.ts';
import { answerSummary, CallBadges, CallPersonLink } from './CallRecordParts.tsx';

/** "Letzte Anrufe": the assignment's calls, newest first, with answers and notes; more on request. */
export function RecentCallsCard({ assignment }: { assignment: Assignment }) {
  const { t, i18n } = useTranslation('calls');
  const calls = useAssignmentCalls(assignment.id);
  const items = calls.data?.pages.flatMap((p) => p.items) ?? [];
  const locale = i18n.language;

  return (
    <Paper withBorder radius="md" p="lg" data-testid="recent-calls">
      <Stack>
        <Title order={2} fz="lg">
          {t('recentCalls.title')}
        </Title>
        <ErrorAlert error={calls.error} />
        {calls.isPending ? (
          <Loader size="sm" />
        ) : items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('recentCalls.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={150}>{t('recentCalls.at')}</Table.Th>
                  <Table.Th>{t('recentCalls.person')}</Table.Th>
                  <Table.Th>{t('recentCalls.outcome')}</Table.Th>
                  <Table.Th>{t('recentCalls.details')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((c) => {
                  const answers = answerSummary(c, assignment.questions, t);
                  return (
                    <Table.Tr key={c.id} data-testid="recent-call">
                      <Table.Td style={{ verticalAlign: 'top' }}>
                        <Text size="sm">{formatDateTime(c.at, locale)}</Text>
                        <Text size="xs" c="dimmed">
                          {c.callerName ?? t('progress.unknownCaller')}
                        </Text>
                      </Table.Td>
                      <Table.Td style={{ verticalAlign: 'top' }}>
                        <CallPersonLink call={c} />
                      </Table.Td>
                      <Table.Td style={{ verticalAlign: 'top' }}>
                        <Stack gap={4}>
                          <Text size="sm">{t(`outcomes.${c.outcome}`)}</Text>
                          <CallBadges call={c} />
                        </Stack>
                      </Table.Td>
                      <Table.Td style={{ verticalAlign: 'top' }}>
                        <Stack gap={2}>
                          {answers.map((a) => (
                            <Text key={a.question} size="xs">
                              <Text span c="dimmed" size="xs">
                                {/[?!.:]$/.test(a.question) ? a.question : `${a.question}:`}
                              </Text>{' '}
                              {a.answer}
                            </Text>
                          ))}
                          {c.followUpReason ? (
                            <Text size="xs">
                              <Text span c="dimmed" size="xs">
                                {t('recentCalls.followUp')}:
                              </Text>{' '}
                              {c.followUpReason}
                            </Text>
                          ) : null}
                          {c.note ? (
                            <Text size="xs" style={{ whiteSpace: 'pre-wrap' }}>
                              <Text span c="dimmed" size="xs">
                                {t('followUps.note')}:
                              </Text>{' '}
                              {c.note}
                            </Text>
                          ) : null}
                          {answers.length === 0 && !c.note && !c.followUpReason ? (
                            <Text size="xs" c="dimmed">
                              –
                            </Text>
                          ) : null}
                        </Stack>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {calls.hasNextPage && (
          <Group>
            <Button
              variant="default"
              size="xs"
              onClick={() => calls.fetchNextPage()}
              loading={calls.isFetchingNextPage}
              data-testid="recent-calls-more"
            >
              {t('recentCalls.loadMore')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
