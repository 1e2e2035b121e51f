import {
  Box,
  Group,
  Loader,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  BLOCKED_CATEGORIES,
  CALL_OUTCOMES,
  type CallProgress,
  DONE_CATEGORIES,
  REMAINING_CATEGORIES,
  type TargetCategory,
} from '../../../../shared/calls.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useAssignmentProgress } from '../api.ts';

/** A figure or category whose meaning is explained on hover, focus or tap (and to screen readers). */
function Explained({ help, children, testId }: { help: string; children: ReactNode; testId: string }) {
  return (
    <Tooltip label={help} multiline w={280} withArrow events={{ hover: true, focus: true, touch: true }}>
      <Box tabIndex={0} data-testid={testId} style={{ cursor: 'help', borderRadius: 4 }}>
        {children}
        <VisuallyHidden>{help}</VisuallyHidden>
      </Box>
    </Tooltip>
  );
}

type Headline = 'targets' | 'attempted' | 'reached' | 'done' | 'remaining' | 'calls';
const HEADLINE: { key: Headline; testId: string }[] = [
  { key: 'targets', testId: 'progress-targets' },
  { key: 'attempted', testId: 'progress-attempted' },
  { key: 'reached', testId: 'progress-reached' },
  { key: 'done', testId: 'progress-done' },
  { key: 'remaining', testId: 'progress-remaining' },
  { key: 'calls', testId: 'progress-calls' },
];

function Figure({ figure, value, testId }: { figure: Headline; value: number; testId: string }) {
  const { t, i18n } = useTranslation('calls');
  return (
    <Explained help={t(`progress.help.${figure}`)} testId={testId}>
      <Stack gap={0}>
        <Text fz={28} fw={700} lh={1.1}>
          {value.toLocaleString(i18n.language)}
        </Text>
        <Text size="sm" c="dimmed" td="underline dotted">
          {t(`progress.${figure}`)}
        </Text>
      </Stack>
    </Explained>
  );
}

/** Colours of the bar: done green, blocked grey/red, remaining blue. */
const CATEGORY_COLORS: Record<TargetCategory, string> = {
  goalMet: 'green.7',
  reachedElsewhere: 'teal.5',
  declined: 'lime.6',
  doNotCall: 'red.6',
  noValidPhone: 'orange.6',
  leftList: 'gray.5',
  maxAttempts: 'gray.7',
  inProgress: 'blue.4',
  notCalledYet: 'blue.1',
};
const CATEGORY_TEST_IDS: Partial<Record<TargetCategory, string>> = {
  goalMet: 'progress-goal-met',
  reachedElsewhere: 'progress-reached-elsewhere',
};
const testIdOf = (c: TargetCategory) =>
  CATEGORY_TEST_IDS[c] ?? `progress-${c.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}`;

/** One group of categories (done, not callable, remaining) with its total and each category. */
function CategoryGroup({
  title,
  titleHelp,
  categories,
  p,
  testId,
  children,
}: {
  title: string;
  titleHelp?: string;
  categories: readonly TargetCategory[];
  p: CallProgress;
  testId: string;
  children?: ReactNode;
}) {
  const { t, i18n } = useTranslation('calls');
  const locale = i18n.language;
  const total = categories.reduce((n, c) => n + p[c], 0);
  const heading = (
    <Text fw={600} size="sm">
      {title}: {total.toLocaleString(locale)}
    </Text>
  );
  return (
    <Stack gap={4} data-testid={testId}>
      {titleHelp ? (
        <Explained help={titleHelp} testId={`${testId}-title`}>
          {heading}
        </Explained>
      ) : (
        heading
      )}
      {categories.map((c) => (
        <Explained key={c} help={t(`progress.help.${c}`)} testId={testIdOf(c)}>
          <Group gap={6} wrap="nowrap" justify="space-between">
            <Group gap={6} wrap="nowrap" miw={0}>
              <Box
                w={10}
                h={10}
                style={{ borderRadius: 2, flex: 'none' }}
                bg={CATEGORY_COLORS[c]}
                aria-hidden
              />
              <Text size="sm" td="underline dotted">
                {t(`progress.${c}`)}
              </Text>
            </Group>
            <Text size="sm" fw={600} data-testid={`${testIdOf(c)}-value`}>
              {p[c].toLocaleString(locale)}
            </Text>
          </Group>
        </Explained>
      ))}
      {children}
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
              {HEADLINE.map((f) => (
                <Figure key={f.key} figure={f.key} value={p[f.key]} testId={f.testId} />
              ))}
            </SimpleGrid>
            <Stack gap="xs">
              <Text size="sm" fw={600}>
                {t('progress.breakdown')}
              </Text>
              <Progress.Root size={14} aria-hidden>
                {[...DONE_CATEGORIES, ...BLOCKED_CATEGORIES, ...REMAINING_CATEGORIES].map((c) =>
                  p[c] > 0 && p.targets > 0 ? (
                    <Progress.Section key={c} value={(100 * p[c]) / p.targets} color={CATEGORY_COLORS[c]} />
                  ) : null,
                )}
              </Progress.Root>
              <Text size="xs" c="dimmed">
                {t('progress.breakdownHint')}
              </Text>
            </Stack>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg" data-testid="progress-categories">
              <CategoryGroup
                title={t('progress.done')}
                titleHelp={t('progress.help.done')}
                categories={DONE_CATEGORIES}
                p={p}
                testId="progress-done-detail"
              />
              <CategoryGroup
                title={t('progress.blocked')}
                categories={BLOCKED_CATEGORIES}
                p={p}
                testId="progress-blocked"
              />
              <CategoryGroup
                title={t('progress.remaining')}
                titleHelp={t('progress.help.remaining')}
                categories={REMAINING_CATEGORIES}
                p={p}
                testId="progress-open"
              >
                <Text size="xs" c="dimmed" mt={4}>
                  {t('progress.waiting')}:
                </Text>
                {(['cooldown', 'callBackLater'] as const).map((w) => (
                  <Explained
                    key={w}
                    help={t(`progress.help.${w}`)}
                    testId={`progress-${w === 'cooldown' ? 'cooldown' : 'call-back-later'}`}
                  >
                    <Group gap={6} wrap="nowrap" justify="space-between" pl={16}>
                      <Text size="xs" td="underline dotted">
                        {t(`progress.${w}`)}
                      </Text>
                      <Text size="xs" fw={600}>
                        {p[w].toLocaleString(locale)}
                      </Text>
                    </Group>
                  </Explained>
                ))}
              </CategoryGroup>
            </SimpleGrid>
            <Explained help={t('progress.help.openFollowUps')} testId="progress-follow-ups">
              <Text size="sm" c="dimmed">
                <Text span td="underline dotted" inherit>
                  {t('progress.openFollowUps')}
                </Text>{' '}
                <Text
                  span
                  fw={600}
                  c={p.openFollowUps > 0 ? 'orange.8' : 'var(--mantine-color-text)'}
                  data-testid="progress-open-follow-ups"
                >
                  {p.openFollowUps.toLocaleString(locale)}
                </Text>
              </Text>
            </Explained>
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
              <Stack gap="xs">
                <Title order={3} fz="md">
                  {t('progress.byOutcome')}
                </Title>
                <Text size="xs" c="dimmed">
                  {t('progress.byOutcomeHint')}
                </Text>
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
                  <Table.ScrollContainer minWidth={340} type="native">
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
                  </Table.ScrollContainer>
                )}
              </Stack>
            </SimpleGrid>
          </>
        )}
      </Stack>
    </Paper>
  );
}
