import type {
  ImportAnalysis,
  ImportMapping,
  ImportMode,
  ImportPreviewRow,
  ImportRowError,
} from '../../shared/imports.ts';
import type { Db } from '../db/database.ts';
import type { ConvertedRow } from './convert-row.ts';
import * as repo from './imports.repo.ts';
import { mappingWarnings } from './mapping-warnings.ts';
import { loadScope, matchRows } from './match-rows.ts';
import { convertRecord, dataRecords } from './run-import.ts';

const PREVIEW_ROWS = 20;
const LISTED_ERRORS = 500;
const NO_DUPLICATES: ReadonlySet<string> = new Set();
/** Rows whose values are looked at for the mapping warnings. */
const SAMPLED_ROWS = 200;

type StoredFile = {
  id: string;
  orgId: string;
  columns: string[];
  format: 'csv' | 'xlsx';
  encoding: string | null;
  delimiter: string | null;
  headerRow: number;
};

/**
 * Checks the whole file under a mapping before anything is written: every row converted, member
 * numbers that occur twice, the first problems, a preview, and in sync mode how many members of
 * the subtree the file lacks (a second pass matches each row exactly as the run will).
 */
export async function analyzeImport(
  db: Db,
  file: StoredFile,
  mapping: ImportMapping,
  mode: ImportMode,
): Promise<{ analysis: ImportAnalysis; duplicates: string[] }> {
  const scope = await loadScope(db, { orgId: file.orgId, columns: file.columns, mapping });
  // Member number → row numbers (negative: the row has other problems too).
  const firstRow = new Map<string, number>();
  const repeated = new Map<string, number[]>();
  const preview: ConvertedRow[] = [];
  const errors: ImportRowError[] = [];
  let total = 0;
  let errorRows = 0;
  const samples = new Map<string, string[]>(file.columns.map((c) => [c, []]));
  for await (const rec of dataRecords(db, file)) {
    total++;
    if (total <= SAMPLED_ROWS && 'cells' in rec) {
      for (const [i, c] of file.columns.entries()) samples.get(c)?.push(rec.cells[i] ?? '');
    }
    const row = convertRecord(scope, rec, NO_DUPLICATES);
    if (row.errors.length) errorRows++;
    const mn = row.values.memberNumber;
    if (mn) {
      const signed = row.errors.length ? -row.rowNumber : row.rowNumber;
      const first = firstRow.get(mn);
      if (first === undefined) firstRow.set(mn, signed);
      else repeated.set(mn, [...(repeated.get(mn) ?? [first]), signed]);
    }
    if (preview.length < PREVIEW_ROWS) preview.push(row);
    if (errors.length < LISTED_ERRORS) errors.push(...row.errors);
  }
  firstRow.clear();

  const duplicates = [...repeated.keys()];
  const mnColumn = file.columns.find((c) => mapping[c] === 'memberNumber') ?? null;
  const duplicateErrors: ImportRowError[] = [];
  for (const [mn, rowNumbers] of repeated) {
    for (const signed of rowNumbers) {
      if (signed > 0) errorRows++;
      duplicateErrors.push({
        rowNumber: Math.abs(signed),
        column: mnColumn,
        problem: 'duplicate_member_number',
        value: mn,
      });
    }
  }
  const listed = [...errors, ...duplicateErrors.slice(0, LISTED_ERRORS)]
    .sort((a, b) => a.rowNumber - b.rowNumber)
    .slice(0, LISTED_ERRORS);
  const previewRows: ImportPreviewRow[] = preview.map((r) => ({
    rowNumber: r.rowNumber,
    values: r.display,
    errors: [...r.errors, ...duplicateErrors.filter((e) => e.rowNumber === r.rowNumber)],
  }));

  let departures: number | null = null;
  if (mode === 'sync') {
    const dupSet = new Set(duplicates);
    const matched = new Set<string>();
    let batch: ConvertedRow[] = [];
    const flush = async () => {
      const results = await matchRows(
        db,
        scope,
        batch.map((r) => ({ values: r.values, hasErrors: r.errors.length > 0 })),
      );
      for (const m of results) if (m && 'personId' in m) matched.add(m.personId);
      batch = [];
    };
    for await (const rec of dataRecords(db, file)) {
      batch.push(convertRecord(scope, rec, dupSet));
      if (batch.length >= 1000) await flush();
    }
    if (batch.length) await flush();
    const members = await repo.findMemberIdsInSubtree(db, file.orgId);
    departures = members.filter((id) => !matched.has(id)).length;
  }

  return {
    analysis: {
      mapping,
      mode,
      total,
      preview: previewRows,
      errors: listed,
      errorRows,
      departures,
      warnings: mappingWarnings(file.columns, mapping, mode, samples),
    },
    duplicates,
  };
}
