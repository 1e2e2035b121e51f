import { Button, Group, Paper, Text } from '@mantine/core';
import { IconDownload, IconListCheck, IconTag, IconTagOff, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** The sticky bar of actions on the selected people. */
export function PeopleBulkBar({
  count,
  mayWrite,
  mayExport,
  onTag,
  onAddToList,
  onExport,
  onClear,
}: {
  count: number;
  mayWrite: boolean;
  mayExport: boolean;
  onTag: (mode: 'add' | 'remove') => void;
  onAddToList: () => void;
  onExport: () => void;
  onClear: () => void;
}) {
  const { t } = useTranslation('people');
  return (
    <Paper
      withBorder
      radius="md"
      p="xs"
      bg="blue.0"
      data-testid="bulk-bar"
      role="region"
      aria-label={t('bulk.label')}
      style={{ position: 'sticky', top: 64, zIndex: 5 }}
    >
      <Group gap="xs" justify="space-between">
        <Text size="sm" fw={600} px="xs" aria-live="polite">
          {t('bulk.selected', { count })}
        </Text>
        <Group gap="xs">
          {mayWrite && (
            <>
              <Button
                size="xs"
                variant="white"
                leftSection={<IconTag size={16} aria-hidden />}
                onClick={() => onTag('add')}
                data-testid="bulk-tag"
              >
                {t('bulk.tag')}
              </Button>
              <Button
                size="xs"
                variant="white"
                leftSection={<IconTagOff size={16} aria-hidden />}
                onClick={() => onTag('remove')}
                data-testid="bulk-untag"
              >
                {t('bulk.untag')}
              </Button>
              <Button
                size="xs"
                variant="white"
                leftSection={<IconListCheck size={16} aria-hidden />}
                onClick={onAddToList}
                data-testid="bulk-add-to-list"
              >
                {t('bulk.addToList')}
              </Button>
            </>
          )}
          {mayExport && (
            <Button
              size="xs"
              variant="white"
              leftSection={<IconDownload size={16} aria-hidden />}
              onClick={onExport}
              data-testid="bulk-export"
            >
              {t('bulk.export')}
            </Button>
          )}
          <Button size="xs" variant="subtle" leftSection={<IconX size={16} aria-hidden />} onClick={onClear}>
            {t('bulk.clear')}
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
