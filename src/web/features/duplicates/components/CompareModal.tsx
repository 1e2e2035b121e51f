import { Anchor, Badge, Button, Group, List, Modal, Radio, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { MERGE_FIELDS, type MergeField } from '../../../../shared/duplicates.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { notifyError, notifySuccess } from '../../../components/notify.ts';
import { formatDate } from '../../../lib/format.ts';
import { type Candidate, type Summary, useDismiss, useMerge } from '../api.ts';
import { defaultSide, differingFields, mergeRequest, type Side } from './merge-choice.ts';
import { personName, ScoreBadge } from './parts.tsx';

const DATE_FIELDS = new Set<MergeField>(['birthDate', 'joinedOn', 'leftOn']);
const FLAG_FIELDS = new Set<MergeField>(['doNotCall', 'doNotEmail', 'doNotPost']);

function formatPlainDate(iso: string, locale: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'de-DE', {
    dateStyle: 'medium',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

export function CompareModal({
  candidate,
  mayWrite,
  onClose,
}: {
  candidate: Candidate;
  mayWrite: boolean;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('duplicates');
  const { a, b } = candidate;
  const [keep, setKeep] = useState<Side>('a');
  const [choice, setChoice] = useState<Partial<Record<MergeField, Side>>>({});
  const [confirming, setConfirming] = useState(false);
  const merge = useMerge();
  const dismiss = useDismiss();
  const people = { a, b };
  const differing = new Set(differingFields(a, b));

  const show = (field: MergeField, p: Summary): string => {
    const value = p[field];
    if (FLAG_FIELDS.has(field)) return value ? t('compare.yes') : t('compare.no');
    if (value === null || value === undefined || value === '') return t('compare.empty');
    if (field === 'membershipStatus') return t(`statuses.${value}`);
    if (DATE_FIELDS.has(field)) return formatPlainDate(String(value), i18n.language);
    return String(value);
  };
  const sideOf = (field: MergeField): Side => choice[field] ?? defaultSide(field, keep, a, b);
  // Rows worth reading: differing values, and shared ones that say something (no empty or "no").
  const shownFields = MERGE_FIELDS.filter(
    (f) => differing.has(f) || (FLAG_FIELDS.has(f) ? Boolean(a[f]) : show(f, a) !== t('compare.empty')),
  );
  const narrow = useMediaQuery('(max-width: 48em)');
  const request = mergeRequest(a, b, keep, choice);
  const kept = people[keep];
  const other = people[keep === 'a' ? 'b' : 'a'];
  const keptMemberNumber = people[sideOf('memberNumber')].memberNumber;
  const droppedMemberNumbers = [a.memberNumber, b.memberNumber].filter((n) => n && n !== keptMemberNumber);

  const doMerge = () =>
    merge.mutate(request, {
      onSuccess: (person) => {
        notifySuccess(t('compare.merged', { name: personName(person) }));
        setConfirming(false);
        onClose();
      },
    });
  const doDismiss = () =>
    dismiss.mutate(candidate.id, {
      onSuccess: () => {
        notifySuccess(t('compare.dismissed'));
        onClose();
      },
      onError: (error) => notifyError(t, error),
    });

  const listCell = (items: string[]) =>
    items.length ? (
      <List size="sm" listStyleType="none" spacing={2}>
        {items.map((x) => (
          <List.Item key={x}>{x}</List.Item>
        ))}
      </List>
    ) : (
      <Text size="sm" c="dimmed">
        {t('compare.empty')}
      </Text>
    );

  return (
    <>
      <Modal
        opened={!confirming}
        onClose={onClose}
        title={t('compare.title')}
        size="xl"
        fullScreen={narrow}
        centered
        data-testid="compare-modal"
      >
        <Stack gap="md">
          <Group gap="sm" wrap="wrap">
            <ScoreBadge score={candidate.score} />
            {candidate.reasons.map((r) => (
              <Badge key={r} variant="light" color="gray" radius="sm" tt="none">
                {t(`reasons.${r}`)}
              </Badge>
            ))}
          </Group>
          {mayWrite && candidate.status === 'open' && (
            <Text size="sm" c="dimmed">
              {t('compare.intro')}
            </Text>
          )}
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing={6} withColumnBorders data-testid="compare-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w="22%">{t('compare.field')}</Table.Th>
                  {(['a', 'b'] as const).map((side) => (
                    <Table.Th key={side} w="39%">
                      <Stack gap={4}>
                        <Group gap="xs" justify="space-between" wrap="nowrap">
                          <Text fw={700}>{personName(people[side])}</Text>
                          <Anchor
                            component={Link}
                            to={`/people/${people[side].id}`}
                            size="xs"
                            target="_blank"
                          >
                            {t('compare.openProfile')}
                          </Anchor>
                        </Group>
                        {mayWrite && candidate.status === 'open' && (
                          <Radio
                            name="keep"
                            value={side}
                            checked={keep === side}
                            onChange={() => setKeep(side)}
                            label={t('compare.keep')}
                            data-testid={`keep-${side}`}
                          />
                        )}
                      </Stack>
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shownFields.map((field) => {
                  const differs = differing.has(field);
                  return (
                    <Table.Tr key={field} bg={differs ? 'yellow.0' : undefined} data-testid={`row-${field}`}>
                      <Table.Td fw={500}>
                        {t(`fields.${field}`)}
                        {!differs && (
                          <Text span size="xs" c="dimmed" ml={6}>
                            ({t('compare.same')})
                          </Text>
                        )}
                      </Table.Td>
                      {(['a', 'b'] as const).map((side) => (
                        <Table.Td key={side}>
                          {differs && mayWrite && candidate.status === 'open' ? (
                            <Radio
                              name={`field-${field}`}
                              value={side}
                              checked={sideOf(field) === side}
                              onChange={() => setChoice((c) => ({ ...c, [field]: side }))}
                              label={show(field, people[side])}
                              aria-label={t('compare.chooseValue', {
                                field: t(`fields.${field}`),
                                person: personName(people[side]),
                              })}
                              data-testid={`choose-${field}-${side}`}
                            />
                          ) : (
                            <Text size="sm">{show(field, people[side])}</Text>
                          )}
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  );
                })}
                <Table.Tr>
                  <Table.Td fw={500}>
                    {t('fields.org')}
                    <Text size="xs" c="dimmed">
                      {t('compare.orgHint')}
                    </Text>
                  </Table.Td>
                  <Table.Td>{a.orgName}</Table.Td>
                  <Table.Td>{b.orgName}</Table.Td>
                </Table.Tr>
                {(
                  [
                    ['emails', (p: Summary) => p.emails.map((e) => e.email)],
                    ['phones', (p: Summary) => p.phones.map((x) => x.raw)],
                    ['tags', (p: Summary) => p.tags.map((x) => x.name)],
                  ] as const
                ).map(([field, values]) => (
                  <Table.Tr key={field}>
                    <Table.Td fw={500}>
                      {t(`fields.${field}`)}
                      <Text size="xs" c="dimmed">
                        {t('compare.allKept')}
                      </Text>
                    </Table.Td>
                    <Table.Td>{listCell(values(a))}</Table.Td>
                    <Table.Td>{listCell(values(b))}</Table.Td>
                  </Table.Tr>
                ))}
                <Table.Tr>
                  <Table.Td fw={500}>{t('fields.source')}</Table.Td>
                  {[a, b].map((p) => (
                    <Table.Td key={p.id}>
                      <Text size="sm">
                        {t(`sources.${p.source}`, { defaultValue: p.source })} ·{' '}
                        {formatDate(p.createdAt, i18n.language)}
                      </Text>
                    </Table.Td>
                  ))}
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <ErrorAlert error={dismiss.error} />
          {mayWrite && candidate.status === 'open' && (
            <Group justify="flex-end">
              <Button variant="default" onClick={doDismiss} loading={dismiss.isPending} data-testid="dismiss">
                {t('compare.dismiss')}
              </Button>
              <Button onClick={() => setConfirming(true)} data-testid="merge-open">
                {t('compare.merge')}
              </Button>
            </Group>
          )}
        </Stack>
      </Modal>
      <ConfirmModal
        opened={confirming}
        title={t('confirm.title')}
        confirmLabel={t('confirm.submit')}
        color="red"
        loading={merge.isPending}
        error={merge.error}
        onConfirm={doMerge}
        onClose={() => setConfirming(false)}
      >
        <Stack gap="xs">
          <Text fw={600}>{t('confirm.text', { other: personName(other), keep: personName(kept) })}</Text>
          <Text size="sm">{t('confirm.kept')}</Text>
          <Text size="sm">{t('confirm.lost', { other: personName(other), keep: personName(kept) })}</Text>
          {droppedMemberNumbers.length > 0 && (
            <Text size="sm">{t('confirm.memberNumber', { dropped: droppedMemberNumbers.join(', ') })}</Text>
          )}
          <Text size="sm" fw={600} c="red">
            {t('confirm.irreversible')}
          </Text>
        </Stack>
      </ConfirmModal>
    </>
  );
}
