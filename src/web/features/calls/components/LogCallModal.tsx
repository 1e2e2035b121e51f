import { Alert, Button, Group, Loader, Modal, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { type TargetMatch, useTargetSearch } from '../api.ts';

/**
 * "Log a call": someone called back on their own. Find them among the assignment's targets and
 * claim them; a call the caller holds right now is skipped first (after asking).
 */
export function LogCallModal({
  assignmentId,
  opened,
  currentName,
  busy,
  onClose,
  onChoose,
}: {
  assignmentId: string;
  opened: boolean;
  /** The person of the call held right now, if any: it is skipped before the new claim. */
  currentName: string | null;
  busy: boolean;
  onClose: () => void;
  onChoose: (personId: string) => void;
}) {
  const { t } = useTranslation('calls');
  const phone = useMediaQuery('(max-width: 36em)');
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 300);
  const [chosen, setChosen] = useState<TargetMatch | null>(null);
  const search = useTargetSearch(assignmentId, debounced);
  const term = debounced.trim();
  const items = search.data?.items ?? [];

  const close = () => {
    setQ('');
    setChosen(null);
    onClose();
  };
  const choose = (match: TargetMatch) => {
    if (currentName !== null) setChosen(match);
    else onChoose(match.id);
  };

  return (
    <Modal opened={opened} onClose={close} title={t('caller.logCall.title')} fullScreen={phone} size="lg">
      {chosen ? (
        <Stack gap="md" data-testid="log-call-confirm">
          <Text>
            {t('caller.logCall.skipCurrent', {
              current: currentName || t('caller.unnamed'),
              name: chosen.name,
            })}
          </Text>
          <Group grow>
            <Button variant="default" size="lg" onClick={() => setChosen(null)}>
              {t('caller.logCall.cancel')}
            </Button>
            <Button
              size="lg"
              loading={busy}
              onClick={() => onChoose(chosen.id)}
              data-testid="log-call-skip-current"
            >
              {t('caller.logCall.skipAndLog')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('caller.logCall.text')}
          </Text>
          <TextInput
            size="lg"
            label={t('caller.logCall.search')}
            placeholder={t('caller.logCall.placeholder')}
            leftSection={<IconSearch size={18} aria-hidden />}
            rightSection={search.isFetching ? <Loader size="xs" /> : null}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            data-autofocus
            autoComplete="off"
            data-testid="log-call-search"
          />
          <ErrorAlert error={search.error} />
          {term.length < 2 ? (
            <Text size="sm" c="dimmed">
              {t('caller.logCall.minChars')}
            </Text>
          ) : search.isSuccess && items.length === 0 ? (
            <Alert color="gray">{t('caller.logCall.none')}</Alert>
          ) : (
            <Stack gap={6} role="list" aria-label={t('caller.logCall.results')}>
              {items.map((m) => (
                <UnstyledButton
                  key={m.id}
                  role="listitem"
                  onClick={() => choose(m)}
                  disabled={busy}
                  data-testid={`log-call-result-${m.id}`}
                  p="md"
                  style={{
                    border: '1px solid var(--mantine-color-default-border)',
                    borderRadius: 'var(--mantine-radius-md)',
                  }}
                >
                  <Group justify="space-between" wrap="nowrap">
                    <Text fw={600}>{m.name || t('caller.unnamed')}</Text>
                    {m.postalCode && (
                      <Text c="dimmed" size="sm">
                        {m.postalCode}
                      </Text>
                    )}
                  </Group>
                </UnstyledButton>
              ))}
            </Stack>
          )}
        </Stack>
      )}
    </Modal>
  );
}
