import { formatDate } from '../../../lib/format.ts';

/** "1. Dez. 2026 – 31. Jan. 2027"; an open end shows `openText`. */
export function formatPeriod(
  startsAt: string | null,
  endsAt: string | null,
  locale: string,
  openText: string,
): string {
  if (!startsAt && !endsAt) return openText;
  return `${startsAt ? formatDate(startsAt, locale) : '…'} – ${endsAt ? formatDate(endsAt, locale) : '…'}`;
}

/** The date part (YYYY-MM-DD) of an ISO time, for date inputs; '' when none. */
export const dateOf = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '');
