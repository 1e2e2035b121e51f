import { createHash } from 'node:crypto';
import type { Locale } from '../db/schema.ts';

/**
 * The legal texts a person agrees to, versioned per purpose. Every consent and every ledger row
 * stores the version and the SHA-256 of the exact text (as written here, with the `{unit}`
 * placeholder), so what someone agreed to can be shown word for word years later. Never edit a
 * text: add a version and make it current. Forms bring their own texts later (requestConsent takes
 * a given textVersion/textHash).
 */
export const CONSENT_TEXTS = {
  newsletter: {
    current: 'newsletter-v1',
    versions: {
      'newsletter-v1': {
        de: 'Ja, ich möchte den Newsletter von {unit} per E-Mail erhalten: Neuigkeiten, Einladungen zu Veranstaltungen und Aufrufe zum Mitmachen. Meine Einwilligung kann ich jederzeit widerrufen, zum Beispiel über den Abmeldelink in jeder E-Mail.',
        en: 'Yes, I want to receive the newsletter of {unit} by email: news, invitations to events and calls to take part. I can withdraw my consent at any time, for example with the unsubscribe link in every email.',
      },
    },
  },
} as const satisfies Record<string, { current: string; versions: Record<string, Record<Locale, string>> }>;

export type ConsentTextPurpose = keyof typeof CONSENT_TEXTS;

export const textHash = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The current text of a purpose in a language, with its version and hash. */
export function currentConsentText(purpose: ConsentTextPurpose, locale: Locale) {
  const entry = CONSENT_TEXTS[purpose];
  const text = entry.versions[entry.current][locale];
  return { version: entry.current, text, hash: textHash(text) };
}

/** The text of a known version (for the confirmation mail of an older pending consent), else undefined. */
export function consentTextOf(version: string | null, locale: Locale) {
  for (const entry of Object.values(CONSENT_TEXTS)) {
    const texts = (entry.versions as Record<string, Record<Locale, string>>)[version ?? ''];
    if (texts) return { version: version!, text: texts[locale], hash: textHash(texts[locale]) };
  }
  return undefined;
}

/** The text as shown, with the unit's name in place. */
export const withUnit = (text: string, unitName: string) => text.replaceAll('{unit}', unitName);
