import type { z } from 'zod';
import type {
  PeopleListQuery,
  PersonCreate,
  PersonListItem,
  PersonUpdate,
  PersonView,
} from '../../shared/people.ts';
import { PERSON_SIMPLE_FIELDS } from '../../shared/people.ts';
import { audit } from '../audit/audit.service.ts';
import { holdsPermissionOn, permissionRoots, requireOrgPermission } from '../auth/scope.ts';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { validateCustomValues } from '../fields/fields.service.ts';
import { suppressErasedPerson } from '../mail/unsubscribe.repo.ts';
import { isDescendant } from '../orgs/orgs.repo.ts';
import { CURSORS, decodeCursor, pageOf } from '../pagination.ts';
import * as tagsRepo from '../tags/tags.repo.ts';
import { requireUsableTags } from '../tags/tags.service.ts';
import { buildSearchText, normalizePhone, searchTerms } from './normalize.ts';
import * as repo from './people.repo.ts';
import { findTimeline } from './timeline.repo.ts';
import { recordChange, timeline } from './timeline.service.ts';

type CreateInput = z.infer<typeof PersonCreate>;
type UpdateInput = z.infer<typeof PersonUpdate>;
type EmailInput = NonNullable<CreateInput['emails']>[number];
type PhoneInput = NonNullable<CreateInput['phones']>[number];

