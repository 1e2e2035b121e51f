import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { z } from 'zod';
import type { ExportColumn, ExportRequest } from '../../shared/exports.ts';
import { audit } from '../audit/audit.service.ts';
import { requireOrgPermission } from '../auth/scope.ts';
import type { Ctx } from '../context.ts';
import { AppError } from '../errors.ts';
import { slugify } from '../orgs/slug.ts';
import { searchTerms } from '../people/normalize.ts';
import { compileSavedQuery } from '../queries/queries.service.ts';
import { findPeopleForExport } from './exports.repo.ts';

export const MAX_EXPORT_ROWS = 200_000;

const HEADERS: Record<'de' | 'en', Record<ExportColumn, string>> = {
  de: {
    firstName: 'Vorname',
    lastName: 'Nachname',
    title: 'Titel',
    email: 'E-Mail',
    phone: 'Telefon',
    mobile: 'Mobil',
    street: 'Straße',
    houseNumber: 'Hausnummer',
    postalCode: 'PLZ',
    city: 'Ort',
    country: 'Land',
    memberNumber: 'Mitgliedsnummer',
    membershipStatus: 'Status',
    birthDate: 'Geburtsdatum',
    joinedOn: 'Eintrittsdatum',
    leftOn: 'Austrittsdatum',
    org: 'Gliederung',
    tags: 'Tags',
    doNotCall: 'Nicht anrufen',
    doNotEmail: 'Keine E-Mails',
    createdAt: 'Angelegt am',
  },
  en: {
    firstName: 'First name',
    lastName: 'Last name',
    title: 'Title',
    email: 'Email',
    phone: 'Phone',
    mobile: 'Mobile',
    street: 'Street',
    houseNumber: 'House number',
    postalCode: 'Postal code',
    city: 'City',
    country: 'Country',
    memberNumber: 'Member number',
    membershipStatus: 'Status',
    birthDate: 'Birth date',
    joinedOn: 'Joined',
    leftOn: 'Left',
    org: 'Unit',
    tags: 'Tags',
    doNotCall: 'Do not call',
    doNotEmail: 'No emails',
    createdAt: 'Created',
  },
};

/**
 * Spreadsheet formula injection: a cell starting with = + - @, tab or CR is prefixed with a quote
 * so Excel and LibreOffice show it as text instead of running it.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

type ExportRow = Awaited<ReturnType<typeof findPeopleForExport>>[number];

function cell(row: ExportRow, column: ExportColumn, locale: 'de' | 'en'): string {
  const value = row[column];
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean')
    return value ? (locale === 'de' ? 'ja' : 'yes') : locale === 'de' ? 'nein' : 'no';
  if (value instanceof Date) return value.toISOString();
  return neutralizeFormula(String(value));
}

export interface ExportFile {
  fileName: string;
  contentType: string;
  body: Buffer;
  count: number;
}

/** Exports people of the actor's scope as CSV (UTF-8 with BOM) or XLSX; audit-logged with count and filter. */
export async function exportPeople(ctx: Ctx, req: z.infer<typeof ExportRequest>): Promise<ExportFile> {
  await requireOrgPermission(ctx, req.orgId, 'people:export');
  const list = req.queryId ? await compileSavedQuery(ctx, req.queryId) : undefined;
  const rows = await findPeopleForExport(
    ctx.db,
    {
      rootOrgId: req.orgId,
      terms: req.filter?.search ? searchTerms(req.filter.search) : [],
      tagId: req.filter?.tag,
      status: req.filter?.status,
      personIds: req.personIds,
      where: list?.where,
    },
    MAX_EXPORT_ROWS,
  );
  if (rows.length > MAX_EXPORT_ROWS) {
    throw new AppError(
      'rule_violation',
      `An export holds at most ${MAX_EXPORT_ROWS} people; narrow the filter.`,
    );
  }
  const locale = ctx.actor.locale;
  const header = req.columns.map((c) => HEADERS[locale][c]);
  const data = rows.map((r) => req.columns.map((c) => cell(r, c, locale)));
  const stamp = new Date().toISOString().slice(0, 10);
  const file = await writeTables(
    req.format,
    [{ name: locale === 'de' ? 'Personen' : 'People', header, rows: data }],
    // A list's export is named after the list (ASCII, so every browser keeps the name).
    list ? `${slugify(list.name)}-${stamp}` : `draht-export-${stamp}`,
    req.delimiter,
  );
  file.count = rows.length;
  await audit.record(
    ctx,
    'people.exported',
    { type: 'org', id: req.orgId, orgId: req.orgId },
    {
      count: rows.length,
      format: req.format,
      columns: req.columns,
      filter: req.filter ?? null,
      personIds: req.personIds ? req.personIds.length : null,
      queryId: req.queryId ?? null,
    },
  );
  return file;
}

/**
 * Tables as one file: CSV (UTF-8 with BOM, Windows line ends; several tables one after another,
 * each with its name in a line of its own) or XLSX (one sheet per table, header bold and frozen).
 * Text cells are neutralised against formula injection.
 */
export async function writeTables(
  format: 'csv' | 'xlsx',
  tables: { name: string; header: string[]; rows: (string | number)[][] }[],
  baseName: string,
  delimiter: string = ';',
): Promise<ExportFile> {
  const clean = (v: string | number) => (typeof v === 'string' ? neutralizeFormula(v) : v);
  const count = tables.reduce((n, t) => n + t.rows.length, 0);
  if (format === 'csv') {
    const lines: (string | number)[][] = [];
    tables.forEach((t, i) => {
      if (tables.length > 1) {
        if (i > 0) lines.push([]);
        lines.push([clean(t.name)]);
      }
      lines.push(t.header.map(clean), ...t.rows.map((r) => r.map(clean)));
    });
    const csv = stringify(lines, { delimiter, record_delimiter: 'windows' });
    return {
      fileName: `${baseName}.csv`,
      contentType: 'text/csv; charset=utf-8',
      body: Buffer.concat([Buffer.from('\uFEFF', 'utf8'), Buffer.from(csv, 'utf8')]),
      count,
    };
  }
  const workbook = new ExcelJS.Workbook();
  for (const t of tables) {
    const sheet = workbook.addWorksheet(t.name.slice(0, 31));
    sheet.addRow(t.header.map(clean)).font = { bold: true };
    for (const row of t.rows) sheet.addRow(row.map((v) => (v === '' ? null : clean(v))));
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return {
    fileName: `${baseName}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: Buffer.from(await workbook.xlsx.writeBuffer()),
    count,
  };
}
