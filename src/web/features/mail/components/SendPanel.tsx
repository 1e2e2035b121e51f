import { Alert, Button, Group, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { IconCalendarTime, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { DateTimeField } from '../../../components/DateFields.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { type Mailing, useReach, useSendMailing, useUpdateMailing } from '../api.ts';
import { MailingErrorAlert } from './MailingErrorAlert.tsx';
import { formatCount } from './status.ts';

/** "YYYY-MM-DDTHH:mm" of a Date in local time. */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * Send now or at a set time. The confirmation names how many people it will reach; a draft with
 * changes not saved yet is saved first (`beforeSend`).
 */
export function SendPanel({
  mailing,
  beforeSend,
  blocked: blockedByDraft,
  unreachable,
}: {
  mailing: Mailing;
  /** Saves the draft; resolves false when that failed (then nothing is sent). */
  beforeSend: () => Promise<boolean>;
  /** Why sending can't start yet (nothing to send), or null. */
  blocked: string | null;
  /** Said instead of offering to send when nobody is reachable. */
  unreachable: string;
}) {
  const { t, i18n } = useTranslation('mail');
  const reach = useReach(mailing.id);
  const send = useSendMailing(mailing.id);
  const unschedule = useUpdateMailing(mailing.id);
  const [when, setWhen] = useState<'now' | 'later'>('now');
  const [at, setAt] = useState('');
  const [confirming, setConfirming] = useState(false);
  const reachable = reach.data?.reachable ?? 0;
  const blocked = blockedByDraft ?? (reach.data && reachable === 0 ? unreachable : null);
  const atIso = at ? new Date(at).toISOString() : undefined;
  const atValid = when === 'now' || (atIso !== undefined && new Date(at).getTime() > Date.now());

  return (
    <Paper withBorder radius="md" p="lg" data-testid="send-panel">
      <Stack gap="sm">
        <Title order={2} fz="lg">
          {t('send.title')}
        </Title>
        {mailing.status === 'scheduled' && mailing.scheduledAt && (
          <Alert color="violet" variant="light" icon={<IconCalendarTime size={18} aria-hidden />}>
            <Stack gap="xs" align="flex-start">
              <span data-testid="scheduled-for">
                {t('send.scheduledFor', { at: formatDateTime(mailing.scheduledAt, i18n.language) })}
              </span>
              <Button
                size="xs"
                variant="white"
                color="violet"
                loading={unschedule.isPending}
                onClick={() =>
                  unschedule.mutate({}, { onSuccess: () => notifySuccess(t('send.unscheduled')) })
                }
                data-testid="unschedule"
              >
                {t('send.unschedule')}
              </Button>
            </Stack>
          </Alert>
        )}
        <SegmentedControl
          fullWidth
          value={when}
          onChange={(v) => setWhen(v as 'now' | 'later')}
          data={[
            { value: 'now', label: t('send.now') },
            { value: 'later', label: t('send.later') },
          ]}
          aria-label={t('send.when')}
          data-testid="send-when"
        />
        {when === 'later' && (
          <DateTimeField
            label={t('send.at')}
            value={at}
            onChange={setAt}
            min={localInput(new Date())}
            data-testid="send-at"
            error={at && !atValid ? t('send.atInPast') : undefined}
          />
        )}
        {blocked && (
          <Text size="sm" c="dimmed">
            {blocked}
          </Text>
        )}
        <Group justify="flex-end">
          <Button
            leftSection={
              when === 'now' ? <IconSend size={18} aria-hidden /> : <IconCalendarTime size={18} aria-hidden />
            }
            disabled={Boolean(blocked) || !atValid || reach.isPending}
            onClick={async () => {
              send.reset();
              if (await beforeSend()) setConfirming(true);
            }}
            data-testid="send-open"
          >
            {when === 'now' ? t('send.sendNow') : t('send.schedule')}
          </Button>
        </Group>
        {!confirming && <MailingErrorAlert error={send.error} orgId={mailing.orgId} />}
      </Stack>
      <ConfirmModal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={when === 'now' ? t('send.confirmNowTitle') : t('send.confirmLaterTitle')}
        confirmLabel={when === 'now' ? t('send.confirmNow') : t('send.confirmLater')}
        color="blue"
        loading={send.isPending}
        onConfirm={() =>
          send.mutate(when === 'later' ? atIso : undefined, {
            onSuccess: () => {
              setConfirming(false);
              notifySuccess(when === 'now' ? t('send.started') : t('send.scheduled'));
            },
            onError: () => setConfirming(false),
          })
        }
      >
        <Stack gap="xs">
          <Text data-testid="send-confirm-text">
            {t(when === 'now' ? 'send.confirmNowText' : 'send.confirmLaterText', {
              count: reachable,
              n: formatCount(reachable, i18n.language),
              subject: mailing.subject,
              at: atIso ? formatDateTime(atIso, i18n.language) : '',
            })}
          </Text>
          <Text size="sm" c="dimmed">
            {t('send.confirmHint')}
          </Text>
        </Stack>
      </ConfirmModal>
    </Paper>
  );
}