export function prepareEmails(emails: EmailInput[]) {
  const seen = new Set<string>();
  const unique = emails.filter((e) => {
    const key = e.email.trim().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const primary = Math.max(
    0,
    unique.findIndex((e) => e.isPrimary),
  );
  return unique.map((e, i) => ({
    email: e.email.trim(),
    isPrimary: i === primary,
    status: e.status ?? ('valid' as const),
  }));
}

export function preparePhones(phones: PhoneInput[]) {
  const primary = Math.max(
    0,
    phones.findIndex((p) => p.isPrimary),
  );
  return phones.map((p, i) => {
    const n = normalizePhone(p.number);
    return {
      raw: n.raw,
      e164: n.e164,
      type: p.type ?? n.type,
      status: p.status ?? n.status,
      isPrimary: i === primary,
    };
  });
}

/** Unique member number violations become a 409 naming the number. */
async function uniqueMemberNumber<T>(
  memberNumber: string | null | undefined,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const e = err as { code?: string; constraint?: string; message?: string };
    if (
      e.code === '23505' &&
      `${e.constraint ?? ''}${e.message ?? ''}`.includes('people_member_number_key')
    ) {
      // Member numbers are unique in the whole party. The answer is the same whether the holder is
      // in the actor's units or not: it tells nothing about people they may not see.
      throw new AppError(
        'conflict',
        `The member number ${memberNumber} is already in use in the party. If this person is registered elsewhere, ask your Landesverband or the federal office.`,
        [{ path: 'body.memberNumber', message: 'member_number_in_use' }],
      );
    }
    throw err;
  }
}

/**
 * Where a new person belongs: an explicit home unit, else the unit whose catchment holds the
 * postal code (if it lies within the unit they are entered for), else the unit they are entered for.
 */
async function placeNewPerson(
  ctx: Ctx,
  contextOrgId: string,
  homeOrgId: string | null | undefined,
  postalCode: string | null | undefined,
) {
  if (homeOrgId) {
    await requireOrgPermission(ctx, homeOrgId, 'people:write');
    return { orgId: homeOrgId, homeOrgId };
  }
  const routed = await repo.routePostalCode(ctx.db, postalCode);
  if (routed && (await isDescendant(ctx.db, contextOrgId, routed))) return { orgId: routed, homeOrgId: null };
  return { orgId: contextOrgId, homeOrgId: contextOrgId };
}

type PersonWarning = { code: 'postal_code_outside_scope'; message: string };

/**
 * Routing by postal code for a write by this actor: to the unit whose catchment holds the code when
 * the actor may write there. A code that belongs to a unit outside the actor's units never moves the
 * person there: they stay at the actor's deepest unit whose catchment matches (else where they are),
 * placed there explicitly, with a warning.
 */
async function routeForWrite(ctx: Ctx, postalCode: string | null | undefined, stayAt: string) {
  const none: PersonWarning[] = [];
  const routed = await repo.routePostalCode(ctx.db, postalCode);
  if (!routed) return { orgId: stayAt, homeOrgId: null, warnings: none };
  if (await holdsPermissionOn(ctx, routed, 'people:write'))
    return { orgId: routed, homeOrgId: null, warnings: none };
  const roots = permissionRoots(ctx, 'people:write') ?? [];
  const own = (await repo.routePostalCodeWithin(ctx.db, postalCode!, roots)) ?? stayAt;
  return {
    orgId: own,
    homeOrgId: own,
    warnings: [
      {
        code: 'postal_code_outside_scope' as const,
        message: `Postal code ${postalCode} belongs to a unit outside yours: the person stays in your unit. Ask the unit above to move them.`,
      },
    ],
  };
}

/** Loads a person the actor may act on with `permission` (merged ids are followed), else 404. */
export async function requirePerson(
  ctx: Ctx,
  personId: string,
  permission: 'people:read' | 'people:write' = 'people:read',
) {
  const id = await repo.resolveRedirect(ctx.db, personId);
  const person = await repo.findPerson(ctx.db, id);
  if (!person) throw new AppError('not_found', 'Person not found.');
  try {
    await requireOrgPermission(ctx, person.orgId, permission);
  } catch (err) {
    if (err instanceof AppError && err.code === 'forbidden' && permission === 'people:read')
      throw new AppError('not_found', 'Person not found.');
    throw err;
  }
  return person;
}

export async function toPersonView(db: Db, person: repo.PersonRecord): Promise<PersonView> {
  const [emails, phones, tags] = await Promise.all([
    repo.findEmails(db, [person.id]),
    repo.findPhones(db, [person.id]),
    repo.findTagsOfPeople(db, [person.id]),
  ]);
  const { customFields, createdAt, updatedAt, ...rest } = person;
  return {
    ...rest,
    customFields: customFields as PersonView['customFields'],
    emails: emails.map(({ personId: _, ...e }) => e),
    phones: phones.map(({ personId: _, ...p }) => p),
    tags: tags.map((t) => ({ id: t.id, name: t.name, color: t.color, group: t.groupName })),
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

export async function createPerson(
  ctx: Ctx,
  input: CreateInput,
  source: { source?: string; sourceDetail?: string | null } = {},
) {
  await requireOrgPermission(ctx, input.orgId, 'people:write');
  const place = await placeNewPerson(ctx, input.orgId, input.homeOrgId, input.postalCode);
  const emails = prepareEmails(input.emails ?? []);
  const phones = preparePhones(input.phones ?? []);
  const customFields = input.customFields
    ? await validateCustomValues(ctx.db, place.orgId, input.customFields)
    : {};
  const id = await uniqueMemberNumber(input.memberNumber, () =>
    ctx.db.transaction().execute(async (trx) => {
      const { id } = await repo.insertPerson(trx, {
        orgId: place.orgId,
        homeOrgId: place.homeOrgId,
        firstName: input.firstName,
        lastName: input.lastName,
        title: input.title ?? null,
        gender: input.gender ?? null,
        pronouns: input.pronouns ?? null,
        birthDate: input.birthDate ?? null,
        street: input.street ?? null,
        houseNumber: input.houseNumber ?? null,
        postalCode: input.postalCode || null,
        city: input.city ?? null,
        country: input.country ?? 'DE',
        memberNumber: input.memberNumber ?? null,
        membershipStatus: input.membershipStatus ?? 'interested',
        joinedOn: input.joinedOn ?? null,
        leftOn: input.leftOn ?? null,
        doNotCall: input.doNotCall ?? false,
        doNotEmail: input.doNotEmail ?? false,
        doNotPost: input.doNotPost ?? false,
        source: source.source ?? 'manual',
        sourceDetail: source.sourceDetail ?? input.sourceDetail ?? null,
        customFields: JSON.stringify(customFields),
        searchText: buildSearchText({ ...input, emails: emails.map((e) => e.email), phones }),
      });
      await repo.replaceEmails(trx, id, emails);
      await repo.replacePhones(trx, id, phones);
      const txCtx = { ...ctx, db: trx };
      await timeline.add(txCtx, id, 'person.created', { source: source.source ?? 'manual' });
      await recordChange(trx, {
        personId: id,
        orgId: place.orgId,
        kind: 'created',
        source: source.source ?? 'manual',
      });
      await audit.record(txCtx, 'person.created', { type: 'person', id, orgId: place.orgId });
      return id;
    }),
  );
  return toPersonView(ctx.db, (await repo.findPerson(ctx.db, id))!);
}

export async function getPerson(ctx: Ctx, personId: string) {
  const person = await requirePerson(ctx, personId, 'people:read');
  await audit.record(ctx, 'person.viewed', { type: 'person', id: person.id, orgId: person.orgId });
  return toPersonView(ctx.db, person);
}

const SIMPLE_FIELDS = PERSON_SIMPLE_FIELDS;

export async function updatePerson(ctx: Ctx, personId: string, input: UpdateInput, source = 'manual') {
  const person = await requirePerson(ctx, personId, 'people:write');
  const patch: repo.PersonPatch = {};
  const changed: string[] = [];
  for (const key of SIMPLE_FIELDS) {
    const value = input[key];
    if (value === undefined) continue;
    const normalized = key === 'postalCode' && value === '' ? null : value;
    if (normalized !== person[key]) {
      (patch as Record<string, unknown>)[key] = normalized;
      changed.push(key);
    }
  }
  if (input.firstName !== undefined || input.lastName !== undefined) {
    const first = input.firstName ?? person.firstName;
    const last = input.lastName ?? person.lastName;
    if (!first && !last) {
      throw new AppError('validation_failed', 'A first or last name is required.', [
        { path: 'body.lastName', message: 'required' },
      ]);
    }
  }

  // Where the person belongs after the change.
  let orgId = person.orgId;
  let warnings: PersonWarning[] = [];
  if (input.homeOrgId !== undefined && input.homeOrgId !== person.homeOrgId) {
    if (input.homeOrgId) {
      await requireOrgPermission(ctx, input.homeOrgId, 'people:write');
      orgId = input.homeOrgId;
      patch.homeOrgId = input.homeOrgId;
    } else {
      const place = await routeForWrite(ctx, input.postalCode ?? person.postalCode, person.orgId);
      orgId = place.orgId;
      patch.homeOrgId = place.homeOrgId;
      warnings = place.warnings;
    }
    changed.push('homeOrgId');
  } else if (!person.homeOrgId && changed.includes('postalCode')) {
    const place = await routeForWrite(ctx, patch.postalCode as string | null, person.orgId);
    orgId = place.orgId;
    if (place.homeOrgId) {
      patch.homeOrgId = place.homeOrgId;
      changed.push('homeOrgId');
    }
    warnings = place.warnings;
  }
  if (orgId !== person.orgId) patch.orgId = orgId;

  if (input.customFields) {
    const values = await validateCustomValues(ctx.db, orgId, input.customFields);
    const merged = { ...(person.customFields as Record<string, unknown>) };
    for (const [k, v] of Object.entries(values)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    patch.customFields = JSON.stringify(merged);
    changed.push('customFields');
  }
  const emails = input.emails ? prepareEmails(input.emails) : undefined;
  const phones = input.phones ? preparePhones(input.phones) : undefined;
  if (emails) changed.push('emails');
  if (phones) changed.push('phones');
  if (changed.length === 0) return toPersonView(ctx.db, person);

  await uniqueMemberNumber(input.memberNumber, () =>
    ctx.db.transaction().execute(async (trx) => {
      if (emails) await repo.replaceEmails(trx, person.id, emails);
      if (phones) await repo.replacePhones(trx, person.id, phones);
      const [currentEmails, currentPhones] = await Promise.all([
        repo.findEmails(trx, [person.id]),
        repo.findPhones(trx, [person.id]),
      ]);
      const merged = { ...person, ...patch } as repo.PersonRecord;
      patch.searchText = buildSearchText({
        ...merged,
        emails: currentEmails.map((e) => e.email),
        phones: currentPhones,
      });
      await repo.updatePersonRow(trx, person.id, patch);
      const txCtx = { ...ctx, db: trx };
      await timeline.add(txCtx, person.id, 'person.updated', { fields: changed, source });
      await recordChange(trx, { personId: person.id, orgId, kind: 'updated', fields: changed, source });
      if (patch.membershipStatus === 'former') {
        await recordChange(trx, { personId: person.id, orgId, kind: 'departed', source });
      }
      if (orgId !== person.orgId) {
        await recordChange(trx, {
          personId: person.id,
          orgId,
          kind: 'moved',
          fields: [person.orgId],
          source,
        });
        await timeline.add(txCtx, person.id, 'person.moved', { fromOrgId: person.orgId, toOrgId: orgId });
      }
      await audit.record(
        txCtx,
        'person.updated',
        { type: 'person', id: person.id, orgId },
        { fields: changed },
      );
    }),
  );
  const updated = await repo.findPerson(ctx.db, person.id);
  const view = await toPersonView(ctx.db, updated!);
  return warnings.length ? { ...view, warnings } : view;
}

/** Erasure: the person and everything hanging off them are deleted, the audit log keeps the id. */
export async function deletePerson(ctx: Ctx, personId: string) {
  const person = await requirePerson(ctx, personId, 'people:write');
  await ctx.db.transaction().execute(async (trx) => {
    // Their addresses stay on the mailer's suppression list (hashed), so a re-import is not mailed.
    await suppressErasedPerson(trx, person.id);
    await repo.deletePersonRow(trx, person.id);
    await audit.record({ ...ctx, db: trx }, 'person.deleted', {
      type: 'person',
      id: person.id,
      orgId: person.orgId,
    });
  });
}

export async function listPeople(ctx: Ctx, q: z.infer<typeof PeopleListQuery>) {
  await requireOrgPermission(ctx, q.orgId, 'people:read');
  const filter: repo.PeopleListFilter = {
    rootOrgId: q.orgId,
    terms: q.search ? searchTerms(q.search) : [],
    tagId: q.tag,
    status: q.status,
    sort: q.sort,
    after: decodeCursor(q.cursor, q.sort.replace('-', '') === 'created' ? CURSORS.atId : CURSORS.textTextId),
    limit: q.limit,
  };
  let rows = await repo.listPeople(ctx.db, filter);
  // Nobody found by the exact text: try again allowing typos ("Schnieder" → "Schneider").
  if (rows.length === 0 && filter.terms.length > 0 && !q.cursor) {
    rows = await repo.listPeople(ctx.db, { ...filter, fuzzy: true });
  }
  const sortKey = q.sort.replace('-', '');
  const { items, nextCursor } = pageOf(rows, q.limit, (r) =>
    sortKey === 'name'
      ? [r.lastName, r.firstName, r.id]
      : sortKey === 'created'
        ? [r.createdKey, r.id]
        : [r.postalCode ?? '', r.lastName, r.id],
  );
  return { items: items.map(toPersonListItem), nextCursor };
}

/** One row of repo.listPeople as the API shows it. */
export function toPersonListItem(r: Awaited<ReturnType<typeof repo.listPeople>>[number]): PersonListItem {
  return {
    id: r.id,
    orgId: r.orgId,
    firstName: r.firstName,
    lastName: r.lastName,
    postalCode: r.postalCode,
    city: r.city,
    memberNumber: r.memberNumber,
    membershipStatus: r.membershipStatus,
    email: r.email,
    phone: r.phone,
    tagIds: r.tagIds,
    createdAt: r.createdAt.toISOString(),
  };
}

export async function setTags(ctx: Ctx, personId: string, tagIds: string[]) {
  const person = await requirePerson(ctx, personId, 'people:write');
  const unique = [...new Set(tagIds)];
  const visible = await requireUsableTags(ctx, person.orgId, unique);
  const before = new Set((await repo.findTagsOfPeople(ctx.db, [person.id])).map((t) => t.id));
  await ctx.db.transaction().execute(async (trx) => {
    await tagsRepo.setPersonTags(
      trx,
      person.id,
      unique,
      visible.map((t) => t.id),
    );
    const added = unique.filter((id) => !before.has(id));
    const removed = [...before].filter((id) => !unique.includes(id) && visible.some((t) => t.id === id));
    if (added.length || removed.length) {
      await timeline.add({ ...ctx, db: trx }, person.id, 'person.tags_changed', { added, removed });
      await audit.record(
        { ...ctx, db: trx },
        'person.tags_changed',
        { type: 'person', id: person.id, orgId: person.orgId },
        { added, removed },
      );
    }
  });
  return toPersonView(ctx.db, person);
}

/** Adds or removes tags on many people of a subtree at once (bulk action of the list). */
export async function bulkTag(
  ctx: Ctx,
  input: { orgId: string; personIds: string[]; addTagIds: string[]; removeTagIds: string[] },
) {
  await requireOrgPermission(ctx, input.orgId, 'people:write');
  await requireUsableTags(ctx, input.orgId, [...input.addTagIds, ...input.removeTagIds]);
  const inScope = await ctx.db.transaction().execute(async (trx) => {
    const ids = await repo.filterPeopleInSubtree(trx, input.orgId, input.personIds);
    let added = 0;
    let removed = 0;
    for (const tagId of input.addTagIds) added += await tagsRepo.addTagToPeople(trx, tagId, ids);
    for (const tagId of input.removeTagIds) removed += await tagsRepo.removeTagFromPeople(trx, tagId, ids);
    await audit.record(
      { ...ctx, db: trx },
      'people.bulk_tagged',
      { type: 'org', id: input.orgId, orgId: input.orgId },
      {
        count: ids.length,
        addTagIds: input.addTagIds,
        removeTagIds: input.removeTagIds,
        added,
        removed,
      },
    );
    return ids.length;
  });
  return { updated: inScope };
}

export async function addNote(ctx: Ctx, personId: string, text: string) {
  const person = await requirePerson(ctx, personId, 'people:write');
  const note = await ctx.db.transaction().execute(async (trx) => {
    const note = await repo.insertNote(trx, { personId: person.id, authorId: ctx.actor.userId, text });
    await timeline.add({ ...ctx, db: trx }, person.id, 'note.added', { noteId: note.id, text });
    return note;
  });
  await audit.record(ctx, 'person.note_added', { type: 'person', id: person.id, orgId: person.orgId });
  return {
    id: note.id,
    text: note.text,
    authorName: ctx.actor.name || null,
    createdAt: note.createdAt.toISOString(),
  };
}

export async function getTimeline(ctx: Ctx, personId: string, limit: number, cursor?: string) {
  const person = await requirePerson(ctx, personId, 'people:read');
  const before = decodeCursor(cursor, CURSORS.atId);
  const rows = await findTimeline(
    ctx.db,
    person.id,
    limit,
    before ? { at: String(before[0]), id: String(before[1]) } : undefined,
  );
  const { items, nextCursor } = pageOf(rows, limit, (r) => [r.atKey, r.id]);
  return {
    items: items.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      kind: r.kind,
      actorName: r.actorName,
      data: r.data,
    })),
    nextCursor,
  };
}

/**
 * After a catchment changed: people routed by postal code under any of these prefixes move —
 * only within the subtree of `withinOrgId` (null: anywhere), never into or out of it.
 */
export function rerouteAfterCatchmentChange(db: Db, prefixes: string[], withinOrgId: string | null) {
  return repo.rerouteByPrefixes(db, prefixes, withinOrgId);
}
