import type { ImportProblem } from '../../shared/imports.ts';

/** Texts of row problems for the error CSV (the web has its own in l10n). */
const TEXTS: Record<ImportProblem, { de: string; en: string }> = {
  missing_name: { de: 'Vor- oder Nachname fehlt', en: 'First or last name missing' },
  invalid_email: { de: 'Keine gültige E-Mail-Adresse', en: 'Not a valid email address' },
  invalid_date: {
    de: 'Kein gültiges Datum (erwartet TT.MM.JJJJ oder JJJJ-MM-TT)',
    en: 'Not a valid date (expected DD.MM.YYYY or YYYY-MM-DD)',
  },
  invalid_phone: { de: 'Keine gültige Telefonnummer', en: 'Not a valid phone number' },
  invalid_status: {
    de: 'Unbekannter Status (erwartet z. B. Mitglied, Ausgetreten, Förderer, Interessent)',
    en: 'Unknown status (expected e.g. member, former, supporter, interested)',
  },
  invalid_number: { de: 'Keine Zahl', en: 'Not a number' },
  invalid_choice: {
    de: 'Wert passt zu keiner Auswahl des Feldes',
    en: 'Value matches none of the field options',
  },
  invalid_consent: {
    de: 'Unbekannte Angabe zur Newsletter-Einwilligung (erwartet ja/nein, 1/0, x)',
    en: 'Unknown newsletter consent value (expected yes/no, 1/0, x)',
  },
  too_long: { de: 'Wert ist zu lang', en: 'Value is too long' },
  unknown_org: { de: 'Einheit nicht gefunden', en: 'Unit not found' },
  ambiguous_org: { de: 'Name der Einheit ist nicht eindeutig', en: 'Unit name is ambiguous' },
  duplicate_member_number: {
    de: 'Mitgliedsnummer kommt in der Datei mehrfach vor',
    en: 'Member number occurs more than once in the file',
  },
  member_number_out_of_scope: {
    de: 'Mitgliedsnummer gehört zu einer Person außerhalb dieser Einheit',
    en: 'Member number belongs to a person outside this unit',
  },
  ambiguous_match: {
    de: 'Passt zu mehreren vorhandenen Personen',
    en: 'Matches several existing people',
  },
  same_person_twice: {
    de: 'Dieselbe Person steht schon in einer früheren Zeile',
    en: 'The same person is in an earlier row',
  },
  broken_row: { de: 'Zeile nicht lesbar (Anführungszeichen)', en: 'Row unreadable (quotes)' },
};

export function problemText(problem: string, locale: 'de' | 'en'): string {
  return TEXTS[problem as ImportProblem]?.[locale] ?? problem;
}
