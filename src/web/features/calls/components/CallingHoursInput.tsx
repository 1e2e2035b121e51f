import { Group, Stack, Switch, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type CallingHours, WEEKDAYS } from '../../../../shared/calls.ts';
import { TimeField } from '../../../components/DateFields.tsx';

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
                <TimeField
                  aria-label={t('editor.from', { day: t(`weekdays.${day}`) })}
                  value={window.from}
                  onChange={(from) => setDay({ ...window, from })}
                  w={110}
                />
                <Text size="sm">–</Text>
                <TimeField
                  aria-label={t('editor.to', { day: t(`weekdays.${day}`) })}
                  value={window.to}
                  onChange={(to) => setDay({ ...window, to })}
                  w={110}
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
