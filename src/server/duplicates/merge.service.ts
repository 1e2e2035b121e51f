import { MERGE_FIELDS, type MergeField, type MergeRequest } from '../../shared/duplicates.ts';
import type { PersonView } from '../../shared/people.ts';
import { audit } from '../audit/audit.service.ts';
import { settleConsentsForMerge } from '../consents/consents.service.ts';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import * as repo from '../people/merge.repo.ts';
import { buildSearchText } from '../people/normalize.ts';
import * as peopleRepo from '../people/people.repo.ts';
import { requirePerson, toPersonView } from '../people/people.service.ts';
import { recordChange, timeline } from '../people/timeline.service.ts';
import { settleCandidates } from './duplicates.repo.ts';

type Person = peopleRepo.PersonRecord;

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || v === false;

/**
 * The kept person's values: a field named in `fields` takes that person's value; otherwise the
 * kept person's own value, or — when it is empty — the first non-empty value of the merged people.
 * The do-not-contact flags count as "empty" when false, so an objection is never lost.
 */
export function pickValues(
  keep: Person,
  merged: Person[],
  fields: Partial<Record<MergeField, string>>,
): { values: Record<MergeField, unknown>; sourceOf: Record<MergeField, string> } {
  const byId = new Map([keep, ...merged].map((p) => [p.id, p]));
  const values = {} as Record<MergeField, unknown>;
  const sourceOf = {} as Record<MergeField, string>;
  for (const field of MERGE_FIELDS) {
    const chosen = fields[field];
    let from: Person = keep;
    if (chosen) from = byId.get(chosen)!;
    else if (isEmpty(keep[field])) from = merged.find((p) => !isEmpty(p[field])) ?? keep;
    values[field] = from[field];
    sourceOf[field] = from.id;
  }
  return { values, sourceOf };
}

const phoneKey = (p: { raw: string; e164: string | null }) => p.e164 ?? p.raw.replace(/\D/g, '');

/**
 * Emails and phones of all of them end on the kept person; the same address or number twice is
 * kept once (the kept person's row first). The kept person's primary stays primary.
 */
async function mergeContactRows(db: Db, order: string[]) {
  const rank = (personId: string) => order.indexOf(personId);
  const emails = (await peopleRepo.findEmails(db, order)).sort(
    (x, y) => rank(x.personId) - rank(y.personId) || Number(y.isPrimary) - Number(x.isPrimary),
  );
  const phones = (await peopleRepo.findPhones(db, order)).sort(
    (x, y) => rank(x.personId) - rank(y.personId) || Number(y.isPrimary) - Number(x.isPrimary),
  );
  const seenEmails = new Set<string>();
  const keptEmails = emails.filter((e) => {
    const key = e.email.trim().toLowerCase();
    if (seenEmails.has(key)) return false;
    seenEmails.add(key);
    return true;
  });
  const seenPhones = new Set<string>();
  const keptPhones = phones.filter((p) => {
    const key = phoneKey(p);
    if (seenPhones.has(key)) return false;
    seenPhones.add(key);
    return true;
  });
  await repo.deleteEmailRows(
    db,
    emails.filter((e) => !keptEmails.includes(e)).map((e) => e.id),
  );
  await repo.deletePhoneRows(
    db,
    phones.filter((p) => !keptPhones.includes(p)).map((p) => p.id),
  );
  await repo.setPrimary(
    db,
    'personEmails',
    keptEmails.map((e) => e.id),
    keptEmails[0]?.id ?? null,
  );
  await repo.setPrimary(
    db,
    'personPhones',
    keptPhones.map((p) => p.id),
    keptPhones[0]?.id ?? null,
  );
  return { emails: keptEmails.map((e) => e.email), phones: keptPhones };
}

/**
 * Merges `mergeIds` into `keepId`: field values as chosen, every email, phone, tag, note, timeline
 * event, change event and any other module's rows move to the kept person, the merged ids redirect
 * to it (also ids that already redirected to a merged person), and the merge is recorded in the
 * timeline and the audit log. The actor needs people:write on all of them; anyone outside their
 * scope is a 404.
 */
