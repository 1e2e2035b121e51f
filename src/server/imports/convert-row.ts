import { z } from 'zod';
import type { ImportMapping, ImportProblem, ImportRowError, ImportTarget } from '../../shared/imports.ts';
import type { CustomFieldView } from '../../shared/people.ts';
import { checkValue } from '../fields/fields.service.ts';
import { normalizePhone } from '../people/normalize.ts';
import { normalizeHeader } from './read-file.ts';

/**
 * From a file row to the values of a person: mapping suggestions from German and English column
 * names, and the conversion of one row with its problems (dates, emails, phones, status …).
 */

const HEADER_ALIASES: Record<ImportTarget, string[]> = {
  firstName: ['vorname', 'vornamen', 'rufname', 'firstname', 'givenname', 'first'],
  lastName: ['nachname', 'familienname', 'name', 'zuname', 'lastname', 'surname', 'familyname', 'last'],
  title: ['titel', 'title', 'akademischergrad', 'akadgrad'],
  gender: ['anrede', 'geschlecht', 'gender', 'salutation', 'sex'],
  email: ['email', 'emailadresse', 'mail', 'mailadresse', 'emailprivat', 'eMail', 'emailaddress'],
  phone: ['telefon', 'tel', 'telprivat', 'telefonprivat', 'festnetz', 'telefonnummer', 'phone', 'telephone'],
  mobile: ['mobil', 'handy', 'mobiltelefon', 'mobilnummer', 'handynummer', 'telmobil', 'mobile', 'cell'],
  memberNumber: [
    'mitgliedsnummer',
    'mitgliedsnr',
    'mitgliednr',
    'mitgliedernummer',
    'mitglnr',
    'mglnr',
    'membernumber',
    'memberno',
    'memberid',
  ],
  postalCode: ['plz', 'postleitzahl', 'postalcode', 'zip', 'zipcode', 'postcode'],
  city: ['ort', 'wohnort', 'stadt', 'city', 'town'],
  street: ['strasse', 'str', 'street', 'anschrift', 'adresse'],
  houseNumber: ['hausnummer', 'hausnr', 'hnr', 'nr', 'housenumber', 'houseno'],
  birthDate: [
    'geburtsdatum',
    'geburtstag',
    'gebdatum',
    'gebdat',
    'birthdate',
    'dateofbirth',
    'birthday',
    'dob',
  ],
  joinedOn: [
    'eintrittsdatum',
    'eintritt',
    'mitgliedseit',
    'beitritt',
    'beitrittsdatum',
    'joinedon',
    'joined',
  ],
  leftOn: ['austrittsdatum', 'austritt', 'austrittam', 'leftOn', 'left', 'exitdate'],
  membershipStatus: ['status', 'mitgliedsstatus', 'mitgliedschaft', 'membershipstatus', 'memberstatus'],
  org: [
    'ortsverband',
    'ortsgruppe',
    'gliederung',
    'kreisverband',
    'bezirksverband',
    'landesverband',
    'verband',
    'org',
    'orgunit',
    'unit',
  ],
  newsletterConsent: [
    'newsletter',
    'newslettereinwilligung',
    'einwilligungnewsletter',
    'newsletterconsent',
    'newsletteroptin',
  ],
};

const ALIAS_TO_TARGET = new Map<string, ImportTarget>();
for (const [target, aliases] of Object.entries(HEADER_ALIASES) as [ImportTarget, string[]][]) {
  for (const alias of aliases) ALIAS_TO_TARGET.set(normalizeHeader(alias), target);
}

export const isKnownHeader = (h: string) => ALIAS_TO_TARGET.has(normalizeHeader(h));

