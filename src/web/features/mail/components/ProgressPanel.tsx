import {
  Alert,
  Button,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconCircleCheck,
  IconPlayerPause,
  IconPlayerPlay,
  IconX,
} from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { type Mailing, useCancelMailing, usePauseMailing, useProgress, useResumeMailing } from '../api.ts';
import { formatCount, formatTime } from './status.ts';

function Figure({
  label,
  value,
  color,
  testId,
}: {
  label: string;
  value: string;
  color?: string;
  testId: string;
}) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fz="xl" fw={700} c={color} data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

/**
 * Why the mailing paused: by hand (no reason), the mail server down (`smtp_unavailable: …`, it
 * resumes by itself), or a scheduled start that was refused (the refusal's reason).
 */
function pausedText(t: TFunction, reason: string | null): string {
  if (!reason) return t('progress.pausedReasons.manual');
  const key = reason.split(':')[0].trim();
  return t(`progress.pausedReasons.${key}`, {
    defaultValue: t(`common:errors.reasons.${key}`, { defaultValue: reason }),
  });
}

/**
 * How far the mailing got: a bar (sent / failed / remaining), rate and expected end while it goes
 * out (polled every 2 s), the reason when it paused, and pause / resume / cancel.
 */
export function ProgressPanel({ mailing }: { mailing: Mailing }) {
  const { t, i18n } = useTranslation('mail');
  const progress = useProgress(mailing.id, mailing.status);
  const pause = usePauseMailing(mailing.id);
  const resume = useResumeMailing(mailing.id);
  const cancel = useCancelMailing(mailing.id);
  const [cancelling, setCancelling] = useState(false);
  const p = progress.data;
  if (progress.isPending) return <Skeleton h={200} />;
  if (!p) return <ErrorAlert error={progress.error} />;
  const n = (v: number) => formatCount(v, i18n.language);
  const status = p.status;
  const total = Math.max(p.total, 1);
  const done = p.sent + p.failed;
  const live = status === 'sending';
  const barLabel = t('progress.barLabel', { done: n(done), total: n(p.total) });

  return (
    <Paper withBorder radius="md" p="lg" data-testid="progress-panel" data-status={status}>
      <Stack gap="md">
        <Group gap="sm">
          {status === 'sent' && <IconCircleCheck size={26} color="var(--mantine-color-teal-7)" aria-hidden />}
          {status === 'paused' && (
            <IconPlayerPause size={26} color="var(--mantine-color-orange-7)" aria-hidden />
          )}
          <Title order={2} fz="lg">
            {t(`progress.titles.${status}`)}
          </Title>
        </Group>
        {status === 'paused' && (
          <Alert
            color="orange"
            variant="light"
            icon={<IconAlertTriangle size={18} aria-hidden />}
            title={t('progress.pausedBecause')}
            data-testid="paused-reason"
          >
            {pausedText(t, p.pausedReason ?? mailing.pausedReason)}
          </Alert>
        )}
        <Stack gap={6}>
          <Progress.Root size="xl" radius="md" data-testid="progress-bar">
            <Progress.Section
              value={(p.sent / total) * 100}
              color="teal"
              striped={live}
              animated={live}
              aria-label={`${t('progress.sent')}: ${n(p.sent)}`}
            >
              <Progress.Label>{p.sent > 0 && p.sent / total > 0.08 ? n(p.sent) : ''}</Progress.Label>
            </Progress.Section>
            <Progress.Section
              value={(p.failed / total) * 100}
              color="red"
              aria-label={`${t('progress.failed')}: ${n(p.failed)}`}
            />
          </Progress.Root>
          <Text size="sm" fw={600}>
            {barLabel}
          </Text>
        </Stack>
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
          <Figure label={t('progress.sent')} value={n(p.sent)} color="teal.8" testId="progress-sent" />
          <Figure
            label={t('progress.failed')}
            value={n(p.failed)}
            color={p.failed ? 'red.8' : undefined}
            testId="progress-failed"
          />
          <Figure label={t('progress.remaining')} value={n(p.remaining)} testId="progress-remaining" />
          <Figure label={t('progress.total')} value={n(p.total)} testId="progress-total" />
        </SimpleGrid>
        <Group gap="lg">
          {p.ratePerMinute !== null && p.ratePerMinute > 0 && (
            <Text size="sm" c="dimmed" data-testid="progress-rate">
              {t('progress.rate', { rate: n(Math.round(p.ratePerMinute)) })}
            </Text>
          )}
          {live && p.eta && (
            <Text size="sm" c="dimmed" data-testid="progress-eta">
              {t('progress.eta', { time: formatTime(p.eta, i18n.language) })}
            </Text>
          )}
          {mailing.startedAt && (
            <Text size="sm" c="dimmed">
              {t('progress.started', { at: formatDateTime(mailing.startedAt, i18n.language) })}
            </Text>
          )}
          {mailing.finishedAt && (
            <Text size="sm" c="dimmed">
              {t('progress.finished', { at: formatDateTime(mailing.finishedAt, i18n.language) })}
            </Text>
          )}
        </Group>
        <ErrorAlert error={pause.error ?? resume.error ?? undefined} />
        {(status === 'sending' || status === 'paused' || status === 'scheduled') && (
          <Group gap="sm">
            {status === 'sending' && (
              <Button
                variant="default"
                leftSection={<IconPlayerPause size={18} aria-hidden />}
                loading={pause.isPending}
                onClick={() => pause.mutate()}
                data-testid="mailing-pause"
              >
                {t('progress.pause')}
              </Button>
            )}
            {status === 'paused' && (
              <Button
                leftSection={<IconPlayerPlay size={18} aria-hidden />}
                loading={resume.isPending}
                onClick={() => resume.mutate()}
                data-testid="mailing-resume"
              >
                {t('progress.resume')}
              </Button>
            )}
            <Button
              variant="subtle"
              color="red"
              leftSection={<IconX size={18} aria-hidden />}
              onClick={() => setCancelling(true)}
              data-testid="mailing-cancel"
            >
              {t('progress.cancel')}
            </Button>
          </Group>
        )}
      </Stack>
      <ConfirmModal
        opened={cancelling}
        onClose={() => setCancelling(false)}
        title={t('progress.cancelTitle')}
        confirmLabel={t('progress.cancelConfirm')}
        loading={cancel.isPending}
        error={cancel.error}
        onConfirm={() => cancel.mutate(undefined, { onSuccess: () => setCancelling(false) })}
      >
        {t('progress.cancelText', { count: p.remaining, n: n(p.remaining) })}
      </ConfirmModal>
    </Paper>
  );
}
