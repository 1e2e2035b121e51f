import type { ImportMapping, ImportMode, ImportWarning } from '../../shared/imports.ts';

type ValueKind = NonNullable<ImportWarning['looksLike']>;

const LOOKS: Record<ValueKind, (v: string) => boolean> = {
  email: (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
  phone: (v) => /^\+?[\d\s()/.-]+$/.test(v) && v.replace(/\D/g, '').length >= 6 && !/^\d{5}$/.test(v),
  postalCode: (v) => /^\d{5}$/.test(v),
  date: (v) => /^\d{1,2}\.\d{1,2}\.\d{2,4}$/.test(v) || /^\d{4}-\d{2}-\d{2}$/.test(v),
  fullName: (v) => /^\p{L}[\p{L}'’.-]*(\s+\p{L}[\p{L}'’.-]*)+$/u.test(v),
};

/** The kinds of value each target expects; a column showing another kind gets a warning. */
const EXPECTED: Partial<Record<string, ValueKind[]>> = {
  email: ['email'],
  phone: ['phone'],
  mobile: ['phone'],
  postalCode: ['postalCode'],
  birthDate: ['date'],
  joinedOn: ['date'],
  leftOn: ['date'],
  memberNumber: ['postalCode', 'phone'],
  // Double first names ("Anna Lena") and last names ("von Bülow") are normal.
  firstName: ['fullName'],
  lastName: ['fullName'],
  street: ['fullName'],
  city: ['fullName'],
};

/** Share of the non-empty sampled values that must look alike. */
const MAJORITY = 0.8;

/** What most non-empty values of a column look like, if anything. */
export function valueKind(values: string[]): ValueKind | null {
  const filled = values.map((v) => v.trim()).filter(Boolean);
  if (!filled.length) return null;
  // Dates and postal codes before phone numbers: "01.02.1980" and "01067" are digits too.
  for (const kind of ['email', 'date', 'postalCode', 'phone', 'fullName'] as const) {
    if (filled.filter(LOOKS[kind]).length >= MAJORITY * filled.length) return kind;
  }
  return null;
}

/**
 * Warnings about a mapping from the columns, the mapping and sampled values per column:
 * missing usual columns and columns whose values look like another field.
 */
export function mappingWarnings(
  columns: string[],
  mapping: ImportMapping,
  mode: ImportMode,
  samples: Map<string, string[]>,
): ImportWarning[] {
  const warnings: ImportWarning[] = [];
  const mapped = new Set(Object.values(mapping).filter(Boolean));
  const columnOf = (target: string) => columns.find((c) => mapping[c] === target) ?? null;
  const warn = (w: Partial<ImportWarning> & Pick<ImportWarning, 'kind'>) =>
    warnings.push({ column: null, target: null, looksLike: null, ...w });

  if (!mapped.has('firstName') && !mapped.has('lastName')) warn({ kind: 'no_name_column' });
  else if (!mapped.has('firstName'))
    warn({ kind: 'no_first_name_column', column: columnOf('lastName'), target: 'lastName' });
  else if (!mapped.has('lastName'))
    warn({ kind: 'no_last_name_column', column: columnOf('firstName'), target: 'firstName' });
  if (!mapped.has('email') && !mapped.has('phone') && !mapped.has('mobile'))
    warn({ kind: 'no_contact_column' });
  const canMatch =
    mapped.has('memberNumber') ||
    mapped.has('email') ||
    (mapped.has('firstName') && mapped.has('lastName') && mapped.has('birthDate'));
  if (mode !== 'create' && !canMatch) warn({ kind: 'no_match_column' });

  for (const column of columns) {
    const kind = valueKind(samples.get(column) ?? []);
    if (!kind) continue;
    const target = mapping[column] ?? null;
    if (target === null) {
      // An unmapped column full of addresses or numbers while none is mapped: probably forgotten.
      const wanted = kind === 'email' ? ['email'] : kind === 'phone' ? ['phone', 'mobile'] : [];
      if (wanted.length && !wanted.some((t) => mapped.has(t)))
        warn({ kind: 'values_look_like', column, looksLike: kind });
      continue;
    }
    if (target.startsWith('field:') || target.startsWith('tag:')) continue;
    const expected = EXPECTED[target];
    if (expected?.includes(kind)) {
      // Full names in one column mapped to a single name part, while the other part is missing.
      const alone =
        kind === 'fullName' &&
        ((target === 'lastName' && !mapped.has('firstName')) ||
          (target === 'firstName' && !mapped.has('lastName')));
      if (alone) warn({ kind: 'values_look_like', column, target, looksLike: kind });
      continue;
    }
    if (kind === 'fullName') continue;
    warn({ kind: 'values_look_like', column, target, looksLike: kind });
  }
  return warnings;
}
