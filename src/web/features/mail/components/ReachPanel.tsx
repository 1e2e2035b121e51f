import {
  Anchor,
  Button,
  Drawer,
  Group,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { IconArrowDown } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { REACH_EXCLUSIONS } from '../../../../shared/mailings.ts';
import { DataTable } from '../../../components/DataTable.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { type MailingReach, type ReachReason, useReach, useReachPeople } from '../api.ts';
import { formatCount } from './status.ts';

/** Units listed before "all units" is pressed. */
const UNITS_SHOWN = 5;

/** A number that opens the people behind it, when the user may see them. */
function CountButton({
  value,
  label,
  onOpen,
  testId,
  strong,
}: {
  value: number;
  label: string;
  onOpen?: () => void;
  testId: string;
  strong?: boolean;
}) {
  const { i18n } = useTranslation();
  const text = (
    <Text span fw={strong ? 700 : 600} fz={strong ? 'xl' : undefined} data-testid={testId} data-value={value}>
      {formatCount(value, i18n.language)}
    </Text>
  );
  if (!onOpen || value === 0) return text;
  return (
    <UnstyledButton
      onClick={onOpen}
      aria-label={label}
      className="reach-count"
      style={{ textDecoration: 'underline dotted', textUnderlineOffset: 3, borderRadius: 4 }}
    >
      {text}
    </UnstyledButton>
  );
}

function FunnelStep({ count, children }: { count: ReactNode; children: ReactNode }) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="xs">
      <Text size="sm">{children}</Text>
      {count}
    </Group>
  );
}

/**
 * The reach overview: list → with an email address → reachable, every exclusion counted, the
 * same by unit; each number opens the people behind it (for those with `people:read`).
 */
export function ReachPanel({
  mailingId,
  queryId,
  canSeePeople,
  stale,
}: {
  mailingId: string;
  queryId: string | null;
  canSeePeople: boolean;
  /** The draft has changes the numbers don't reflect yet. */
  stale?: boolean;
}) {
  const { t } = useTranslation('mail');
  const reach = useReach(mailingId);
  const [open, setOpen] = useState<{ reason: ReachReason; orgId?: string; title: string } | null>(null);
  const opener = (reason: ReachReason, title: string, orgId?: string) =>
    canSeePeople ? () => setOpen({ reason, orgId, title }) : undefined;

  return (
    <Paper withBorder radius="md" p="lg" data-testid="reach-panel">
      <Stack gap="sm">
        <Title order={2} fz="lg">
          {t('reach.title')}
        </Title>
        {stale && (
          <Text size="xs" c="orange.8">
            {t('reach.stale')}
          </Text>
        )}
        <ErrorAlert error={reach.error ?? undefined} />
        {reach.isPending ? (
          <Skeleton h={220} />
        ) : (
          reach.data && <ReachNumbers reach={reach.data} queryId={queryId} opener={opener} />
        )}
      </Stack>
      <Drawer
        opened={Boolean(open)}
        onClose={() => setOpen(null)}
        position="right"
        size="lg"
        title={open?.title}
        closeButtonProps={{ 'aria-label': t('common:actions.close') }}
      >
        {open && <ReachPeople mailingId={mailingId} reason={open.reason} orgId={open.orgId} />}
      </Drawer>
    </Paper>
  );
}

