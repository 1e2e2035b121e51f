import i18next, { type TFunction } from 'i18next';
import de from './l10n/de.json';
import en from './l10n/en.json';

export const PUBLIC_LOCALES = ['de', 'en'] as const;
export type PublicLocale = (typeof PUBLIC_LOCALES)[number];
/** The same key as the app's, so a choice made on a public page carries over to the login and back. */
const STORAGE_KEY = 'draht.locale';

/**
 * The visitor's language: their choice on a Draht page in this browser, else the first of the
 * browser's languages (what it sends as Accept-Language) that Draht speaks, else German.
 */
export function preferredLocale(stored: string | null, browserLanguages: readonly string[]): PublicLocale {
  if (stored === 'de' || stored === 'en') return stored;
  for (const language of browserLanguages) {
    const base = language.toLowerCase().split('-')[0];
    if (base === 'de' || base === 'en') return base;
  }
  return 'de';
}

function storedLocale(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function rememberLocale(locale: PublicLocale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

/**
 * Both languages are bundled: together they are a few hundred bytes gzip, less than the round trip
 * a separate download would cost on a slow phone.
 */
export async function startI18n(): Promise<TFunction> {
  return i18next.init({
    lng: preferredLocale(storedLocale(), navigator.languages ?? [navigator.language]),
    fallbackLng: false,
    supportedLngs: PUBLIC_LOCALES,
    resources: { de: { public: de }, en: { public: en } },
    ns: ['public'],
    defaultNS: 'public',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
}

export function currentLocale(): PublicLocale {
  return i18next.language === 'en' ? 'en' : 'de';
}

export async function switchLocale(locale: PublicLocale): Promise<TFunction> {
  rememberLocale(locale);
  return i18next.changeLanguage(locale);
}
