import { Button, Group, MultiSelect, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DIGEST_FREQUENCIES, type DigestFrequency } from '../../../../shared/changes.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { notifyError, notifySuccess } from '../../../components/notify.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useChangeDigest, useSaveChangeDigest } from '../../changes/api.ts';

/**
 * A unit's data-change mail (mail:configure): how often and to whom. Messages live in the
 * `changes` namespace (loaded with the org tree page).
 */
export function ChangeDigestCard({ orgId }: { orgId: string }) {
  const { t, i18n } = useTranslation('changes');
  const digest = useChangeDigest(orgId);
  const save = useSaveChangeDigest(orgId);
  const [frequency, setFrequency] = useState<DigestFrequency>('daily');
  const [recipients, setRecipients] = useState<string[]>([]);

  useEffect(() => {
    if (!digest.data) return;
    setFrequency(digest.data.frequency);
    setRecipients(digest.data.recipientUserIds);
  }, [digest.data]);

  const view = digest.data;
  const dirty =
    view &&
    (view.frequency !== frequency ||
      [...view.recipientUserIds].sort().join() !== [...recipients].sort().join());

  return (
    <Paper withBorder radius="md" p="sm" data-testid="change-digest-card">
      <Stack gap="xs">
        <Title order={3} fz="sm">
          {t('digest.title')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('digest.description')}
        </Text>
        <ErrorAlert error={digest.error} />
        {view && (
          <>
            <Select
              label={t('digest.frequency')}
              data={DIGEST_FREQUENCIES.map((f) => ({ value: f, label: t(`digest.frequencies.${f}`) }))}
              value={frequency}
              onChange={(v) => v && setFrequency(v as DigestFrequency)}
              allowDeselect={false}
              data-testid="digest-frequency"
            />
            <MultiSelect
              label={t('digest.recipients')}
              description={t('digest.recipientsHint')}
              placeholder={recipients.length ? undefined : t('digest.recipientsPlaceholder')}
              data={view.candidates.map((u) => ({
                value: u.userId,
                label: `${u.name || u.email} (${t(`common:roles.${u.role}`)}, ${u.orgName})`,
              }))}
              value={recipients}
              onChange={setRecipients}
              searchable
              clearable
              disabled={frequency === 'off'}
              data-testid="digest-recipients"
            />
            {frequency !== 'off' && (
              <Text size="xs" c={view.effectiveRecipients.length ? 'dimmed' : 'orange.8'}>
                {view.effectiveRecipients.length
                  ? t('digest.now', {
                      names: view.effectiveRecipients.map((u) => u.name || u.email).join(', '),
                    })
                  : t('digest.nobody')}
              </Text>
            )}
            <Group justify="space-between" gap="xs">
              <Text size="xs" c="dimmed">
                {view.lastDigestUntil
                  ? t('digest.lastUntil', { at: formatDateTime(view.lastDigestUntil, i18n.language) })
                  : ''}
              </Text>
              <Button
                size="xs"
                disabled={!dirty}
                loading={save.isPending}
                onClick={() =>
                  save.mutate(
                    { frequency, recipientUserIds: recipients },
                    {
                      onSuccess: () => notifySuccess(t('digest.saved')),
                      onError: (error) => notifyError(t, error),
                    },
                  )
                }
              >
                {t('digest.save')}
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Paper>
  );
}