function ReachNumbers({
  reach: r,
  queryId,
  opener,
}: {
  reach: MailingReach;
  queryId: string | null;
  opener: (reason: ReachReason, title: string, orgId?: string) => (() => void) | undefined;
}) {
  const { t, i18n } = useTranslation('mail');
  const [allUnits, setAllUnits] = useState(false);
  const n = (v: number) => formatCount(v, i18n.language);
  const withEmail = r.total - r.excluded.noEmail;
  return (
    <Stack gap="sm">
      <Stack gap={4} data-testid="reach-funnel">
        <FunnelStep count={<CountButton value={r.total} label="" testId="reach-total" />}>
          {queryId ? (
            <Anchor component={Link} to={`/lists/${queryId}`} size="sm">
              {t('reach.inList')}
            </Anchor>
          ) : (
            t('reach.inList')
          )}
        </FunnelStep>
        <IconArrowDown size={14} color="var(--mantine-color-gray-5)" aria-hidden />
        <FunnelStep count={<CountButton value={withEmail} label="" testId="reach-with-email" />}>
          {t('reach.withEmail')}
        </FunnelStep>
        <IconArrowDown size={14} color="var(--mantine-color-gray-5)" aria-hidden />
        <FunnelStep
          count={
            <CountButton
              value={r.reachable}
              strong
              label={t('reach.showPeople', {
                what: t('reach.reachable'),
                count: r.reachable,
                n: n(r.reachable),
              })}
              onOpen={opener('reachable', t('reach.reachable'))}
              testId="reach-reachable"
            />
          }
        >
          <Text span fw={700}>
            {t('reach.reachable')}
          </Text>
        </FunnelStep>
      </Stack>
      <Table withRowBorders={false} verticalSpacing={2} data-testid="reach-exclusions">
        <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>
          <Text size="sm" fw={600}>
            {t('reach.excludedTitle')}
          </Text>
        </Table.Caption>
        <Table.Tbody>
          {REACH_EXCLUSIONS.map((reason) => (
            <Table.Tr key={reason} c={r.excluded[reason] === 0 ? 'dimmed' : undefined}>
              <Table.Td fz="sm" pl={0}>
                {t(`reach.reasons.${reason}`)}
              </Table.Td>
              <Table.Td ta="right" pr={0}>
                <CountButton
                  value={r.excluded[reason]}
                  label={t('reach.showPeople', {
                    what: t(`reach.reasons.${reason}`),
                    count: r.excluded[reason],
                    n: n(r.excluded[reason]),
                  })}
                  onOpen={opener(reason, t(`reach.reasons.${reason}`))}
                  testId={`reach-excluded-${reason}`}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {r.byOrg.length > 0 && (
        <Table verticalSpacing={4} data-testid="reach-by-org">
          <Table.Thead>
            <Table.Tr>
              <Table.Th pl={0}>{t('reach.unit')}</Table.Th>
              <Table.Th ta="right">{t('reach.colTotal')}</Table.Th>
              <Table.Th ta="right" pr={0}>
                {t('reach.colReachable')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(allUnits ? r.byOrg : r.byOrg.slice(0, UNITS_SHOWN)).map((o) => (
              <Table.Tr key={o.orgId}>
                <Table.Td fz="sm" pl={0}>
                  {o.orgName}
                </Table.Td>
                <Table.Td ta="right" fz="sm">
                  {n(o.total)}
                </Table.Td>
                <Table.Td ta="right" pr={0}>
                  <CountButton
                    value={o.reachable}
                    label={t('reach.showPeople', {
                      what: `${t('reach.reachable')} · ${o.orgName}`,
                      count: o.reachable,
                      n: n(o.reachable),
                    })}
                    onOpen={opener('reachable', `${t('reach.reachable')} · ${o.orgName}`, o.orgId)}
                    testId="reach-org-reachable"
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {r.byOrg.length > UNITS_SHOWN && (
        <Button
          variant="subtle"
          size="xs"
          onClick={() => setAllUnits((v) => !v)}
          data-testid="reach-all-units"
        >
          {allUnits ? t('reach.fewerUnits') : t('reach.allUnits', { count: r.byOrg.length })}
        </Button>
      )}
    </Stack>
  );
}

function ReachPeople({
  mailingId,
  reason,
  orgId,
}: {
  mailingId: string;
  reason: ReachReason;
  orgId?: string;
}) {
  const { t } = useTranslation('mail');
  const people = useReachPeople(mailingId, reason, orgId);
  const rows = people.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <DataTable
      error={people.error ?? undefined}
      loading={people.isPending}
      minWidth={360}
      rows={rows}
      rowKey={(p) => p.id}
      rowProps={() => ({ 'data-testid': 'reach-person' })}
      testId="reach-people"
      more={people}
      empty={<Text c="dimmed">{t('reach.nobody')}</Text>}
      columns={[
        {
          key: 'name',
          header: t('reach.colName'),
          cell: (p) => (
            <Anchor component={Link} to={`/people/${p.id}`}>
              {`${p.firstName} ${p.lastName}`.trim() || '—'}
            </Anchor>
          ),
        },
        { key: 'unit', header: t('reach.unit'), cell: (p) => p.orgName },
      ]}
    />
  );
}