/** Guessed mapping: each target at most once; custom fields by label/key, tags by name. */
export function suggestMapping(
  columns: string[],
  fields: { id: string; key: string; label: string }[],
  tags: { id: string; name: string }[],
): ImportMapping {
  const mapping: ImportMapping = {};
  const taken = new Map<string, number>();
  const orgRank = (col: string) => HEADER_ALIASES.org.indexOf(normalizeHeader(col));
  for (const col of columns) {
    const key = normalizeHeader(col);
    let target: string | null = ALIAS_TO_TARGET.get(key) ?? null;
    if (!target) {
      const field = fields.find((f) => normalizeHeader(f.label) === key || normalizeHeader(f.key) === key);
      if (field) target = `field:${field.id}`;
    }
    if (!target) {
      const tag = tags.find((t) => normalizeHeader(t.name) === key);
      if (tag) target = `tag:${tag.id}`;
    }
    if (target && taken.has(target)) {
      // The finer unit wins for `org` (Ortsverband before Kreisverband); otherwise the first column.
      const prev = columns[taken.get(target)!];
      if (target === 'org' && orgRank(col) < orgRank(prev)) {
        mapping[prev] = null;
      } else {
        target = null;
      }
    }
    if (target) taken.set(target, columns.indexOf(col));
    mapping[col] = target as ImportMapping[string];
  }
  return mapping;
}

/**
 * Dates: ISO `1980-12-31` (a time after it is ignored), German `31.12.1980` and `1.2.1980`, and
 * two-digit years `31.12.80`: up to the current year's last two digits they are 20xx, above 19xx.
 * Impossible dates (31.02.) are problems, not rolled over.
 */
export function parseDate(text: string, today = new Date()): string | null {
  const t = text.trim();
  let y: number;
  let m: number;
  let d: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$/.exec(t);
  if (match) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    match = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(t);
    if (!match) return null;
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (match[3].length === 2) {
      const pivot = today.getFullYear() % 100;
      y += y <= pivot ? 2000 : 1900;
    }
  }
  if (y < 1850 || y > 2200 || m < 1 || m > 12 || d < 1) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const STATUS_WORDS: Record<string, 'member' | 'supporter' | 'interested' | 'former'> = {};
for (const w of ['mitglied', 'aktiv', 'aktives mitglied', 'ordentliches mitglied', 'member', 'active', 'm'])
  STATUS_WORDS[w] = 'member';
for (const w of [
  'ausgetreten',
  'ehemalig',
  'ehemaliges mitglied',
  'ehemals',
  'inaktiv',
  'verstorben',
  'ausgeschlossen',
  'gestrichen',
  'former',
  'inactive',
  'left',
])
  STATUS_WORDS[w] = 'former';
for (const w of ['förderer', 'fördermitglied', 'unterstützer', 'unterstützerin', 'sympathisant', 'supporter'])
  STATUS_WORDS[w] = 'supporter';
for (const w of ['interessent', 'interessentin', 'interessiert', 'gast', 'interested', 'guest'])
  STATUS_WORDS[w] = 'interested';

const GENDER_WORDS: Record<string, string> = {
  herr: 'male',
  m: 'male',
  männlich: 'male',
  maennlich: 'male',
  mann: 'male',
  male: 'male',
  mr: 'male',
  frau: 'female',
  w: 'female',
  f: 'female',
  weiblich: 'female',
  female: 'female',
  mrs: 'female',
  ms: 'female',
  d: 'diverse',
  divers: 'diverse',
  diverse: 'diverse',
};
const FALSY = new Set(['nein', 'n', 'no', '0', 'false', 'falsch', '-', 'x-']);
const TRUTHY_BOOL = new Set(['ja', 'j', 'yes', 'y', '1', 'true', 'wahr', 'x', '✓']);

const emailSchema = z.email();

export interface ConvertedPhone {
  raw: string;
  e164: string | null;
  type: 'mobile' | 'landline';
  status: 'valid' | 'invalid';
}

