import {
  DateInput,
  type DateInputProps,
  DateTimePicker,
  type DateTimePickerProps,
  TimePicker,
  type TimePickerProps,
} from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import { inputToIso } from '../features/people/format.ts';
import { uiLocale } from './LocalizedDatesProvider.tsx';

/**
 * Date and time inputs drawn by the app (Mantine dates) in the UI language, never the browser's
 * native pickers: those follow the browser's locale (mm/dd/yyyy, "08:30 PM" in a German UI).
 * Values stay in the wire formats: dates "YYYY-MM-DD", times "HH:mm", local date-times
 * "YYYY-MM-DDTHH:mm" (what `datetime-local` inputs gave before).
 */

const DATE_FORMAT = { de: 'DD.MM.YYYY', en: 'DD/MM/YYYY' } as const;

/** Names for the calendar's buttons; days of the neighbouring months are not shown (too faint to read). */
function calendarLabels(t: (key: string) => string) {
  return { nextLabel: t('dates.next'), previousLabel: t('dates.previous'), hideOutsideDates: true };
}

type DateFieldProps = Omit<DateInputProps, 'value' | 'onChange' | 'minDate' | 'maxDate' | 'min' | 'max'> & {
  /** "YYYY-MM-DD" or '' (empty). */
  value: string;
  onChange: (value: string) => void;
  min?: string;
  max?: string;
};

/** A typeable date with a calendar: "31.12.2026" (de) / "31/12/2026" (en); also takes ISO dates. */
export function DateField({ value, onChange, min, max, ...props }: DateFieldProps) {
  const { t, i18n } = useTranslation();
  const locale = uiLocale(i18n.language);
  return (
    <DateInput
      valueFormat={DATE_FORMAT[locale]}
      placeholder={locale === 'en' ? 'DD/MM/YYYY' : 'TT.MM.JJJJ'}
      dateParser={(text) => inputToIso(text) ?? null}
      value={value || null}
      onChange={(v) => onChange(v ?? '')}
      minDate={min || undefined}
      maxDate={max || undefined}
      clearable
      clearButtonProps={{ 'aria-label': t('dates.clear') }}
      {...calendarLabels(t)}
      {...props}
    />
  );
}

/** A 24-hour time "HH:mm" with separately labelled hour and minute fields. */
export function TimeField(
  props: Omit<TimePickerProps, 'format'> & { value: string; onChange: (value: string) => void },
) {
  const { t } = useTranslation();
  return (
    <TimePicker
      format="24h"
      hoursInputLabel={t('dates.hours')}
      minutesInputLabel={t('dates.minutes')}
      hoursPlaceholder="--"
      minutesPlaceholder="--"
      {...props}
    />
  );
}

/** "YYYY-MM-DDTHH:mm" → Mantine's "YYYY-MM-DD HH:mm:ss". */
function toPickerValue(local: string): string | null {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local.replace('T', ' ')}:00` : null;
}

type DateTimeFieldProps = Omit<DateTimePickerProps, 'value' | 'onChange' | 'minDate' | 'valueFormat'> & {
  /** Local "YYYY-MM-DDTHH:mm" or ''. */
  value: string;
  onChange: (value: string) => void;
  /** Local "YYYY-MM-DDTHH:mm": nothing earlier can be picked. */
  min?: string;
};

/** A date and time in the UI language: "31.12.2026 18:30" (de) / "31/12/2026 18:30" (en). */
export function DateTimeField({ value, onChange, min, ...props }: DateTimeFieldProps) {
  const { t, i18n } = useTranslation();
  const locale = uiLocale(i18n.language);
  return (
    <DateTimePicker
      valueFormat={`${DATE_FORMAT[locale]} HH:mm`}
      value={toPickerValue(value)}
      onChange={(v) => onChange(v ? v.slice(0, 16).replace(' ', 'T') : '')}
      minDate={min ? (toPickerValue(min) ?? undefined) : undefined}
      timePickerProps={{
        format: '24h',
        hoursInputLabel: t('dates.hours'),
        minutesInputLabel: t('dates.minutes'),
      }}
      submitButtonProps={{ 'aria-label': t('dates.apply') }}
      {...calendarLabels(t)}
      {...props}
    />
  );
}
