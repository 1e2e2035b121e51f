import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { problemText } from '../src/server/imports/import-problems.ts';
import { DEFAULT_INSTRUCTION_TEXT } from '../src/server/instruction/default-text.ts';
import { TEMPLATES } from '../src/server/mail/mail.templates.ts';
import { IMPORT_PROBLEMS } from '../src/shared/imports.ts';

/**
 * The texts follow docs/GLOSSARY.md: both languages have the same keys, counts use i18next plurals,
 * German says "du" and uses one word per thing, English uses English quotes.
 */

const WEB = path.resolve(import.meta.dirname, '../src/web');
const bundles = [
  path.join(WEB, 'app/l10n'),
  path.join(WEB, 'public/l10n'),
  ...fs
    .readdirSync(path.join(WEB, 'features'))
    .map((feature) => path.join(WEB, 'features', feature, 'l10n'))
    .filter((dir) => fs.existsSync(dir)),
];

type Messages = { [key: string]: string | Messages };

function flatten(messages: Messages, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(messages)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(full, value);
    else for (const [k, v] of flatten(value, full)) out.set(k, v);
  }
  return out;
}

const read = (dir: string, locale: 'de' | 'en') =>
  flatten(JSON.parse(fs.readFileSync(path.join(dir, `${locale}.json`), 'utf8')) as Messages);

/** Formal address: capitalised "Sie", "Ihr…", "Ihnen" (the pronoun "sie" is lower case mid-sentence). */
const FORMAL = /\b(Sie|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres|Ihnen)\b/;
/** Synonyms the glossary replaces: caller, organizer, admin, call assignment, unit, mailing, unsubscribe, consent. */
const BANNED_DE = /Telefonist|Anrufende|Anrufaktion|Gliederung|Organizer|Administrator|Rundmail|austragen|Zustimmung/i;
const GERMAN_QUOTES = /[„‚]/;

function germanProblems(source: string, text: string): string[] {
  const problems: string[] = [];
  const formal = FORMAL.exec(text);
  if (formal) problems.push(`${source}: formal "${formal[0]}" in "${text}"`);
  const banned = BANNED_DE.exec(text);
  if (banned) problems.push(`${source}: "${banned[0]}" (see docs/GLOSSARY.md) in "${text}"`);
  return problems;
}

/** Every template rendered with placeholder values: the literal text is what is checked. */
function mailTexts(locale: 'de' | 'en'): string[] {
  const vars = new Proxy({}, { get: () => 'X' }) as never;
  return Object.values(TEMPLATES).flatMap((template) => {
    const mail = (template[locale] as (v: never) => { subject: string; paragraphs: readonly unknown[] })(
      vars,
    );
    return [mail.subject, ...mail.paragraphs.filter((p): p is string => typeof p === 'string')];
  });
}

describe('texts follow the glossary', () => {
  it('finds the bundles it checks', () => {
    expect(bundles.length).toBeGreaterThan(10);
  });

  it('every l10n key exists in German and English', () => {
    const missing: string[] = [];
    for (const dir of bundles) {
      const de = read(dir, 'de');
      const en = read(dir, 'en');
      const name = path.relative(WEB, dir);
      for (const key of de.keys()) if (!en.has(key)) missing.push(`${name}: ${key} missing in en`);
      for (const key of en.keys()) if (!de.has(key)) missing.push(`${name}: ${key} missing in de`);
    }
    expect(missing).toEqual([]);
  });

  it('counts are i18next plurals: every _one has its _other and no bare key beside them', () => {
    const problems: string[] = [];
    for (const dir of bundles) {
      for (const locale of ['de', 'en'] as const) {
        const messages = read(dir, locale);
        const name = `${path.relative(WEB, dir)}/${locale}`;
        for (const key of messages.keys()) {
          const base = key.replace(/_(one|other)$/, '');
          if (base === key) continue;
          if (!messages.has(`${base}_one`) || !messages.has(`${base}_other`))
            problems.push(`${name}: ${base} needs _one and _other`);
          if (messages.has(base)) problems.push(`${name}: ${base} exists beside its plural forms`);
        }
        // "{{count}} Paare" without plural forms reads "1 Paare".
        for (const [key, text] of messages)
          if (/\{\{count\}\}/.test(text) && !/_(one|other)$/.test(key) && /\{\{count\}\} \p{L}/u.test(text))
            problems.push(`${name}: ${key} shows a count without plural forms: "${text}"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('German texts say "du" and use the glossary terms', () => {
    const problems: string[] = [];
    for (const dir of bundles)
      for (const [key, text] of read(dir, 'de'))
        problems.push(...germanProblems(`${path.relative(WEB, dir)} ${key}`, text));
    for (const text of mailTexts('de')) problems.push(...germanProblems('mail template', text));
    for (const problem of IMPORT_PROBLEMS)
      problems.push(...germanProblems(`import problem ${problem}`, problemText(problem, 'de')));
    problems.push(...germanProblems('default instruction', DEFAULT_INSTRUCTION_TEXT));
    expect(problems).toEqual([]);
  });

  it('English texts use English quotes', () => {
    const problems: string[] = [];
    for (const dir of bundles)
      for (const [key, text] of read(dir, 'en'))
        if (GERMAN_QUOTES.test(text)) problems.push(`${path.relative(WEB, dir)} ${key}: "${text}"`);
    for (const text of mailTexts('en'))
      if (GERMAN_QUOTES.test(text) || /"/.test(text)) problems.push(`mail: ${text}`);
    for (const problem of IMPORT_PROBLEMS)
      if (GERMAN_QUOTES.test(problemText(problem, 'en'))) problems.push(`import problem ${problem}`);
    expect(problems).toEqual([]);
  });

  it('the checks catch what they are for', () => {
    expect(germanProblems('x', 'Prüfen Sie die Zuordnung')).toHaveLength(1);
    expect(germanProblems('x', 'Ihre Daten')).toHaveLength(1);
    expect(germanProblems('x', 'Füge Telefonist*innen hinzu')).toHaveLength(1);
    expect(germanProblems('x', 'Organizer darunter')).toHaveLength(1);
    expect(germanProblems('x', 'Hier kannst du dich austragen')).toHaveLength(1);
    expect(germanProblems('x', 'Die Aktion ist beendet, sie läuft nicht mehr.')).toEqual([]);
  });
});