/** A row turned into person values; only mapped columns are present (null = clear the value). */
export interface PersonValues {
  firstName?: string;
  lastName?: string;
  title?: string | null;
  gender?: string | null;
  birthDate?: string | null;
  street?: string | null;
  houseNumber?: string | null;
  postalCode?: string | null;
  city?: string | null;
  memberNumber?: string | null;
  membershipStatus?: 'member' | 'supporter' | 'interested' | 'former';
  joinedOn?: string | null;
  leftOn?: string | null;
  /** The explicit home unit from the `org` column. */
  homeOrgId?: string;
  email?: string;
  phones: ConvertedPhone[];
  /** Custom field id → value (null removes). */
  customFields: Record<string, unknown>;
  tagsAdd: string[];
  tagsRemove: string[];
  /** The newsletter consent column: true starts a double opt-in, false does nothing (never revokes). */
  newsletterConsent?: boolean;
}

export interface ConvertedRow {
  rowNumber: number;
  values: PersonValues;
  /** Display text per target, for the preview. */
  display: Record<string, string | null>;
  errors: ImportRowError[];
}

export interface ConvertContext {
  mapping: ImportMapping;
  columns: string[];
  fields: Map<string, CustomFieldView>;
  /** Lower-case unit name or slug → unit ids with it (within the import's subtree). */
  orgsByName: Map<string, string[]>;
  orgNames: Map<string, string>;
  tagNames: Map<string, string>;
}

const MAX_LEN: Partial<Record<ImportTarget, number>> = {
  firstName: 200,
  lastName: 200,
  title: 50,
  gender: 50,
  street: 200,
  houseNumber: 20,
  postalCode: 10,
  city: 200,
  memberNumber: 50,
};

function parseNumber(text: string): number | null {
  const t = text.trim().replace(/\s/g, '');
  const normalized = /,\d+$/.test(t) ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
  const n = Number(normalized);
  return normalized && Number.isFinite(n) ? n : null;
}

function fieldValue(field: CustomFieldView, text: string): { value?: unknown; problem?: ImportProblem } {
  switch (field.type) {
    case 'text':
      return { value: text.slice(0, 2000) };
    case 'number': {
      const n = parseNumber(text);
      return n === null ? { problem: 'invalid_number' } : { value: n };
    }
    case 'date': {
      const d = parseDate(text);
      return d ? { value: d } : { problem: 'invalid_date' };
    }
    case 'boolean': {
      const l = text.toLowerCase();
      if (TRUTHY_BOOL.has(l)) return { value: true };
      if (FALSY.has(l)) return { value: false };
      return { problem: 'invalid_choice' };
    }
    case 'single_choice': {
      const opt = field.options.find((o) => o.toLowerCase() === text.toLowerCase());
      return opt ? { value: opt } : { problem: 'invalid_choice' };
    }
    case 'multiple_choice': {
      const parts = text
        .split(/[,;|]/)
        .map((p) => p.trim())
        .filter(Boolean);
      const opts = parts.map((p) => field.options.find((o) => o.toLowerCase() === p.toLowerCase()));
      return opts.every(Boolean) ? { value: opts as string[] } : { problem: 'invalid_choice' };
    }
  }
}

