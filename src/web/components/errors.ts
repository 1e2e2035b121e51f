import type { TFunction } from 'i18next';
import { isApiError } from '../lib/api.ts';

/** The reasons of an API error that have a translation (`errors.reasons.<reason>`), translated. */
export function reasonTexts(t: TFunction, error: unknown): string[] {
  if (!isApiError(error)) return [];
  const texts = error.details
    .filter((d) => d.reason)
    .map((d) => t(`common:errors.reasons.${d.reason}`, { defaultValue: '' }))
    .filter(Boolean);
  return [...new Set(texts)];
}

/**
 * The translated text for an error from the API: the specific reason the server gave if there is
 * one (`errors.reasons.<reason>`), else the text of its code (`errors.<code>`), else a generic one.
 */
export function errorText(t: TFunction, error: unknown): string {
  if (!isApiError(error)) return t('common:errors.internal_error');
  const reasons = reasonTexts(t, error);
  if (reasons.length) return reasons.join(' ');
  return t(`common:errors.${error.code}`, { defaultValue: error.message });
}
