import { Group, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type CallingHours, WEEKDAYS } from '../../../../shared/calls.ts';

/** One calling window per weekday (or closed), with label and hint. */
export function CallingHoursInput({
  value,
  onChange,
}: {
  value: CallingHours;
  onChange: (value: CallingHours) => void;
}) {
  const { t } = useTranslation('calls');
  return (
    <Stack gap="xs">
      <Stack gap={2}>
        <Text size="sm" fw={500}>
          {t('editor.callingHours')}
        </Text>
        <Text size="xs" c="dimmed">
          {t('editor.callingHoursHint')}
        </Text>
      </Stack>
      {WEEKDAYS.map((day) => {
        const window = value[day]?.[0];
        const setDay = (w: { from: string; to: string } | null) =>
          onChange({ ...value, [day]: w ? [w] : [] });
        return (
          <Group key={day} gap="sm" wrap="nowrap" data-testid={`hours-${day}`}>
            <Switch
              w={130}
              label={t(`weekdays.${day}`)}
              checked={Boolean(window)}
              onChange={(e) => setDay(e.currentTarget.checked ? { from: '10:00', to: '20:30' } : null)}
            />
            {window ? (
              <>
                <TextInput
                  type="time"
                  aria-label={t('editor.from', { day: t(`weekdays.${day}`) })}
                  value={window.from}
                  onChange={(e) => setDay({ ...window, from: e.currentTarget.value })}
                  w={140}
                />
                <Text size="sm">–</Text>
                <TextInput
                  type="time"
                  aria-label={t('editor.to', { day: t(`weekdays.${day}`) })}
                  value={window.to}
                  onChange={(e) => setDay({ ...window, to: e.currentTarget.value })}
                  w={140}
                />
              </>
            ) : (
              <Text size="sm" c="dimmed">
                {t('editor.closed')}
              </Text>
            )}
          </Group>
        );
      })}
    </Stack>
  );
}
