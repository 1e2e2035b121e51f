import { randomUUID } from 'node:crypto';
import type { ImportMapping, ImportRowError } from '../../shared/imports.ts';
import { audit } from '../audit/audit.service.ts';
import type { BaseCtx } from '../context.ts';
import type { Db } from '../db/database.ts';
import { buildSearchText } from '../people/normalize.ts';
import { type ConvertedRow, convertRow } from './convert-row.ts';
import { type ConsentYes, requestImportConsents } from './import-consents.ts';
import * as repo from './imports.repo.ts';
import { type ImportScope, loadScope, matchRows } from './match-rows.ts';
import { type FileRecord, readRecords } from './read-file.ts';

export const BATCH_SIZE = 5000;
/** A worker holds an import this long per batch; a crashed worker's import is resumed after it. */
export const LEASE_SECONDS = 120;

/** The data records of a stored file (after the header row), in file order. */
export async function* dataRecords(
  db: Db,
  imp: {
    id: string;
    format: 'csv' | 'xlsx';
    encoding: string | null;
    delimiter: string | null;
    headerRow: number;
  },
): AsyncGenerator<FileRecord> {
  let i = 0;
  for await (const rec of readRecords(repo.readChunks(db, imp.id), imp)) {
    if (i++ <= imp.headerRow) continue;
    yield rec;
  }
}

/** Converts a record and adds the file-level problems (broken row, member number twice). */
export function convertRecord(
  scope: ImportScope,
  rec: FileRecord,
  duplicates: ReadonlySet<string>,
): ConvertedRow {
  if ('broken' in rec) {
    return {
      rowNumber: rec.rowNumber,
      values: { phones: [], customFields: {}, tagsAdd: [], tagsRemove: [] },
      display: {},
      errors: [
        { rowNumber: rec.rowNumber, column: null, problem: 'broken_row', value: rec.broken.slice(0, 500) },
      ],
    };
  }
  const row = convertRow(scope.convert, rec.rowNumber, rec.cells);
  const mn = row.values.memberNumber;
  if (mn && duplicates.has(mn)) {
    const column = scope.convert.columns.find((c) => scope.convert.mapping[c] === 'memberNumber') ?? null;
    row.errors.push({ rowNumber: rec.rowNumber, column, problem: 'duplicate_member_number', value: mn });
  }
  return row;
}

type ImportRow = repo.ImportRecord & { orgId: string };

const SIMPLE = [
  'firstName',
  'lastName',
  'title',
  'gender',
  'birthDate',
  'street',
  'houseNumber',
  'postalCode',
  'city',
  'memberNumber',
  'membershipStatus',
  'joinedOn',
  'leftOn',
] as const;

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A batch of file records with their conversion (done ahead, while the previous batch writes). */
interface PreparedBatch {
  start: number;
  rows: ConvertedRow[];
  /** The original cells of each row (kept for the rows that end up with problems). */
  cells: string[][];
}

let lastMs = 0;
let seq = 0;
/**
 * Time-ordered UUID (version 7: milliseconds, a counter, random bits) for created people: the
 * primary key and the person_id indexes of the child tables grow at their right edge instead of
 * at random pages.
 */
export function uuidv7(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    seq = 0;
  } else if (++seq > 0xfff) {
    lastMs++;
    seq = 0;
  }
  const ts = lastMs.toString(16).padStart(12, '0');
  const rand = randomUUID();
  return `${ts.slice(0, 8)}-${ts.slice(8)}-7${seq.toString(16).padStart(3, '0')}-${rand.slice(19)}`;
}

/**
 * One batch in one transaction: match, create, update, record changes and timeline entries,
 * skip rows with problems (listed in import_errors), and store the progress — all writes in one
 * statement. A crash rolls the whole batch back; the next run starts again at the stored offset.
 * `whileWriting` runs while that statement executes (the next batch is converted meanwhile).
 */
