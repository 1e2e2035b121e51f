import type { TFunction } from 'i18next';
import { isApiError } from '../lib/api.ts';

/** The translated text for an error from the API (`errors.<code>`), or a generic one. */
export function errorText(t: TFunction, error: unknown): string {
  if (isApiError(error)) {
    // Throttled sign-ins say how long to wait.
    const wait = error.details.find((d) => d.path === 'retryAfterSeconds')?.message;
    if (error.code === 'rate_limited' && wait) return t('common:rateLimitedWait', { count: Number(wait) });
    return t(`common:errors.${error.code}`, { defaultValue: error.message });
  }
  return t('common:errors.internal_error');
}
