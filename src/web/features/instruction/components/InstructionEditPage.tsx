import { Alert, Button, Group, Paper, Skeleton, Stack, Tabs, Text, Textarea } from '@mantine/core';
import { IconAlertTriangle, IconEye, IconPencil, IconSend } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useInstruction, usePublishInstruction } from '../api.ts';
import { InstructionText } from './InstructionText.tsx';

const MIN_LENGTH = 50;

export function InstructionEditPage() {
  const { t, i18n } = useTranslation('instruction');
  const { can } = useCurrentOrg();
  const instruction = useInstruction();
  const publish = usePublishInstruction();
  const [text, setText] = useState('');
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    if (instruction.data) setText(instruction.data.text);
  }, [instruction.data]);

  if (!can('instance:manage')) return <Forbidden />;
  const unchanged = text.trim() === instruction.data?.text.trim();
  const tooShort = text.trim().length < MIN_LENGTH;

  return (
    <>
      <PageHeader
        title={t('edit.title')}
        description={
          instruction.data &&
          t('edit.current', {
            version: instruction.data.version,
            date: formatDateTime(instruction.data.createdAt, i18n.language),
          })
        }
      />
      <ErrorAlert error={instruction.error} />
      {instruction.isPending ? (
        <Skeleton h={400} />
      ) : (
        <Paper withBorder radius="md" p="md">
          <Tabs defaultValue="edit">
            <Tabs.List mb="md">
              <Tabs.Tab value="edit" leftSection={<IconPencil size={16} aria-hidden />}>
                {t('edit.tabEdit')}
              </Tabs.Tab>
              <Tabs.Tab value="preview" leftSection={<IconEye size={16} aria-hidden />}>
                {t('edit.tabPreview')}
              </Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="edit">
              <Textarea
                label={t('edit.text')}
                description={t('edit.textHint', { min: MIN_LENGTH })}
                value={text}
                onChange={(event) => setText(event.currentTarget.value)}
                autosize
                minRows={14}
                maxRows={40}
                error={tooShort && text ? t('edit.tooShort', { min: MIN_LENGTH }) : undefined}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 14 } }}
              />
            </Tabs.Panel>
            <Tabs.Panel value="preview">
              <InstructionText text={text} />
            </Tabs.Panel>
          </Tabs>
          <Stack mt="md">
            <ErrorAlert error={publish.error} />
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                {t('edit.chars', { count: text.trim().length })}
              </Text>
              <Button
                leftSection={<IconSend size={16} aria-hidden />}
                disabled={unchanged || tooShort}
                onClick={() => setConfirming(true)}
              >
                {t('edit.publish')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}
      <ConfirmModal
        opened={confirming}
        title={t('edit.confirmTitle')}
        confirmLabel={t('edit.publish')}
        color="grape"
        loading={publish.isPending}
        error={publish.error}
        onClose={() => setConfirming(false)}
        onConfirm={() =>
          publish.mutate(text.trim(), {
            onSuccess: (result) => {
              setConfirming(false);
              notifySuccess(t('edit.published', { version: result.version }));
            },
          })
        }
      >
        <Alert color="orange" icon={<IconAlertTriangle size={20} aria-hidden />}>
          {t('edit.confirmText')}
        </Alert>
      </ConfirmModal>
    </>
  );
}