async function applyBatch(
  ctx: BaseCtx,
  trx: Db,
  imp: ImportRow,
  scope: ImportScope,
  batch: PreparedBatch,
  whileWriting: () => void,
): Promise<void> {
  const { rows } = batch;
  const matches = await matchRows(
    trx,
    scope,
    rows.map((r) => ({ values: r.values, hasErrors: r.errors.length > 0 })),
  );
  const errors: ImportRowError[] = rows.flatMap((r) => r.errors);
  const matchedIds = [...new Set(matches.flatMap((m) => (m && 'personId' in m ? [m.personId] : [])))];
  const matched = new Map(
    (await repo.findMatched(trx, imp.id, matchedIds, imp.mode !== 'create')).map((p) => [p.id, p]),
  );
  const seen = new Set<string>();
  const toCreate: ConvertedRow[] = [];
  const toUpdate: { row: ConvertedRow; before: repo.MatchedPerson }[] = [];
  const consentYes: ConsentYes[] = [];
  let failed = 0;
  let unchanged = 0;
  rows.forEach((row, i) => {
    const m = matches[i];
    if (row.errors.length) {
      failed++;
      if (m && 'personId' in m && !matched.get(m.personId)?.seen) seen.add(m.personId);
      return;
    }
    if (m && 'problem' in m) {
      errors.push({ rowNumber: row.rowNumber, column: null, problem: m.problem, value: null });
      failed++;
      return;
    }
    if (m) {
      const before = matched.get(m.personId);
      if (!before || before.seen || seen.has(m.personId)) {
        errors.push({ rowNumber: row.rowNumber, column: null, problem: 'same_person_twice', value: null });
        failed++;
        return;
      }
      seen.add(m.personId);
      if (row.values.newsletterConsent) consentYes.push({ personId: m.personId, rowNumber: row.rowNumber });
      if (imp.mode === 'create') unchanged++;
      else toUpdate.push({ row, before });
      return;
    }
    toCreate.push(row);
  });

  // Postal codes are routed only where a placement depends on them: new people without an explicit
  // unit, and updated people whose postal code changed.
  const needRoute = new Set<string>();
  for (const r of toCreate)
    if (!r.values.homeOrgId && r.values.postalCode) needRoute.add(r.values.postalCode);
  for (const { row, before } of toUpdate) {
    const pc = row.values.postalCode;
    if (pc && pc !== before.postalCode && !before.homeOrgId) needRoute.add(pc);
  }
  const unknownCodes = [...needRoute].filter((pc) => !scope.routes.has(pc));
  const routed = await repo.routePostalCodes(trx, unknownCodes);
  for (const pc of unknownCodes) scope.routes.set(pc, routed.get(pc) ?? null);
  const routeInScope = (pc: string | null | undefined) => {
    const id = pc ? scope.routes.get(pc) : undefined;
    return id && scope.subtree.has(id) ? id : null;
  };

  const people: repo.PersonWrite[] = [];
  const emails: repo.BatchWrite['emails'] = [];
  const phones: repo.BatchWrite['phones'] = [];
  const tagAdds: repo.BatchWrite['tagAdds'] = [];
  const tagRemoves: repo.BatchWrite['tagRemoves'] = [];
  const events: repo.BatchWrite['events'] = [];
  const changes: repo.BatchWrite['changes'] = [];

  for (const row of toCreate) {
    const v = row.values;
    if (!v.memberNumber) scope.hasPeopleWithoutMemberNumber = true;
    const id = uuidv7();
    if (v.newsletterConsent) consentYes.push({ personId: id, rowNumber: row.rowNumber });
    const routedOrg = v.homeOrgId ? null : routeInScope(v.postalCode);
    const orgId = v.homeOrgId ?? routedOrg ?? imp.orgId;
    const homeOrgId = v.homeOrgId ?? (routedOrg ? null : imp.orgId);
    const customFields = Object.fromEntries(Object.entries(v.customFields).filter(([, x]) => x !== null));
    const person = {
      id,
      orgId,
      homeOrgId,
      firstName: v.firstName ?? '',
      lastName: v.lastName ?? '',
      title: v.title ?? null,
      gender: v.gender ?? null,
      birthDate: v.birthDate ?? null,
      street: v.street ?? null,
      houseNumber: v.houseNumber ?? null,
      postalCode: v.postalCode ?? null,
      city: v.city ?? null,
      memberNumber: v.memberNumber ?? null,
      membershipStatus: v.membershipStatus ?? (v.leftOn ? 'former' : 'member'),
      joinedOn: v.joinedOn ?? null,
      leftOn: v.leftOn ?? null,
      customFields: JSON.stringify(customFields),
      searchText: '',
    };
    person.searchText = buildSearchText({ ...person, emails: v.email ? [v.email] : [], phones: v.phones });
    people.push(person);
    if (v.email) emails.push({ personId: id, email: v.email, isPrimary: true });
    for (const [i, p] of v.phones.entries()) phones.push({ personId: id, ...p, isPrimary: i === 0 });
    for (const tagId of v.tagsAdd) tagAdds.push({ personId: id, tagId });
    // The `person.created` timeline entry, the `created` change and the seen row are written by
    // the statement from the inserted rows.
  }

  const updates: repo.PersonWrite[] = [];
  for (const { row, before } of toUpdate) {
    const personId = before.id;
    const v = row.values;
    const after = { ...before };
    const fields: string[] = [];
    for (const key of SIMPLE) {
      const value = v[key];
      if (value === undefined) continue;
      if (value !== before[key]) {
        (after as Record<string, unknown>)[key] = value;
        fields.push(key);
      }
    }
    const cf = { ...before.customFields };
    let cfChanged = false;
    for (const [fieldId, value] of Object.entries(v.customFields)) {
      if (value === null) {
        if (fieldId in cf) {
          delete cf[fieldId];
          cfChanged = true;
        }
      } else if (!sameJson(cf[fieldId], value)) {
        cf[fieldId] = value;
        cfChanged = true;
      }
    }
    if (cfChanged) fields.push('customFields');
    const allEmails = [...before.emails];
    if (v.email && !allEmails.some((e) => e.toLowerCase() === v.email!.toLowerCase())) {
      emails.push({ personId, email: v.email, isPrimary: before.emails.length === 0 });
      allEmails.push(v.email);
      fields.push('emails');
    }
    const allPhones: { raw: string; e164: string | null }[] = before.phoneRaws.map((raw, i) => ({
      raw,
      e164: before.phoneE164s[i] ?? null,
    }));
    let phoneAdded = false;
    for (const p of v.phones) {
      if (allPhones.some((x) => (x.e164 && x.e164 === p.e164) || x.raw === p.raw)) continue;
      phones.push({ personId, ...p, isPrimary: allPhones.length === 0 });
      allPhones.push(p);
      phoneAdded = true;
    }
    if (phoneAdded) fields.push('phones');
    const tags = new Set(before.tagIds);
    let tagsChanged = false;
    for (const tagId of v.tagsAdd) {
      if (!tags.has(tagId)) {
        tagAdds.push({ personId, tagId });
        tagsChanged = true;
      }
    }
    for (const tagId of v.tagsRemove) {
      if (tags.has(tagId)) {
        tagRemoves.push({ personId, tagId });
        tagsChanged = true;
      }
    }
    if (tagsChanged) fields.push('tags');

    // Placement: an explicit unit from the file, else re-routing when the postal code changed.
    if (v.homeOrgId && v.homeOrgId !== before.homeOrgId) {
      after.homeOrgId = v.homeOrgId;
      after.orgId = v.homeOrgId;
      fields.push('homeOrgId');
    } else if (!before.homeOrgId && fields.includes('postalCode')) {
      after.orgId = routeInScope(after.postalCode) ?? before.orgId;
    }
    if (!fields.length) {
      unchanged++;
      continue;
    }
    updates.push({
      id: personId,
      orgId: after.orgId,
      homeOrgId: after.homeOrgId,
      firstName: after.firstName,
      lastName: after.lastName,
      title: after.title,
      gender: after.gender,
      birthDate: after.birthDate,
      street: after.street,
      houseNumber: after.houseNumber,
      postalCode: after.postalCode,
      city: after.city,
      memberNumber: after.memberNumber,
      membershipStatus: after.membershipStatus,
      joinedOn: after.joinedOn,
      leftOn: after.leftOn,
      customFields: JSON.stringify(cf),
      searchText: buildSearchText({ ...after, emails: allEmails, phones: allPhones }),
    });
    events.push({
      personId,
      kind: 'person.updated',
      data: { fields, source: 'import', importId: imp.id },
    });
    changes.push({ personId, orgId: after.orgId, kind: 'updated', fields });
    if (fields.includes('membershipStatus') && after.membershipStatus === 'former') {
      changes.push({ personId, orgId: after.orgId, kind: 'departed', fields: ['membershipStatus'] });
    }
    if (after.orgId !== before.orgId) {
      changes.push({ personId, orgId: after.orgId, kind: 'moved', fields: [before.orgId] });
      events.push({
        personId,
        kind: 'person.moved',
        data: { fromOrgId: before.orgId, toOrgId: after.orgId, source: 'import' },
      });
    }
  }

  const failedRows = new Set(errors.map((e) => e.rowNumber));
  const errorRows = rows.flatMap((r, i) =>
    failedRows.has(r.rowNumber) ? [{ rowNumber: r.rowNumber, cells: batch.cells[i] ?? [] }] : [],
  );
  const written = repo.writeBatch(trx, {
    importId: imp.id,
    actorUserId: imp.createdBy,
    sourceDetail: `import ${imp.fileName}`.slice(0, 200),
    created: people,
    updated: updates,
    emails,
    phones,
    tagAdds,
    tagRemoves,
    events,
    changes,
    seen: [...seen],
    errors,
    errorRows,
    nextRow: batch.start + rows.length,
    counts: { created: people.length, updated: updates.length, unchanged, failed },
  });
  // Let the statement go out, then use the time it runs in the database.
  await new Promise((resolve) => setImmediate(resolve));
  whileWriting();
  await written;
  // Newsletter consent column: only rows with "yes" take this path (import-consents.ts).
  await requestImportConsents(ctx, trx, imp, consentYes);
}

