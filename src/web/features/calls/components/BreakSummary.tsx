import { Button, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconPlayerPlay } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useMyCallStats } from '../api.ts';

/** "Take a break": what this session brought (since `since`), and a way back. */
export function BreakSummary({
  assignmentId,
  since,
  pending,
  onContinue,
}: {
  assignmentId: string;
  since: string;
  pending: number;
  onContinue: () => void;
}) {
  const { t, i18n } = useTranslation('calls');
  const stats = useMyCallStats(assignmentId, since);
  const figures = stats.data
    ? [
        { key: 'calls', value: stats.data.calls },
        { key: 'reached', value: stats.data.reached },
        { key: 'signUps', value: stats.data.eventSignUps + stats.data.newsletter },
      ]
    : null;
  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'xl' }} mt="md" data-testid="break-summary">
      <Stack gap="md">
        <Title order={2} fz={{ base: 20, sm: 24 }}>
          {t('caller.break.title')}
        </Title>
        <Text c="dimmed">{t('caller.break.text')}</Text>
        <ErrorAlert error={stats.error} />
        <SimpleGrid cols={3} spacing="xs">
          {(figures ?? [{ key: 'calls' }, { key: 'reached' }, { key: 'signUps' }]).map((f) => (
            <Paper
              key={f.key}
              bg="var(--mantine-color-default-hover)"
              radius="md"
              p={{ base: 6, sm: 'sm' }}
              ta="center"
              miw={0}
            >
              <Text fz={{ base: 28, sm: 32 }} fw={800} lh={1.1} data-testid={`break-${f.key}`}>
                {'value' in f ? f.value : '–'}
              </Text>
              {/* Long words ("Anmeldungen") break with a hyphen instead of running out of the tile. */}
              <Text
                fz={{ base: 'xs', sm: 'sm' }}
                c="dimmed"
                lang={i18n.language}
                style={{ hyphens: 'auto', overflowWrap: 'anywhere' }}
              >
                {t(`caller.break.${f.key}`, { count: 'value' in f ? f.value : 0 })}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
        {pending > 0 && (
          <Text size="sm" c="orange.8">
            {t('caller.break.pending', { count: pending })}
          </Text>
        )}
        <Button
          size="xl"
          h={64}
          leftSection={<IconPlayerPlay size={24} aria-hidden />}
          onClick={onContinue}
          data-testid="break-continue"
          fullWidth
        >
          {t('caller.break.continue')}
        </Button>
      </Stack>
    </Paper>
  );
}
