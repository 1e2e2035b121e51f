import type { z } from 'zod';
import type { ErrorDetail } from '../../shared/errors.ts';
import type {
  ImportCreated,
  ImportMapping,
  ImportMappingBody,
  ImportMode,
  ImportStartBody,
  ImportView,
} from '../../shared/imports.ts';
import { STALE_UPLOAD_DAYS } from '../../shared/imports.ts';
import { audit } from '../audit/audit.service.ts';
import { requireOrgPermission } from '../auth/scope.ts';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { findFieldsVisibleIn } from '../fields/fields.repo.ts';
import { daysBefore } from '../privacy/catalogue.ts';
import { findTagsVisibleIn } from '../tags/tags.repo.ts';
import { analyzeImport } from './analyze-import.ts';
import { isKnownHeader, suggestMapping } from './convert-row.ts';
import { problemText } from './import-problems.ts';
import { IMPORT_ERRORS_RETENTION_DAYS } from './imports.privacy.ts';
import * as repo from './imports.repo.ts';
import {
  columnNames,
  detectDelimiter,
  detectHeaderRow,
  EncodingDetector,
  type FileFormat,
  readRecords,
  sniffFormat,
  UnreadableFileError,
} from './read-file.ts';
import { dataRecords } from './run-import.ts';

const CHUNK_BYTES = 1024 * 1024;
const HEADER_SEARCH_ROWS = 30;

/** A multipart request as the service sees it: form fields and one file, in the order sent. */
export type UploadPart =
  | { kind: 'field'; name: string; value: string }
  | { kind: 'file'; fileName: string; stream: AsyncIterable<Buffer> };