export async function mergePeople(ctx: Ctx, input: MergeRequest): Promise<PersonView> {
  const keep = await requirePerson(ctx, input.keepId, 'people:write');
  const merged: Person[] = [];
  for (const id of input.mergeIds) {
    const person = await requirePerson(ctx, id, 'people:write');
    if (person.id === keep.id || merged.some((m) => m.id === person.id)) {
      throw new AppError('validation_failed', 'A person cannot be merged into themselves.', [
        { path: 'body.mergeIds', message: `${id} is the kept person or listed twice (after redirects)` },
      ]);
    }
    merged.push(person);
  }
  // `fields` may name a person by an id that redirects; map it to the current id.
  const resolvedId = new Map<string, string>([[input.keepId, keep.id]]);
  for (const [i, id] of input.mergeIds.entries()) resolvedId.set(id, merged[i].id);
  const fields: Partial<Record<MergeField, string>> = {};
  for (const [field, id] of Object.entries(input.fields) as [MergeField, string][]) {
    fields[field] = resolvedId.get(id) ?? keep.id;
  }

  const mergedIds = merged.map((m) => m.id);
  const { values, sourceOf } = pickValues(keep, merged, fields);
  const memberNumbers = [keep, ...merged].map((p) => p.memberNumber).filter((n): n is string => !!n);
  const droppedMemberNumbers = memberNumbers.filter((n) => n !== values.memberNumber);
  // The unit goes with the address: the person whose postal code is kept brings their placement.
  const placedBy = [keep, ...merged].find((p) => p.id === sourceOf.postalCode) ?? keep;
  const changed = MERGE_FIELDS.filter((f) => values[f] !== keep[f]);

  await ctx.db.transaction().execute(async (trx) => {
    const locked = await repo.lockPeople(trx, [keep.id, ...mergedIds]);
    if (locked.length !== mergedIds.length + 1) throw new AppError('not_found', 'Person not found.');
    const contacts = await mergeContactRows(trx, [keep.id, ...mergedIds]);
    await settleConsentsForMerge(trx, keep.id, mergedIds);
    await repo.repointReferences(trx, keep.id, mergedIds);
    await repo.insertRedirects(trx, keep.id, mergedIds);
    await settleCandidates(trx, keep.id, mergedIds, ctx.actor.userId);
    await repo.deletePeople(trx, mergedIds);

    const patch: peopleRepo.PersonPatch = { ...(values as peopleRepo.PersonPatch) };
    patch.orgId = placedBy.orgId;
    patch.homeOrgId = placedBy.homeOrgId;
    const custom = { ...(keep.customFields as Record<string, unknown>) };
    for (const m of merged) {
      for (const [k, v] of Object.entries(m.customFields as Record<string, unknown>)) {
        if (custom[k] === undefined || custom[k] === null) custom[k] = v;
      }
    }
    patch.customFields = JSON.stringify(custom);
    patch.searchText = buildSearchText({
      firstName: values.firstName as string,
      lastName: values.lastName as string,
      memberNumber: values.memberNumber as string | null,
      postalCode: values.postalCode as string | null,
      city: values.city as string | null,
      emails: contacts.emails,
      phones: contacts.phones,
    });
    await peopleRepo.updatePersonRow(trx, keep.id, patch);

    const txCtx = { ...ctx, db: trx };
    await timeline.add(txCtx, keep.id, 'person.merged', {
      mergedIds,
      fields: changed,
      ...(droppedMemberNumbers.length
        ? { memberNumber: values.memberNumber ?? null, droppedMemberNumbers }
        : {}),
    });
    await recordChange(trx, {
      personId: keep.id,
      orgId: placedBy.orgId,
      kind: 'updated',
      fields: changed.length ? changed : ['merged'],
      source: 'merge',
    });
    if (placedBy.orgId !== keep.orgId) {
      await recordChange(trx, {
        personId: keep.id,
        orgId: placedBy.orgId,
        kind: 'moved',
        fields: [keep.orgId],
        source: 'merge',
      });
    }
    await audit.record(
      txCtx,
      'person.merged',
      { type: 'person', id: keep.id, orgId: placedBy.orgId },
      { mergedIds, fields: changed, droppedMemberNumbers: droppedMemberNumbers.length },
    );
    for (const m of merged) {
      await audit.record(
        txCtx,
        'person.merged_away',
        { type: 'person', id: m.id, orgId: m.orgId },
        { intoId: keep.id },
      );
    }
  });
  const result = await peopleRepo.findPerson(ctx.db, keep.id);
  return toPersonView(ctx.db, result!);
}
