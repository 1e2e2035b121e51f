import { DatesProvider } from '@mantine/dates';
import 'dayjs/locale/de';
import 'dayjs/locale/en-gb';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Calendar language, Monday as the first weekday; follows language switches. Its own file (not
 * DateFields.tsx) so the app root carries no date pickers: pages that use them load them.
 */
const DAYJS_LOCALE = { de: 'de', en: 'en-gb' } as const;

export function uiLocale(language: string): 'de' | 'en' {
  return language === 'en' ? 'en' : 'de';
}

export function LocalizedDatesProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <DatesProvider settings={{ locale: DAYJS_LOCALE[uiLocale(i18n.language)], firstDayOfWeek: 1 }}>
      {children}
    </DatesProvider>
  );
}
