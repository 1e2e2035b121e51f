import { randomUUID } from 'node:crypto';
import type { ImportMapping, ImportRowError } from '../../shared/imports.ts';
import { audit } from '../audit/audit.service.ts';
import type { BaseCtx } from '../context.ts';
import type { Db } from '../db/database.ts';
import { buildSearchText } from '../people/normalize.ts';
import { findEmails, findPhones } from '../people/people.repo.ts';
import { type ConvertedRow, convertRow } from './convert-row.ts';
import * as repo from './imports.repo.ts';
import { type ImportScope, loadScope, matchRows } from './match-rows.ts';
import { type FileRecord, readRecords } from './read-file.ts';

export const BATCH_SIZE = 1000;
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

/**
 * One batch in one transaction: match, create, update, record changes and timeline entries,
 * skip rows with problems (listed in import_errors), and store the progress. A crash rolls the
 * whole batch back; the next run starts again at the stored offset.
 */
async function applyBatch(
  trx: Db,
  imp: ImportRow,
  scope: ImportScope,
  records: FileRecord[],
  duplicates: ReadonlySet<string>,
) {
  const rows = records.map((rec) => convertRecord(scope, rec, duplicates));
  const matches = await matchRows(
    trx,
    scope,
    rows.map((r) => ({ values: r.values, hasErrors: r.errors.length > 0 })),
  );
  const errors: ImportRowError[] = rows.flatMap((r) => r.errors);
  const matchedIds = matches.flatMap((m) => (m && 'personId' in m ? [m.personId] : []));
  const seenBefore = await repo.findSeen(trx, imp.id, matchedIds);
  const seen = new Set<string>();
  const toCreate: ConvertedRow[] = [];
  const toUpdate: { row: ConvertedRow; personId: string }[] = [];
  let failed = 0;
  let unchanged = 0;
  rows.forEach((row, i) => {
    const m = matches[i];
    if (row.errors.length) {
      failed++;
      if (m && 'personId' in m) seen.add(m.personId);
      return;
    }
    if (m && 'problem' in m) {
      errors.push({ rowNumber: row.rowNumber, column: null, problem: m.problem, value: null });
      failed++;
      return;
    }
    if (m) {
      if (seenBefore.has(m.personId) || seen.has(m.personId)) {
        errors.push({ rowNumber: row.rowNumber, column: null, problem: 'same_person_twice', value: null });
        failed++;
        return;
      }
      seen.add(m.personId);
      if (imp.mode === 'create') unchanged++;
      else toUpdate.push({ row, personId: m.personId });
      return;
    }
    toCreate.push(row);
  });

  const postalCodes = [
    ...new Set([...toCreate, ...toUpdate.map((u) => u.row)].flatMap((r) => r.values.postalCode ?? [])),
  ];
  const unknownCodes = postalCodes.filter((pc) => !scope.routes.has(pc));
  const routed = await repo.routePostalCodes(trx, unknownCodes);
  for (const pc of unknownCodes) scope.routes.set(pc, routed.get(pc) ?? null);
  const routeInScope = (pc: string | null | undefined) => {
    const id = pc ? scope.routes.get(pc) : undefined;
    return id && scope.subtree.has(id) ? id : null;
  };

  const people: repo.PersonWrite[] = [];
  const emails: { personId: string; email: string; isPrimary: boolean }[] = [];
  const phones: Parameters<typeof repo.insertPhones>[1] = [];
  const tagAdds: { personId: string; tagId: string }[] = [];
  const tagRemoves: { personId: string; tagId: string }[] = [];
  const events: { personId: string; kind: string; data: Record<string, unknown> }[] = [];
  const changes: { personId: string; orgId: string; kind: string; fields: string[] }[] = [];

  for (const row of toCreate) {
    const v = row.values;
    if (!v.memberNumber) scope.hasPeopleWithoutMemberNumber = true;
    const id = randomUUID();
    seen.add(id);
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
    events.push({ personId: id, kind: 'person.created', data: { source: 'import', importId: imp.id } });
    changes.push({ personId: id, orgId, kind: 'created', fields: [] });
  }

  const updates: repo.PersonWrite[] = [];
  if (toUpdate.length) {
    const ids = toUpdate.map((u) => u.personId);
    const [existing, existingEmails, existingPhones, existingTags] = await Promise.all([
      repo.findPeopleForUpdate(trx, ids),
      findEmails(trx, ids),
      findPhones(trx, ids),
      repo.findTagIdsOfPeople(trx, ids),
    ]);
    const byId = new Map(existing.map((p) => [p.id, p]));
    const group = <T extends { personId: string }>(list: T[]) => {
      const m = new Map<string, T[]>();
      for (const x of list) m.set(x.personId, [...(m.get(x.personId) ?? []), x]);
      return m;
    };
    const emailsOf = group(existingEmails);
    const phonesOf = group(existingPhones);
    const tagsOf = group(existingTags);

    for (const { row, personId } of toUpdate) {
      const v = row.values;
      const before = byId.get(personId)!;
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
      const cf = { ...(before.customFields as Record<string, unknown>) };
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
      const knownEmails = emailsOf.get(personId) ?? [];
      const allEmails = knownEmails.map((e) => e.email);
      if (v.email && !allEmails.some((e) => e.toLowerCase() === v.email!.toLowerCase())) {
        emails.push({ personId, email: v.email, isPrimary: knownEmails.length === 0 });
        allEmails.push(v.email);
        fields.push('emails');
      }
      const knownPhones = phonesOf.get(personId) ?? [];
      const allPhones: { raw: string; e164: string | null }[] = [...knownPhones];
      let phoneAdded = false;
      for (const p of v.phones) {
        if (allPhones.some((x) => (x.e164 && x.e164 === p.e164) || x.raw === p.raw)) continue;
        phones.push({ personId, ...p, isPrimary: allPhones.length === 0 });
        allPhones.push(p);
        phoneAdded = true;
      }
      if (phoneAdded) fields.push('phones');
      const tags = new Set((tagsOf.get(personId) ?? []).map((t) => t.tagId));
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
        ...after,
        membershipStatus: after.membershipStatus,
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
  }

  await repo.insertPeople(trx, people, `import ${imp.fileName}`.slice(0, 200));
  await repo.updatePeople(trx, updates);
  await repo.insertEmails(trx, emails);
  await repo.insertPhones(trx, phones);
  await repo.addTags(trx, tagAdds);
  await repo.removeTags(trx, tagRemoves);
  await repo.insertTimelineEvents(trx, imp.createdBy, events);
  await repo.insertChanges(trx, changes);
  await repo.insertSeen(trx, imp.id, [...seen]);
  await repo.insertErrors(trx, imp.id, errors);
  return { created: people.length, updated: updates.length, unchanged, failed };
}

export type ProcessOutcome = 'done' | 'paused' | 'stale' | 'skipped';

/**
 * Runs an import from its stored offset to the end: batches of `batchSize` rows, each committed
 * with its progress; then (sync) the departures, the final status and the audit entry.
 * `maxBatches` stops early (tests simulate a crash with it).
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
  let start = imp.nextRow;
  let index = 0;
  let batches = 0;
  let batch: FileRecord[] = [];
  const commit = () =>
    db.transaction().execute(async (trx) => {
      if (!(await repo.lockBatch(trx, imp.id, start, LEASE_SECONDS))) return false;
      const counts = await applyBatch(trx, imp, scope, batch, duplicates);
      await repo.commitBatch(trx, imp.id, start + batch.length, counts);
      return true;
    });
  try {
    for await (const rec of dataRecords(db, imp)) {
      if (index++ < imp.nextRow) continue;
      batch.push(rec);
      if (batch.length < batchSize) continue;
      if (!(await commit())) return 'stale';
      start += batch.length;
      batch = [];
      if (opts.maxBatches && ++batches >= opts.maxBatches) return 'paused';
    }
    if (batch.length) {
      if (!(await commit())) return 'stale';
      start += batch.length;
    }
    return await finishImport(ctx, imp, start);
  } catch (err) {
    ctx.log.error({ err, importId }, 'import failed');
    await repo.updateImport(db, imp.id, {
      status: 'failed',
      message: (err as Error).message?.slice(0, 500) ?? 'failed',
      finishedAt: new Date(),
      lockedUntil: null,
    });
    return 'done';
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
