import '@mantine/charts/styles.css';
import { BarChart, DonutChart } from '@mantine/charts';
import { Badge, Grid, Group, Paper, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { IconChevronRight } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CALL_OUTCOMES } from '../../../../shared/calls.ts';
import type { Stats } from '../api.ts';
import { formatDay, formatNumber, formatShare, OUTCOME_COLORS, rate } from './format.ts';

export function ChartCard({
  title,
  hint,
  children,
  testId,
}: {
  title: string;
  hint?: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }} className="chart-card" data-testid={testId}>
      <Stack gap="sm">
        <Stack gap={0}>
          <Title order={2} fz="md">
            {title}
          </Title>
          {hint && (
            <Text size="xs" c="dimmed">
              {hint}
            </Text>
          )}
        </Stack>
        {children}
      </Stack>
    </Paper>
  );
}

function NoData() {
  const { t } = useTranslation('campaigns');
  return (
    <Text size="sm" c="dimmed" py="md">
      {t('dashboard.noData')}
    </Text>
  );
}

/** Calls and reached, the two bars of the time and region charts. */
function callsReachedSeries(t: (key: string) => string) {
  return [
    { name: 'calls', label: t('stats.calls'), color: 'blue.5' },
    { name: 'reached', label: t('stats.reached'), color: 'teal.6' },
  ];
}

/** Calls and reached per `dataKey` (day, hour) as bars, or "no data". */
function CallsReachedBars({ data, dataKey }: { data: Record<string, string | number>[]; dataKey: string }) {
  const { t, i18n } = useTranslation('campaigns');
  if (!data.length) return <NoData />;
  return (
    <BarChart
      h={240}
      data={data}
      dataKey={dataKey}
      series={callsReachedSeries(t)}
      withLegend
      tickLine="y"
      valueFormatter={(v) => formatNumber(v, i18n.language)}
    />
  );
}