function toView(r: repo.ImportRecord): ImportView {
  const processed = r.nextRow;
  const elapsed =
    r.startedAt && (r.status === 'running' || r.finishedAt)
      ? ((r.finishedAt ?? new Date()).getTime() - r.startedAt.getTime()) / 1000
      : null;
  const rowsPerSecond = elapsed && elapsed > 0 && processed > 0 ? Math.round(processed / elapsed) : null;
  const etaSeconds =
    r.status === 'running' && rowsPerSecond
      ? Math.ceil(Math.max(0, r.total - processed) / rowsPerSecond)
      : null;
  return {
    id: r.id,
    orgId: r.orgId!,
    orgName: r.orgName ?? '',
    fileName: r.fileName,
    format: r.format,
    mode: r.mode,
    status: r.status === 'uploading' ? 'pending' : r.status,
    total: r.total,
    processed,
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    departed: r.departed,
    failed: r.failed,
    departuresConfirmed: r.departuresConfirmed,
    consentLegalBasis: r.consentLegalBasis,
    consentOrgId: r.consentOrgId,
    consentsRequested: r.consentsRequested,
    rowsPerSecond,
    etaSeconds: r.status === 'done' ? 0 : etaSeconds,
    message: r.message,
    createdByName: r.createdByName,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/** The import, if the actor may import into its unit: 404 outside their scope, 403 without the role. */
async function requireImport(ctx: Ctx, id: string) {
  const imp = await repo.findImport(ctx.db, id);
  if (!imp?.orgId || imp.status === 'uploading') throw new AppError('not_found', 'Import not found.');
  await requireOrgPermission(ctx, imp.orgId, 'people:import');
  return imp as repo.ImportRecord & { orgId: string };
}

/** Streams the file into 1 MiB rows of import_file_chunks while checking its encoding. */
async function storeFile(ctx: Ctx, importId: string, stream: AsyncIterable<Buffer>) {
  const encoding = new EncodingDetector();
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let seq = 0;
  let size = 0;
  let head: Uint8Array | null = null;
  const flush = async () => {
    if (!pendingBytes) return;
    const data = Buffer.concat(pending, pendingBytes);
    head ??= data.subarray(0, 64 * 1024);
    await repo.insertChunk(ctx.db, importId, seq++, data);
    pending = [];
    pendingBytes = 0;
  };
  for await (const chunk of stream) {
    encoding.push(chunk);
    size += chunk.length;
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes >= CHUNK_BYTES) await flush();
  }
  await flush();
  return { size, head: head ?? new Uint8Array(), encoding: encoding.result() };
}

/**
 * Upload: the file goes into the database as it arrives (nothing on local disk, so any instance
 * can run the import), then format, encoding, delimiter and header row are detected, the mapping
 * guessed and the whole file checked with it.
 */
export async function createImport(ctx: Ctx, parts: AsyncIterable<UploadPart>): Promise<ImportCreated> {
  let orgId: string | undefined;
  let stored: { id: string; fileName: string; size: number; head: Uint8Array; encoding: string } | undefined;
  try {
    for await (const part of parts) {
      if (part.kind === 'field') {
        if (part.name === 'orgId') {
          orgId = part.value.trim();
          if (!/^[0-9a-f-]{36}$/i.test(orgId)) {
            throw new AppError('validation_failed', 'Invalid orgId.', [
              { path: 'body.orgId', message: 'invalid uuid', reason: 'org_invalid' },
            ]);
          }
          await requireOrgPermission(ctx, orgId, 'people:import');
        }
        continue;
      }
      if (stored) {
        throw new AppError('validation_failed', 'Send one file per import.', [
          { path: 'body.file', message: 'one file per import', reason: 'one_file_only' },
        ]);
      }
      const fileName = (part.fileName || 'import.csv').slice(0, 200);
      const { id } = await repo.insertImport(ctx.db, {
        orgId: null,
        createdBy: ctx.actor.userId,
        fileName,
        suggestedMapping: '{}',
        mapping: '{}',
      });
      stored = { id, fileName, size: 0, head: new Uint8Array(), encoding: 'utf-8' };
      Object.assign(stored, await storeFile(ctx, id, part.stream));
    }
    if (!orgId) {
      throw new AppError('validation_failed', 'orgId is required.', [
        { path: 'body.orgId', message: 'required', reason: 'org_required' },
      ]);
    }
    await requireOrgPermission(ctx, orgId, 'people:import');
    if (!stored) {
      throw new AppError('validation_failed', 'A file is required.', [
        { path: 'body.file', message: 'required', reason: 'file_required' },
      ]);
    }
    return await inspectFile(ctx, orgId, stored);
  } catch (err) {
    if (stored) await repo.deleteImport(ctx.db, stored.id);
    if (err instanceof UnreadableFileError) {
      throw new AppError('validation_failed', err.message, [
        { path: 'body.file', message: err.message, reason: err.reason },
      ]);
    }
    throw err;
  }
}

async function inspectFile(
  ctx: Ctx,
  orgId: string,
  stored: { id: string; fileName: string; size: number; head: Uint8Array; encoding: string },
): Promise<ImportCreated> {
  const format: FileFormat = sniffFormat(stored.head);
  const encoding = format === 'csv' ? stored.encoding : null;
  const headText =
    format === 'csv'
      ? new TextDecoder(encoding === 'windows-1252' ? 'windows-1252' : 'utf-8').decode(stored.head)
      : '';
  if (format === 'csv' && !headText.trim()) throw new UnreadableFileError('file_empty', 'The file is empty.');
  const delimiter = format === 'csv' ? detectDelimiter(headText) : null;
  const file = { format, encoding, delimiter };

  const first: string[][] = [];
  const rowNumbers: number[] = [];
  for await (const rec of readRecords(repo.readChunks(ctx.db, stored.id), file)) {
    first.push('cells' in rec ? rec.cells : []);
    rowNumbers.push(rec.rowNumber);
    if (first.length >= HEADER_SEARCH_ROWS) break;
  }
  if (!first.length) throw new UnreadableFileError('file_empty', 'The file is empty.');
  const headerRow = detectHeaderRow(first, isKnownHeader);
  if (headerRow < 0) {
    throw new UnreadableFileError(
      'no_header_row',
      'No header row found: the first rows need column names such as "Vorname".',
    );
  }
  const columns = columnNames(first[headerRow]);
  const [fields, tags] = await Promise.all([
    findFieldsVisibleIn(ctx.db, orgId),
    findTagsVisibleIn(ctx.db, orgId),
  ]);
  const suggestedMapping = suggestMapping(columns, fields, tags);
  const mode: ImportMode = 'update';
  const { analysis, duplicates } = await analyzeImport(
    ctx.db,
    { id: stored.id, orgId, columns, format, encoding, delimiter, headerRow },
    suggestedMapping,
    mode,
  );
  await repo.updateImport(ctx.db, stored.id, {
    orgId,
    fileSize: stored.size,
    format,
    encoding,
    delimiter,
    headerRow,
    columns,
    suggestedMapping: JSON.stringify(suggestedMapping),
    mapping: JSON.stringify(suggestedMapping),
    mode,
    status: 'pending',
    total: analysis.total,
    errorRows: analysis.errorRows,
    duplicateMemberNumbers: duplicates,
    departures: analysis.departures,
  });
  await audit.record(
    ctx,
    'import.uploaded',
    { type: 'import', id: stored.id, orgId },
    { fileName: stored.fileName, size: stored.size, rows: analysis.total },
  );
  return {
    ...analysis,
    id: stored.id,
    fileName: stored.fileName,
    format,
    encoding,
    delimiter,
    headerRow: rowNumbers[headerRow],
    columns,
    samples: first.slice(headerRow + 1, headerRow + 4).map((cells) => columns.map((_, i) => cells[i] ?? '')),
    suggestedMapping,
  };
}

/** Checks a mapping: known columns, each person column at most once, fields and tags of the unit. */
async function validateMapping(ctx: Ctx, imp: { orgId: string; columns: string[] }, mapping: ImportMapping) {
  const details: ErrorDetail[] = [];
  const [fields, tags] = await Promise.all([
    findFieldsVisibleIn(ctx.db, imp.orgId),
    findTagsVisibleIn(ctx.db, imp.orgId),
  ]);
  const fieldIds = new Set(fields.map((f) => f.id));
  const tagIds = new Set(tags.map((t) => t.id));
  const used = new Set<string>();
  for (const [column, target] of Object.entries(mapping)) {
    const path = `body.mapping.${column}`;
    if (!imp.columns.includes(column))
      details.push({ path, message: 'no such column in the file', reason: 'mapping_unknown_column' });
    if (!target) continue;
    if (target.startsWith('field:') && !fieldIds.has(target.slice(6)))
      details.push({ path, message: 'no such field for this unit', reason: 'mapping_unknown_field' });
    if (target.startsWith('tag:') && !tagIds.has(target.slice(4)))
      details.push({ path, message: 'no such tag for this unit', reason: 'mapping_unknown_tag' });
    const repeatable = target === 'phone' || target === 'mobile' || target.startsWith('tag:');
    if (used.has(target) && !repeatable)
      details.push({ path, message: `${target} is mapped twice`, reason: 'mapping_target_twice' });
    used.add(target);
  }
  if (details.length) throw new AppError('validation_failed', 'Invalid mapping.', details);
}

export async function setMapping(ctx: Ctx, id: string, body: z.infer<typeof ImportMappingBody>) {
  const imp = await requireImport(ctx, id);
  if (imp.status !== 'pending') throw new AppError('conflict', 'This import has already been started.');
  await validateMapping(ctx, imp, body.mapping);
  // Columns left out of the body are ignored.
  const mapping: ImportMapping = Object.fromEntries(imp.columns.map((c) => [c, body.mapping[c] ?? null]));
  const { analysis, duplicates } = await analyzeImport(ctx.db, imp, mapping, body.mode);
  await repo.updateImport(ctx.db, imp.id, {
    mapping: JSON.stringify(mapping),
    mode: body.mode,
    total: analysis.total,
    errorRows: analysis.errorRows,
    duplicateMemberNumbers: duplicates,
    departures: analysis.departures,
  });
  return analysis;
}

/**
 * Starts the run in the background. Sync mode needs `confirmDepartures` equal to the number of
 * members that will become former members (422 naming the number otherwise).
 */
export async function startImport(ctx: Ctx, id: string, body: z.infer<typeof ImportStartBody>) {
  const imp = await requireImport(ctx, id);
  if (imp.status !== 'pending') throw new AppError('conflict', 'This import has already been started.');
  if (imp.mode === 'sync' && body.confirmDepartures !== (imp.departures ?? 0)) {
    throw new AppError(
      'rule_violation',
      `This sync will mark ${imp.departures ?? 0} members as former members. Confirm with {"confirmDepartures": ${imp.departures ?? 0}}.`,
      [
        {
          path: 'body.confirmDepartures',
          message: String(imp.departures ?? 0),
          reason: 'confirm_departures',
        },
      ],
    );
  }
  const consent = await consentSettings(ctx, imp, body);
  await repo.updateImport(ctx.db, imp.id, {
    status: 'running',
    startedAt: new Date(),
    nextRow: 0,
    departuresConfirmed: imp.mode === 'sync' ? (imp.departures ?? 0) : null,
    ...consent,
  });
  await audit.record(
    ctx,
    'import.started',
    { type: 'import', id: imp.id, orgId: imp.orgId },
    {
      mode: imp.mode,
      rows: imp.total,
      fileName: imp.fileName,
      departuresConfirmed: body.confirmDepartures ?? null,
      consentOrgId: consent.consentOrgId,
    },
  );
  await ctx.jobs.send('import-run', { importId: imp.id }, { key: `import:${imp.id}` });
  return toView((await repo.findImport(ctx.db, imp.id))!);
}

/**
 * A mapped newsletter consent column needs the organizer's statement of the legal basis (422
 * `consent_legal_basis_required` without it) and is for the import's unit or, if given, one above
 * it the actor may import into (404 outside their scope, 422 `unit_not_in_line` below or beside).
 */
async function consentSettings(
  ctx: Ctx,
  imp: { orgId: string; mapping: unknown },
  body: z.infer<typeof ImportStartBody>,
) {
  const mapped = Object.values((imp.mapping ?? {}) as ImportMapping).includes('newsletterConsent');
  if (!mapped) return { consentLegalBasis: null, consentOrgId: null };
  if (!body.consentLegalBasis) {
    throw new AppError(
      'rule_violation',
      'A newsletter consent column is mapped: state the legal basis of the consents in consentLegalBasis.',
      [{ path: 'body.consentLegalBasis', message: 'required', reason: 'consent_legal_basis_required' }],
    );
  }
  const consentOrgId = body.consentOrgId ?? imp.orgId;
  if (consentOrgId !== imp.orgId) {
    await requireOrgPermission(ctx, consentOrgId, 'people:import');
    if (!(await repo.isUnitOrAncestor(ctx.db, consentOrgId, imp.orgId))) {
      throw new AppError('rule_violation', 'The consents must be for the import’s unit or one above it.', [
        {
          path: 'body.consentOrgId',
          message: 'not the import’s unit or above',
          reason: 'consent_unit_not_in_line',
        },
      ]);
    }
  }
  return { consentLegalBasis: body.consentLegalBasis, consentOrgId };
}

/** Discards an upload that was not started: the import and its stored file are deleted. */
export async function discardImport(ctx: Ctx, id: string) {
  const imp = await requireImport(ctx, id);
  if (imp.status !== 'pending' || !(await repo.deleteNotStartedImport(ctx.db, imp.id))) {
    throw new AppError(
      'conflict',
      'This import has already been started; only imports not started can be discarded.',
    );
  }
  await audit.record(
    ctx,
    'import.discarded',
    { type: 'import', id: imp.id, orgId: imp.orgId },
    { fileName: imp.fileName, rows: imp.total },
  );
}

/** The cleanup job's body: deletes uploads not started within STALE_UPLOAD_DAYS; returns how many. */
export async function deleteStaleUploads(db: Db, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - STALE_UPLOAD_DAYS * 24 * 3600 * 1000);
  return (await repo.deleteStaleUploads(db, before)).length;
}