export type ProcessOutcome = 'done' | 'paused' | 'stale' | 'skipped';

/**
 * Runs an import from its stored offset to the end: batches of `batchSize` rows, each committed
 * with its progress; then (sync) the departures, the final status and the audit entry.
 * `maxBatches` stops early (tests simulate a crash with it). While a batch is written, the next
 * one is read ahead (outside the transaction) and converted (while its write statement runs).
 */
export async function processImport(
  ctx: BaseCtx,
  importId: string,
  opts: { batchSize?: number; maxBatches?: number } = {},
): Promise<ProcessOutcome> {
  const { db } = ctx;
  const found = await repo.findImport(db, importId);
  if (found?.status !== 'running' || !found.orgId) return 'skipped';
  const imp = found as ImportRow;
  const batchSize = opts.batchSize ?? BATCH_SIZE;
  const scope = await loadScope(db, {
    orgId: imp.orgId,
    columns: imp.columns,
    mapping: imp.mapping as ImportMapping,
  });
  const duplicates = new Set(imp.duplicateMemberNumbers);
  const records = dataRecords(db, imp)[Symbol.asyncIterator]();
  const convert = (start: number, recs: FileRecord[]): PreparedBatch => ({
    start,
    rows: recs.map((rec) => convertRecord(scope, rec, duplicates)),
    cells: recs.map((rec) => ('cells' in rec ? rec.cells : [rec.broken])),
  });
  let position = 0;
  const read = async (): Promise<FileRecord[]> => {
    const recs: FileRecord[] = [];
    while (recs.length < batchSize) {
      const next = await records.next();
      if (next.done) break;
      if (position++ < imp.nextRow) continue;
      recs.push(next.value);
    }
    return recs;
  };
  let batches = 0;
  let processed = imp.nextRow;
  try {
    const first = await read();
    let current: PreparedBatch | null = first.length ? convert(imp.nextRow, first) : null;
    let ahead = current ? await read() : [];
    while (current) {
      const batch = current;
      let following: PreparedBatch | null = null;
      const nextStart = batch.start + batch.rows.length;
      const toConvert = ahead;
      const committed = await db.transaction().execute(async (trx) => {
        if (!(await repo.lockBatch(trx, imp.id, batch.start, LEASE_SECONDS))) return false;
        await applyBatch(ctx, trx, imp, scope, batch, () => {
          if (toConvert.length) following = convert(nextStart, toConvert);
        });
        return true;
      });
      if (!committed) return 'stale';
      processed = nextStart;
      if (opts.maxBatches && batch.rows.length === batchSize && ++batches >= opts.maxBatches) return 'paused';
      current = following ?? (toConvert.length ? convert(nextStart, toConvert) : null);
      ahead = current ? await read() : [];
    }
    return await finishImport(ctx, imp, processed);
  } catch (err) {
    ctx.log.error({ err, importId }, 'import failed');
    await repo.updateImport(db, imp.id, {
      status: 'failed',
      message: (err as Error).message?.slice(0, 500) ?? 'failed',
      finishedAt: new Date(),
      lockedUntil: null,
    });
    await repo.deleteImportWorkingData(db, imp.id);
    return 'done';
  } finally {
    await records.return?.(undefined);
  }
}

