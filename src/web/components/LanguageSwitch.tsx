import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { applyLocale, currentLocale, isLocale, LOCALES } from '../app/i18n.ts';

/** Language choice for pages without a signed-in user (stored in this browser). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation('common');
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('header.language')}
      value={isLocale(i18n.language) ? i18n.language : currentLocale()}
      onChange={(value) => isLocale(value) && applyLocale(value)}
      data={LOCALES.map((locale) => ({ value: locale, label: t(`languages.${locale}`) }))}
    />
  );
}
