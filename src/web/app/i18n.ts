import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { ERROR_CODES, type ErrorCode } from '../../shared/errors.ts';
import accountDe from '../features/account/l10n/de.json';
import accountEn from '../features/account/l10n/en.json';
import auditDe from '../features/audit/l10n/de.json';
import auditEn from '../features/audit/l10n/en.json';
import authDe from '../features/auth/l10n/de.json';
import authEn from '../features/auth/l10n/en.json';
import callsDe from '../features/calls/l10n/de.json';
import callsEn from '../features/calls/l10n/en.json';
import campaignsDe from '../features/campaigns/l10n/de.json';
import campaignsEn from '../features/campaigns/l10n/en.json';
import duplicatesDe from '../features/duplicates/l10n/de.json';
import duplicatesEn from '../features/duplicates/l10n/en.json';
import homeDe from '../features/home/l10n/de.json';
import homeEn from '../features/home/l10n/en.json';
import importsDe from '../features/imports/l10n/de.json';
import importsEn from '../features/imports/l10n/en.json';
import instructionDe from '../features/instruction/l10n/de.json';
import instructionEn from '../features/instruction/l10n/en.json';
import mailDe from '../features/mail/l10n/de.json';
import mailEn from '../features/mail/l10n/en.json';
import membershipsDe from '../features/memberships/l10n/de.json';
import membershipsEn from '../features/memberships/l10n/en.json';
import orgsDe from '../features/orgs/l10n/de.json';
import orgsEn from '../features/orgs/l10n/en.json';
import peopleDe from '../features/people/l10n/de.json';
import peopleEn from '../features/people/l10n/en.json';
import queriesDe from '../features/queries/l10n/de.json';
import queriesEn from '../features/queries/l10n/en.json';
import commonDe from './l10n/de.json';
import commonEn from './l10n/en.json';

export const LOCALES = ['de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
const STORAGE_KEY = 'draht.locale';

// Every API error code has a German and an English text (compile-time check).
commonDe.errors satisfies Record<ErrorCode, string>;
commonEn.errors satisfies Record<ErrorCode, string>;

export const resources = {
  de: {
    common: commonDe,
    auth: authDe,
    home: homeDe,
    orgs: orgsDe,
    memberships: membershipsDe,
    instruction: instructionDe,
    audit: auditDe,
    mail: mailDe,
    account: accountDe,
    people: peopleDe,
    queries: queriesDe,
    duplicates: duplicatesDe,
    imports: importsDe,
    calls: callsDe,
    campaigns: campaignsDe,
  },
  en: {
    common: commonEn,
    auth: authEn,
    home: homeEn,
    orgs: orgsEn,
    memberships: membershipsEn,
    instruction: instructionEn,
    audit: auditEn,
    mail: mailEn,
    account: accountEn,
    people: peopleEn,
    queries: queriesEn,
    duplicates: duplicatesEn,
    imports: importsEn,
    calls: callsEn,
    campaigns: campaignsEn,
  },
} as const;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function storedLocale(): Locale {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : 'de';
  } catch {
    return 'de';
  }
}

/** Switches the UI language and remembers it in this browser. */
export function applyLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = locale;
  if (i18n.language !== locale) void i18n.changeLanguage(locale);
}

export function currentLocale(): Locale {
  return isLocale(i18n.language) ? i18n.language : 'de';
}

const initial = storedLocale();
document.documentElement.lang = initial;

void i18n.use(initReactI18next).init({
  resources,
  lng: initial,
  fallbackLng: 'de',
  supportedLngs: LOCALES,
  ns: Object.keys(resources.de),
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  returnNull: false,
});

if (import.meta.env.DEV) {
  for (const code of ERROR_CODES) {
    if (!(code in commonDe.errors) || !(code in commonEn.errors))
      console.warn(`Missing error text for ${code}`);
  }
}

export default i18n;
