import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from './FormError.tsx';

/** One card of the profile; with `onEdit` it has an edit mode with save/cancel. */
export function SectionCard({
  title,
  testId,
  actions,
  children,
}: {
  title: string;
  testId: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const headingId = `${testId}-title`;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId} data-testid={testId}>
      <Group justify="space-between" mb="sm" gap="xs" wrap="nowrap">
        <Title order={2} fz="md" id={headingId}>
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}

export function EditButton({ onClick, label }: { onClick: () => void; label: string }) {
  const { t } = useTranslation('people');
  return (
    <Button
      variant="subtle"
      size="xs"
      leftSection={<IconPencil size={14} aria-hidden />}
      onClick={onClick}
      aria-label={label}
      data-testid="edit-button"
    >
      {t('profile.edit')}
    </Button>
  );
}

/** Save/cancel row of a card in edit mode. */
export function EditFooter({
  onCancel,
  saving,
  error,
  disabled,
}: {
  onCancel: () => void;
  saving: boolean;
  error: unknown;
  disabled?: boolean;
}) {
  const { t } = useTranslation('people');
  return (
    <Stack gap="sm" mt="md">
      <FormError error={error} />
      <Group justify="flex-end" gap="xs">
        <Button variant="default" onClick={onCancel}>
          {t('common:actions.cancel')}
        </Button>
        <Button type="submit" loading={saving} disabled={disabled} data-testid="save-button">
          {t('common:actions.save')}
        </Button>
      </Group>
    </Stack>
  );
}

/** A label/value pair in a card's read mode. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children === null || children === undefined || children === '' ? '—' : children}
      </Text>
    </Stack>
  );
}
