import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export interface NormalizedPhone {
  raw: string;
  e164: string | null;
  type: 'mobile' | 'landline';
  status: 'valid' | 'invalid';
}

/**
 * "0351 / 123 45-6" → +493511234556 (default region DE). Numbers that do not parse keep their raw
 * text and are marked invalid, so nothing the office typed is lost.
 * Results are cached by text (imports see the same landline in many rows); callers get a copy.
 */
export function normalizePhone(raw: string, defaultCountry: 'DE' = 'DE'): NormalizedPhone {
  const text = raw.trim();
  let hit = phoneCache.get(text);
  if (!hit) {
    hit = parsePhone(text, defaultCountry);
    if (phoneCache.size >= PHONE_CACHE_SIZE) phoneCache.clear();
    phoneCache.set(text, hit);
  }
  return { ...hit };
}

const PHONE_CACHE_SIZE = 50_000;
const phoneCache = new Map<string, NormalizedPhone>();

function parsePhone(text: string, defaultCountry: 'DE'): NormalizedPhone {
  const parsed = /\d/.test(text) ? parsePhoneNumberFromString(text, defaultCountry) : undefined;
  if (!parsed?.isPossible()) return { raw: text, e164: null, type: 'landline', status: 'invalid' };
  const type = parsed.getType();
  return {
    raw: text,
    e164: parsed.number,
    type: type === 'MOBILE' ? 'mobile' : 'landline',
    // With the full metadata a number that has a type is valid (isValid() is "has a type" then);
    // only numbers without one need the second, slower check.
    status: type !== undefined || parsed.isValid() ? 'valid' : 'invalid',
  };
}

/** Lower case, with both "müller" and "mueller" forms, so either spelling finds the person. */
export function searchForms(text: string): string[] {
  const lower = text.toLowerCase().trim();
  if (!lower) return [];
  const transliterated = lower
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss');
  const stripped = lower.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return [...new Set([lower, transliterated, stripped])];
}

/**
 * Lower-case search terms of a query: "Müller 0351" → ["müller", "0351"]. Words shorter than three
 * letters (two digits) are dropped: the trigram index cannot narrow them down.
 */
export function searchTerms(query: string): string[] {
  return query
    .toLowerCase()
    .split(/\s+/)
    .map((t) => t.replace(/^[+]/, '').replace(/[()/.-]/g, ''))
    .filter((t) => t.length >= 3 || (t.length === 2 && /^\d+$/.test(t)))
    .slice(0, 6);
}

/**
 * The text the trigram index searches: names (with umlaut variants), emails, member number,
 * postal code, city and phone numbers as digits in both national (0351…) and international
 * (49351…) form.
 */
export function buildSearchText(p: {
  firstName: string;
  lastName: string;
  memberNumber?: string | null;
  postalCode?: string | null;
  city?: string | null;
  emails: string[];
  phones: { raw: string; e164: string | null }[];
}): string {
  const parts: string[] = [
    ...searchForms(p.firstName),
    ...searchForms(p.lastName),
    ...p.emails.map((e) => e.toLowerCase()),
    p.memberNumber?.toLowerCase() ?? '',
    p.postalCode ?? '',
    ...searchForms(p.city ?? ''),
  ];
  for (const phone of p.phones) {
    if (phone.e164) {
      const digits = phone.e164.slice(1);
      parts.push(digits);
      if (digits.startsWith('49')) parts.push(`0${digits.slice(2)}`);
    } else {
      parts.push(phone.raw.replace(/\D/g, ''));
    }
  }
  return parts.filter(Boolean).join(' ');
}