/**
 * Retention (imports.privacy.ts): imports that ended more than IMPORT_ERRORS_RETENTION_DAYS ago
 * lose the problems of skipped rows, their original cells and the duplicate member numbers (the
 * counts stay). Returns how many imports were cleaned.
 */
export function deleteExpiredImportDetails(db: Db, now = new Date()): Promise<number> {
  return repo.deleteExpiredImportDetails(db, daysBefore(now, IMPORT_ERRORS_RETENTION_DAYS));
}

export async function getImport(ctx: Ctx, id: string) {
  return toView(await requireImport(ctx, id));
}

export async function listImports(ctx: Ctx, orgId: string, limit: number) {
  await requireOrgPermission(ctx, orgId, 'people:import');
  const rows = await repo.listImports(ctx.db, orgId, limit);
  return { items: rows.map(toView), nextCursor: null };
}

/** Cells that spreadsheets would run as formulas get a leading apostrophe. */
function csvCell(value: string, delimiter: string) {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /["\n\r]/.test(safe) || safe.includes(delimiter) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The skipped rows as CSV in the actor's language, one line per row: row number, the columns and
 * problems (several joined by " | "), the values at fault, then the whole original row under the
 * file's own column names, so the file can be fixed and imported again as it is (the first four
 * columns are not mapped by the import).
 */
export async function errorsCsv(ctx: Ctx, id: string) {
  const imp = await requireImport(ctx, id);
  const errors = await repo.findErrors(ctx.db, imp.id, 1_000_000);
  const byRow = new Map<number, typeof errors>();
  for (const e of errors) byRow.set(e.rowNumber, [...(byRow.get(e.rowNumber) ?? []), e]);
  const de = ctx.actor.locale !== 'en';
  const d = de ? ';' : ',';
  const header = de
    ? ['Zeile', 'Spalte', 'Problem', 'Originalwert']
    : ['Row', 'Column', 'Problem', 'Original value'];
  const line = (cells: string[]) => cells.map((c) => csvCell(c, d)).join(d);
  const lines = [line([...header, ...imp.columns])];
  const joined = (values: (string | null)[]) => [...new Set(values.map((v) => v ?? ''))].join(' | ');
  const described = (rowNumber: number, rowErrors: typeof errors, cells: string[]) =>
    line([
      String(rowNumber),
      joined(rowErrors.map((e) => e.columnName)),
      joined(rowErrors.map((e) => problemText(e.problem, ctx.actor.locale))),
      joined(rowErrors.map((e) => e.value)),
      ...imp.columns.map((_, i) => cells[i] ?? ''),
    ]);
  // The original cells are stored with each batch; imports from before that read them from the
  // file while it is still kept.
  const stored = byRow.size ? await repo.findErrorRows(ctx.db, imp.id) : new Map<number, string[]>();
  if (stored.size) {
    for (const [rowNumber, rowErrors] of byRow)
      lines.push(described(rowNumber, rowErrors, stored.get(rowNumber) ?? []));
    byRow.clear();
  }
  if (byRow.size) {
    for await (const rec of dataRecords(ctx.db, imp)) {
      const rowErrors = byRow.get(rec.rowNumber);
      if (!rowErrors) continue;
      lines.push(described(rec.rowNumber, rowErrors, 'cells' in rec ? rec.cells : [rec.broken]));
      byRow.delete(rec.rowNumber);
    }
    // Rows the file no longer yields (should not happen): still listed, without their cells.
    for (const [rowNumber, rowErrors] of byRow) lines.push(described(rowNumber, rowErrors, []));
  }
  await audit.record(ctx, 'import.errors_downloaded', { type: 'import', id: imp.id, orgId: imp.orgId });
  const base = imp.fileName.replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '_');
  return { fileName: `${base}-${de ? 'fehler' : 'errors'}.csv`, body: `\uFEFF${lines.join('\r\n')}\r\n` };
}
