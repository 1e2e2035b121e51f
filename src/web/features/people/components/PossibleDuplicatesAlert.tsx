import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconCopy } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { DuplicateCheckMatch } from '../../duplicates/api.ts';
import { fullName } from '../format.ts';

/**
 * Shown by the create form when the duplicate check found people with the same email, phone or
 * name: each can be opened instead, or the new person saved anyway.
 */
export function PossibleDuplicatesAlert({
  matches,
  onOpen,
  onSaveAnyway,
  saving,
}: {
  matches: DuplicateCheckMatch[];
  onOpen: (id: string) => void;
  onSaveAnyway: () => void;
  saving: boolean;
}) {
  const { t } = useTranslation('people');
  const ref = useRef<HTMLDivElement>(null);
  // The warning appears at the end of a long form: bring it into view (phones, small windows).
  // Braces: newer browsers return a promise from scrollIntoView, which React would take as cleanup.
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, []);
  return (
    <Alert
      ref={ref}
      color="yellow"
      variant="light"
      icon={<IconCopy size={20} aria-hidden />}
      title={t('create.duplicates.title', { count: matches.length })}
      data-testid="possible-duplicates"
    >
      <Stack gap="sm">
        <Text size="sm">{t('create.duplicates.text')}</Text>
        {matches.map((m) => (
          <Group
            key={m.id}
            justify="space-between"
            wrap="wrap"
            gap="xs"
            p="xs"
            bg="white"
            style={{ borderRadius: 'var(--mantine-radius-sm)' }}
            data-testid="possible-duplicate"
          >
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Text fw={600}>{fullName(m)}</Text>
              <Text size="sm" c="dimmed">
                {[m.orgName, [m.postalCode, m.city].filter(Boolean).join(' ')].filter(Boolean).join(' · ')}
              </Text>
              <Text size="sm">
                {t('create.duplicates.same', {
                  what: m.reasons.map((r) => t(`create.duplicates.reasons.${r}`)).join(', '),
                })}
              </Text>
            </Stack>
            <Button
              size="sm"
              variant="light"
              onClick={() => onOpen(m.id)}
              data-testid="possible-duplicate-open"
            >
              {t('create.duplicates.open')}
            </Button>
          </Group>
        ))}
        <Group justify="flex-end">
          <Button
            variant="default"
            onClick={onSaveAnyway}
            loading={saving}
            data-testid="person-create-anyway"
          >
            {t('create.duplicates.saveAnyway')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
