import { Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CALL_OUTCOMES } from '../../../../shared/calls.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useAssignmentProgress } from '../api.ts';

function Figure({ label, value, testId }: { label: string; value: number; testId: string }) {
  const { i18n } = useTranslation();
  return (
    <Stack gap={0} data-testid={testId}>
      <Text fz={28} fw={700} lh={1.1}>
        {value.toLocaleString(i18n.language)}
      </Text>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}

/** How far an assignment has come: headline figures, calls by outcome and by caller (every 30 s). */
export function ProgressCard({ assignmentId }: { assignmentId: string }) {
  const { t, i18n } = useTranslation('calls');
  const progress = useAssignmentProgress(assignmentId);
  const p = progress.data;
  const locale = i18n.language;

  return (
    <Paper withBorder radius="md" p="lg" data-testid="assignment-progress">
      <Stack>
        <Group justify="space-between" align="baseline">
          <Title order={2} fz="lg">
            {t('progress.title')}
          </Title>
          {p ? (
            <Text size="sm" c="dimmed">
              {p.lastCallAt
                ? t('progress.updatedAt', { at: formatDateTime(p.lastCallAt, locale) })
                : t('progress.noCalls')}
            </Text>
          ) : null}
        </Group>
        <ErrorAlert error={progress.error} />
        {!p ? (
          progress.isPending ? (
            <Loader size="sm" />
          ) : null
        ) : (
          <>
            <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }}>
              <Figure label={t('progress.targets')} value={p.targets} testId="progress-targets" />
              <Figure label={t('progress.attempted')} value={p.attempted} testId="progress-attempted" />
              <Figure label={t('progress.reached')} value={p.reached} testId="progress-reached" />
              <Figure label={t('progress.done')} value={p.done} testId="progress-done" />
              <Figure label={t('progress.remaining')} value={p.remaining} testId="progress-remaining" />
              <Figure label={t('progress.calls')} value={p.calls} testId="progress-calls" />
            </SimpleGrid>
            <Text size="sm" c="dimmed" data-testid="progress-done-detail">
              {t('progress.doneOf')}: {t('progress.goalMet')}{' '}
              <Text span fw={600} c="var(--mantine-color-text)" data-testid="progress-goal-met">
                {p.goalMet.toLocaleString(locale)}
              </Text>{' '}
              · {t('progress.reachedElsewhere')}{' '}
              <Text span fw={600} c="var(--mantine-color-text)" data-testid="progress-reached-elsewhere">
                {p.reachedElsewhere.toLocaleString(locale)}
              </Text>
              {' — '}
              {t('progress.openFollowUps')}{' '}
              <Text
                span
                fw={600}
                c={p.openFollowUps > 0 ? 'orange.8' : 'var(--mantine-color-text)'}
                data-testid="progress-open-follow-ups"
              >
                {p.openFollowUps.toLocaleString(locale)}
              </Text>
            </Text>
            <Text size="sm" c="dimmed" data-testid="progress-blocked">
              {t('progress.blocked')}: {t('progress.doNotCall')} {p.doNotCall} · {t('progress.noValidPhone')}{' '}
              {p.noValidPhone} · {t('progress.maxAttempts')} {p.maxAttempts}
              {' — '}
              {t('progress.waiting')}: {t('progress.cooldown')} {p.cooldown} · {t('progress.callBackLater')}{' '}
              {p.callBackLater}
            </Text>
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
              <Stack gap="xs">
                <Title order={3} fz="md">
                  {t('progress.byOutcome')}
                </Title>
                <Table verticalSpacing={4} data-testid="progress-by-outcome">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('progress.outcome')}</Table.Th>
                      <Table.Th ta="right">{t('progress.count')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {CALL_OUTCOMES.map((o) => (
                      <Table.Tr key={o} data-testid={`progress-outcome-${o}`}>
                        <Table.Td>{t(`outcomes.${o}`)}</Table.Td>
                        <Table.Td ta="right">{(p.byOutcome[o] ?? 0).toLocaleString(locale)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Stack>
              <Stack gap="xs">
                <Title order={3} fz="md">
                  {t('progress.byCaller')}
                </Title>
                {p.byCaller.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('progress.noCallers')}
                  </Text>
                ) : (
                  <Table verticalSpacing={4} data-testid="progress-by-caller">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('progress.caller')}</Table.Th>
                        <Table.Th ta="right">{t('progress.calls')}</Table.Th>
                        <Table.Th ta="right">{t('progress.reached')}</Table.Th>
                        <Table.Th>{t('progress.lastCall')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {p.byCaller.map((c) => (
                        <Table.Tr key={c.callerId ?? 'deleted'}>
                          <Table.Td>{c.name ?? t('progress.unknownCaller')}</Table.Td>
                          <Table.Td ta="right">{c.calls.toLocaleString(locale)}</Table.Td>
                          <Table.Td ta="right">{c.reached.toLocaleString(locale)}</Table.Td>
                          <Table.Td>{c.lastCallAt ? formatDateTime(c.lastCallAt, locale) : '–'}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
              </Stack>
            </SimpleGrid>
          </>
        )}
      </Stack>
    </Paper>
  );
}
