import { Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import type { ReactNode } from 'react';

/** Says that there is nothing yet and what to do next. */
export function EmptyState({
  icon,
  title,
  text,
  action,
}: {
  icon?: ReactNode;
  title: string;
  text?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <Paper withBorder radius="md" p="xl" data-testid="empty-state">
      <Stack align="center" gap="xs" ta="center">
        {icon && (
          <ThemeIcon size={48} radius="xl" variant="light">
            {icon}
          </ThemeIcon>
        )}
        <Text fw={600}>{title}</Text>
        {text && (
          <Text c="dimmed" size="sm" maw={460}>
            {text}
          </Text>
        )}
        {action}
      </Stack>
    </Paper>
  );
}