async function finishImport(ctx: BaseCtx, imp: ImportRow, processed: number): Promise<ProcessOutcome> {
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.lockBatch(trx, imp.id, processed, LEASE_SECONDS))) return 'stale';
    let departed = 0;
    let message: string | null = null;
    if (imp.mode === 'sync') {
      const count = await repo.countDepartures(trx, imp.id, imp.orgId);
      if (count <= (imp.departuresConfirmed ?? 0)) {
        departed = await repo.markDepartures(trx, imp.id, imp.orgId, imp.createdBy);
      } else {
        message = `Departures not applied: ${count} members are missing from the file, but ${imp.departuresConfirmed ?? 0} were confirmed.`;
      }
    }
    await repo.updateImport(trx, imp.id, {
      status: 'done',
      departed,
      message,
      total: processed,
      finishedAt: new Date(),
      lockedUntil: null,
    });
    // The uploaded file and the seen list go with the end of the run (privacy catalogue).
    await repo.deleteImportWorkingData(trx, imp.id);
    const final = (await repo.findImport(trx, imp.id))!;
    await audit.record(
      { ...ctx, db: trx, actor: imp.createdBy ? { userId: imp.createdBy } : null },
      'import.finished',
      { type: 'import', id: imp.id, orgId: imp.orgId },
      {
        mode: imp.mode,
        total: processed,
        created: final.created,
        updated: final.updated,
        unchanged: final.unchanged,
        departed,
        failed: final.failed,
        consentsRequested: final.consentsRequested,
      },
    );
    return 'done';
  });
}

/** The job: claims running imports nobody works on (new, or left by a crashed instance) and runs them. */
export async function runPendingImports(ctx: BaseCtx): Promise<void> {
  for (;;) {
    const id = await repo.claimRunnableImport(ctx.db, LEASE_SECONDS);
    if (!id) return;
    await processImport(ctx, id);
  }
}