/** Label, count and its share of `total`, a row each; `headers` name the first two columns. */
function ShareTable({
  headers,
  total,
  rows,
}: {
  headers: [string, string];
  total: number;
  rows: { key: string; label: ReactNode; count: number; testId?: string }[];
}) {
  const { t, i18n } = useTranslation('campaigns');
  return (
    <Table verticalSpacing={4}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{headers[0]}</Table.Th>
          <Table.Th ta="right">{headers[1]}</Table.Th>
          <Table.Th ta="right">{t('dashboard.share')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.key} data-testid={r.testId}>
            <Table.Td>{r.label}</Table.Td>
            <Table.Td ta="right">{formatNumber(r.count, i18n.language)}</Table.Td>
            <Table.Td ta="right">{formatShare(rate(r.count, total), i18n.language)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function ByDayCard({ stats }: { stats: Stats }) {
  const { t, i18n } = useTranslation('campaigns');
  const data = stats.byDay.map((d) => ({
    day: formatDay(d.day, i18n.language),
    calls: d.calls,
    reached: d.reached,
  }));
  return (
    <ChartCard title={t('dashboard.byDay')} hint={t('dashboard.byDayHint')} testId="chart-by-day">
      <CallsReachedBars data={data} dataKey="day" />
    </ChartCard>
  );
}

export function ByHourCard({ stats }: { stats: Stats }) {
  const { t, i18n } = useTranslation('campaigns');
  const hours = stats.byHour.map((h) => h.hour);
  const min = hours.length ? Math.min(...hours) : 0;
  const max = hours.length ? Math.max(...hours) : -1;
  const byHour = new Map(stats.byHour.map((h) => [h.hour, h]));
  const data = [];
  for (let h = min; h <= max; h++) {
    const row = byHour.get(h);
    data.push({
      hour: `${String(h).padStart(2, '0')}:00`,
      calls: row?.calls ?? 0,
      reached: row?.reached ?? 0,
    });
  }
  const best = [...stats.byHour]
    .filter((h) => h.calls > 0)
    .sort((a, b) => rate(b.reached, b.calls) - rate(a.reached, a.calls) || b.calls - a.calls)[0];
  return (
    <ChartCard
      title={t('dashboard.byHour')}
      hint={
        best
          ? t('dashboard.bestHour', {
              from: `${String(best.hour).padStart(2, '0')}:00`,
              to: `${String((best.hour + 1) % 24).padStart(2, '0')}:00`,
              rate: formatShare(rate(best.reached, best.calls), i18n.language),
              reached: formatNumber(best.reached, i18n.language),
              calls: formatNumber(best.calls, i18n.language),
            })
          : t('dashboard.byHourHint')
      }
      testId="chart-by-hour"
    >
      <CallsReachedBars data={data} dataKey="hour" />
    </ChartCard>
  );
}

export function ByOutcomeCard({ stats }: { stats: Stats }) {
  const { t, i18n } = useTranslation('campaigns');
  const total = Object.values(stats.byOutcome).reduce((a, b) => a + (b ?? 0), 0);
  const rows = CALL_OUTCOMES.map((o) => ({ outcome: o, count: stats.byOutcome[o] ?? 0 })).filter(
    (r) => r.count > 0,
  );
  return (
    <ChartCard title={t('dashboard.byOutcome')} testId="chart-by-outcome">
      {rows.length ? (
        <Grid align="center">
          <Grid.Col span={{ base: 12, sm: 5 }}>
            <Group justify="center">
              <DonutChart
                size={200}
                thickness={30}
                data={rows.map((r) => ({
                  name: t(`calls:outcomes.${r.outcome}`),
                  value: r.count,
                  color: OUTCOME_COLORS[r.outcome],
                }))}
                chartLabel={formatNumber(total, i18n.language)}
                tooltipDataSource="segment"
                valueFormatter={(v) => formatNumber(v, i18n.language)}
              />
            </Group>
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 7 }}>
            <ShareTable
              headers={[t('dashboard.outcome'), t('stats.calls')]}
              total={total}
              rows={rows.map((r) => ({
                key: r.outcome,
                testId: `outcome-${r.outcome}`,
                count: r.count,
                label: (
                  <Group gap={8} wrap="nowrap">
                    <Badge size="xs" circle color={OUTCOME_COLORS[r.outcome]} aria-hidden>
                      {' '}
                    </Badge>
                    {t(`calls:outcomes.${r.outcome}`)}
                  </Group>
                ),
              }))}
            />
          </Grid.Col>
        </Grid>
      ) : (
        <NoData />
      )}
    </ChartCard>
  );
}

/** Name, people, calls and reached per region; regions without calls yet show with zeros. */
export function ByRegionCard({
  stats,
  onDrill,
}: {
  stats: Stats;
  onDrill: (r: Stats['byRegion'][number]) => void;
}) {
  const { t, i18n } = useTranslation('campaigns');
  const n = (v: number) => formatNumber(v, i18n.language);
  const waiting = stats.byRegion.filter((r) => r.calls === 0).length;
  return (
    <ChartCard
      title={t('dashboard.byRegion')}
      hint={[
        t('dashboard.byRegionHint'),
        waiting ? t('dashboard.regionsWithoutCalls', { count: waiting }) : null,
      ]
        .filter(Boolean)
        .join(' ')}
      testId="by-region"
    >
      {stats.byRegion.length ? (
        <Grid>
          <Grid.Col span={{ base: 12, md: 6 }} miw={0}>
            <Table
              verticalSpacing={4}
              horizontalSpacing={6}
              highlightOnHover
              fz="sm"
              className="region-table"
            >
              <Table.Thead>
                <Table.Tr fz="xs">
                  <Table.Th>{t('dashboard.region')}</Table.Th>
                  <Table.Th ta="right">{t('dashboard.people')}</Table.Th>
                  <Table.Th ta="right">{t('stats.calls')}</Table.Th>
                  <Table.Th ta="right">{t('stats.reached')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {stats.byRegion.map((r) => (
                  <Table.Tr
                    key={r.orgId ?? r.name}
                    data-testid="region-row"
                    data-calls={r.calls}
                    c={r.calls === 0 ? 'dimmed' : undefined}
                  >
                    <Table.Td style={{ overflowWrap: 'anywhere', hyphens: 'auto' }}>
                      {r.orgId && r.hasChildren ? (
                        <UnstyledButton
                          onClick={() => onDrill(r)}
                          data-testid="region-drill"
                          c="blue.8"
                          fz="sm"
                          ta="left"
                        >
                          {r.name}
                          <IconChevronRight
                            size={14}
                            aria-hidden
                            className="no-print"
                            style={{ verticalAlign: 'middle' }}
                          />
                        </UnstyledButton>
                      ) : (
                        r.name
                      )}
                    </Table.Td>
                    <Table.Td ta="right">{n(r.people)}</Table.Td>
                    <Table.Td ta="right">{n(r.calls)}</Table.Td>
                    <Table.Td ta="right">{n(r.reached)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }} miw={0}>
            <BarChart
              h={Math.max(160, stats.byRegion.length * 44)}
              data={stats.byRegion.map((r) => ({ name: r.name, calls: r.calls, reached: r.reached }))}
              dataKey="name"
              orientation="vertical"
              yAxisProps={{ width: 110 }}
              series={callsReachedSeries(t)}
              withLegend
              valueFormatter={n}
            />
          </Grid.Col>
        </Grid>
      ) : (
        <NoData />
      )}
    </ChartCard>
  );
}

/** Calls and reached per call centre of the campaign, zeros included. */
export function ByCallCentreCard({ stats }: { stats: Stats }) {
  const { t, i18n } = useTranslation('campaigns');
  const n = (v: number) => formatNumber(v, i18n.language);
  if (!stats.byCallCentre.length) return null;
  return (
    <ChartCard
      title={t('dashboard.byCallCentre')}
      hint={t('dashboard.byCallCentreHint')}
      testId="by-call-centre"
    >
      <Table verticalSpacing={4} horizontalSpacing={6} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('dashboard.callCentre')}</Table.Th>
            <Table.Th ta="right">{t('stats.calls')}</Table.Th>
            <Table.Th ta="right">{t('stats.reached')}</Table.Th>
            <Table.Th ta="right">{t('dashboard.reachedShare')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {stats.byCallCentre.map((c) => (
            <Table.Tr
              key={c.callCentreId}
              data-testid="call-centre-row"
              c={c.calls === 0 ? 'dimmed' : undefined}
            >
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{c.name}</Table.Td>
              <Table.Td ta="right">{n(c.calls)}</Table.Td>
              <Table.Td ta="right">{n(c.reached)}</Table.Td>
              <Table.Td ta="right">
                {c.calls ? formatShare(rate(c.reached, c.calls), i18n.language) : '–'}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ChartCard>
  );
}

export function ByCallerCard({ stats }: { stats: Stats }) {
  const { t, i18n } = useTranslation('campaigns');
  const n = (v: number) => formatNumber(v, i18n.language);
  const rows = [...stats.byCaller].sort((a, b) => b.calls - a.calls);
  return (
    <ChartCard title={t('dashboard.byCaller')} testId="by-caller">
      {rows.length ? (
        <Table.ScrollContainer minWidth={420}>
          <Table verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('dashboard.caller')}</Table.Th>
                <Table.Th ta="right">{t('stats.calls')}</Table.Th>
                <Table.Th ta="right">{t('stats.reached')}</Table.Th>
                <Table.Th ta="right">{t('stats.reachRate')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((c) => (
                <Table.Tr key={c.callerId ?? 'none'} data-testid="caller-row">
                  <Table.Td>{c.name ?? t('dashboard.unknownCaller')}</Table.Td>
                  <Table.Td ta="right">{n(c.calls)}</Table.Td>
                  <Table.Td ta="right">{n(c.reached)}</Table.Td>
                  <Table.Td ta="right">{formatShare(rate(c.reached, c.calls), i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <NoData />
      )}
    </ChartCard>
  );
}

/** Per question: the answer distribution as a bar chart with its table beside it. */
export function ByQuestionCards({ stats }: { stats: Stats }) {
  const { t, i18n } = useTranslation('campaigns');
  const n = (v: number) => formatNumber(v, i18n.language);
  const label = (value: string) =>
    value === 'true' ? t('calls:caller.yes') : value === 'false' ? t('calls:caller.no') : value;
  if (!stats.byQuestion.length) return null;
  return (
    <Stack gap="lg" data-testid="by-question">
      {stats.byQuestion.map((q) => {
        const data = orderAnswers(q.type, q.answers).map((a) => ({ answer: label(a.value), count: a.count }));
        return (
          <ChartCard
            key={q.questionId}
            title={q.text}
            hint={`${t(q.regional ? 'dashboard.regionalQuestion' : 'dashboard.nationalQuestion')} · ${t('dashboard.answered', { count: q.answered })}`}
            testId={`question-${q.questionId}`}
          >
            {q.type === 'free_text' ? (
              <Text size="sm" c="dimmed">
                {t('dashboard.freeText')}
              </Text>
            ) : data.length && q.answered > 0 ? (
              <Grid align="center">
                <Grid.Col span={{ base: 12, md: 7 }}>
                  <BarChart
                    h={Math.max(140, data.length * 40)}
                    data={data}
                    dataKey="answer"
                    orientation="vertical"
                    yAxisProps={{ width: 130 }}
                    series={[{ name: 'count', label: t('dashboard.answers'), color: 'violet.5' }]}
                    valueFormatter={n}
                  />
                </Grid.Col>
                <Grid.Col span={{ base: 12, md: 5 }}>
                  <ShareTable
                    headers={[t('dashboard.answer'), t('dashboard.count')]}
                    total={q.answered}
                    rows={data.map((a) => ({ key: a.answer, label: a.answer, count: a.count }))}
                  />
                </Grid.Col>
              </Grid>
            ) : (
              <NoData />
            )}
          </ChartCard>
        );
      })}
    </Stack>
  );
}

/** Yes before no, scale values in numeric order, choices as the server sends them. */
function orderAnswers<T extends { value: string }>(type: string, answers: T[]): T[] {
  if (type === 'yes_no')
    return [...answers].sort((a, b) => Number(b.value === 'true') - Number(a.value === 'true'));
  if (type === 'scale') return [...answers].sort((a, b) => Number(a.value) - Number(b.value));
  return answers;
}