/** Converts one record; problems are collected, never thrown. */
export function convertRow(cx: ConvertContext, rowNumber: number, cells: string[]): ConvertedRow {
  const v: PersonValues = { phones: [], customFields: {}, tagsAdd: [], tagsRemove: [] };
  const display: Record<string, string | null> = {};
  const errors: ImportRowError[] = [];
  const problem = (column: string, p: ImportProblem, value: string) =>
    errors.push({ rowNumber, column, problem: p, value });

  cx.columns.forEach((column, i) => {
    const target = cx.mapping[column];
    if (!target) return;
    const text = (cells[i] ?? '').trim();
    const max = MAX_LEN[target as ImportTarget];
    if (max && text.length > max) {
      problem(column, 'too_long', text);
      return;
    }
    switch (target) {
      case 'firstName':
      case 'lastName':
        v[target] = text;
        display[target] = text;
        return;
      case 'title':
      case 'street':
      case 'houseNumber':
      case 'city':
        v[target] = text || null;
        display[target] = text || null;
        return;
      case 'memberNumber': {
        // An empty cell never removes a member number: it is the key of the member system.
        const mn = text.replace(/\.0$/, '') || null;
        if (mn) v.memberNumber = mn;
        display.memberNumber = mn;
        return;
      }
      case 'postalCode': {
        const pc = /^\d{4}$/.test(text) ? `0${text}` : text;
        v.postalCode = pc || null;
        display.postalCode = pc || null;
        return;
      }
      case 'gender': {
        const g = text ? (GENDER_WORDS[text.toLowerCase().replace(/\.$/, '')] ?? text) : null;
        v.gender = g;
        display.gender = g;
        return;
      }
      case 'birthDate':
      case 'joinedOn':
      case 'leftOn': {
        if (!text) {
          v[target] = null;
          display[target] = null;
          return;
        }
        const d = parseDate(text);
        if (!d) problem(column, 'invalid_date', text);
        v[target] = d;
        display[target] = d;
        return;
      }
      case 'membershipStatus': {
        if (!text) return;
        const s = STATUS_WORDS[text.toLowerCase()];
        if (!s) problem(column, 'invalid_status', text);
        else {
          v.membershipStatus = s;
          display.membershipStatus = s;
        }
        return;
      }
      case 'email': {
        if (!text) return;
        if (!emailSchema.safeParse(text).success || text.length > 254) problem(column, 'invalid_email', text);
        else {
          v.email = text;
          display.email = text;
        }
        return;
      }
      case 'phone':
      case 'mobile': {
        if (!text) return;
        const n = normalizePhone(text);
        if (!n.e164) problem(column, 'invalid_phone', text);
        else {
          v.phones.push({ ...n, type: target === 'mobile' ? 'mobile' : n.type });
          display[target] = n.e164;
        }
        return;
      }
      case 'org': {
        if (!text) return;
        const ids = cx.orgsByName.get(text.toLowerCase()) ?? [];
        if (ids.length === 0) problem(column, 'unknown_org', text);
        else if (ids.length > 1) problem(column, 'ambiguous_org', text);
        else {
          v.homeOrgId = ids[0];
          display.org = cx.orgNames.get(ids[0]) ?? text;
        }
        return;
      }
      case 'newsletterConsent': {
        if (!text) return;
        const l = text.toLowerCase();
        if (TRUTHY_BOOL.has(l)) v.newsletterConsent = true;
        else if (FALSY.has(l)) v.newsletterConsent = false;
        else {
          problem(column, 'invalid_consent', text);
          return;
        }
        display.newsletterConsent = v.newsletterConsent ? 'yes' : 'no';
        return;
      }
    }
    if (target.startsWith('field:')) {
      const field = cx.fields.get(target.slice(6));
      if (!field) return;
      if (!text) {
        v.customFields[field.id] = null;
        display[target] = null;
        return;
      }
      const r = fieldValue(field, text);
      if (r.problem || checkValue(field, r.value)) problem(column, r.problem ?? 'invalid_choice', text);
      else {
        v.customFields[field.id] = r.value;
        display[target] = Array.isArray(r.value) ? r.value.join(', ') : String(r.value);
      }
      return;
    }
    if (target.startsWith('tag:')) {
      const tagId = target.slice(4);
      if (!cx.tagNames.has(tagId) || !text) return;
      if (FALSY.has(text.toLowerCase())) {
        v.tagsRemove.push(tagId);
        display[target] = null;
      } else {
        v.tagsAdd.push(tagId);
        display[target] = cx.tagNames.get(tagId) ?? '✓';
      }
    }
  });

  if (!v.firstName && !v.lastName) {
    const nameColumn =
      cx.columns.find((c) => cx.mapping[c] === 'lastName') ??
      cx.columns.find((c) => cx.mapping[c] === 'firstName') ??
      null;
    errors.push({ rowNumber, column: nameColumn, problem: 'missing_name', value: null });
  }
  return { rowNumber, values: v, display, errors };
}
