import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { isApiError } from '../../lib/api.ts';
import type { MembershipStatus } from './api.ts';

export const STATUS_COLORS: Record<MembershipStatus, string> = {
  member: 'teal',
  supporter: 'blue',
  interested: 'yellow',
  former: 'gray',
};

const intlLocale = (locale: string) => (locale === 'en' ? 'en-GB' : 'de-DE');

export function fullName(p: { title?: string | null; firstName: string; lastName: string }): string {
  return [p.title, p.firstName, p.lastName].filter(Boolean).join(' ').trim();
}

/** "2024-03-01" → "01.03.2024" (de) / "1 Mar 2024" (en); plain dates have no time zone. */
export function formatPlainDate(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** The text shown in a date input: "01.03.2024" (de) or "01/03/2024" (en). */
export function isoToInput(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  const [y, m, d] = iso.split('-');
  if (!y || !m || !d) return iso;
  return locale === 'en' ? `${d}/${m}/${y}` : `${d}.${m}.${y}`;
}

/**
 * What the user typed → "YYYY-MM-DD"; '' → null; undefined when it is no date.
 * Accepts 1.3.2024, 01.03.2024, 01/03/2024, 2024-03-01.
 */
export function inputToIso(text: string): string | null | undefined {
  const value = text.trim();
  if (!value) return null;
  let y: number;
  let m: number;
  let d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  const dmy = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(value);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (dmy) [d, m, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  else return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return undefined;
  if (y < 1900 || y > 2100) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** "+493511234567" → "+49 351 1234567". */
export function formatE164(e164: string | null | undefined): string | null {
  if (!e164) return null;
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(intlLocale(locale)).format(value);
}

/** Server field errors (`details[].path` like "body.emails.0.email") → form paths ("emails.0.email"). */
export function serverFieldErrors(error: unknown): Record<string, true> {
  if (!isApiError(error)) return {};
  const out: Record<string, true> = {};
  for (const detail of error.details) {
    if (detail.path) out[detail.path.replace(/^body\./, '')] = true;
  }
  return out;
}
