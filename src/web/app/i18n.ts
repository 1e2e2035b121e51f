import i18n, { type BackendModule, type ResourceKey } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { ERROR_CODES, type ErrorCode } from '../../shared/errors.ts';

export const LOCALES = ['de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
const STORAGE_KEY = 'draht.locale';

/** Message namespaces: `common` is `app/l10n`, the others are `features/<name>/l10n`. */
export const NAMESPACES = [
  'common',
  'auth',
  'home',
  'orgs',
  'memberships',
  'instruction',
  'audit',
  'mail',
  'jobs',
  'account',
  'people',
  'queries',
  'duplicates',
  'imports',
  'calls',
  'campaigns',
  'changes',
] as const;
export type Namespace = (typeof NAMESPACES)[number];

// Every API error code has a German and an English text (compile-time check).
type HasEveryErrorText<T extends { errors: Record<ErrorCode, string> }> = T;
export type CommonMessages = HasEveryErrorText<typeof import('./l10n/de.json')> &
  HasEveryErrorText<typeof import('./l10n/en.json')>;

/**
 * One chunk per language and namespace, fetched when first needed: a German caller downloads the
 * German `common` and `calls` messages and nothing else; switching the language fetches the other
 * language's namespaces that are in use.
 */
const FILES = {
  ...import.meta.glob<ResourceKey>('./l10n/*.json', { import: 'default' }),
  ...import.meta.glob<ResourceKey>('../features/*/l10n/*.json', { import: 'default' }),
};

function messages(locale: string, ns: string): Promise<ResourceKey> {
  const file = ns === 'common' ? `./l10n/${locale}.json` : `../features/${ns}/l10n/${locale}.json`;
  const load = FILES[file];
  return load ? load() : Promise.reject(new Error(`No messages ${locale}/${ns}`));
}

const lazyMessages: BackendModule = {
  type: 'backend',
  init() {},
  read(locale, ns, done) {
    messages(locale, ns).then(
      (resources) => done(null, resources),
      (error: Error) => done(error, false),
    );
  },
};

/** Makes sure the namespaces are loaded in the current language (pages call it with their chunk). */
export function loadNamespaces(namespaces: readonly Namespace[]): Promise<void> {
  return i18n.loadNamespaces([...namespaces]);
}

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

/** Resolves when the current language's `common` messages are loaded (main.tsx renders then). */
export const i18nReady: Promise<unknown> = i18n
  .use(lazyMessages)
  .use(initReactI18next)
  .init({
    lng: initial,
    // Both languages have the same keys (glossary.test.ts), so no second language is fetched as fallback.
    fallbackLng: false,
    supportedLngs: LOCALES,
    ns: ['common'],
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
  })
  .then(() => {
    if (import.meta.env.DEV) {
      for (const code of ERROR_CODES) {
        if (!i18n.exists(`errors.${code}`, { ns: 'common' })) console.warn(`Missing error text for ${code}`);
      }
    }
  });

export default i18n;
