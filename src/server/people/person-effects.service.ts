import { audit } from '../audit/audit.service.ts';
import type { Ctx } from '../context.ts';
import { addTagsToPerson } from '../tags/tags.repo.ts';
import * as repo from './people.repo.ts';
import { recordChange, timeline } from './timeline.service.ts';

/**
 * What other modules change on a person as a side effect of their own work — a call outcome, an
 * answer action; later forms and events. The writes live in the people (and tags) repos and go
 * through here, so the change log (`person_changes`, for data-change mails), the timeline and the
 * audit log always happen. `source` names the module ("call").
 */
type Person = { id: string; orgId: string };

async function logged(ctx: Ctx, person: Person, fields: string[], source: string) {
  await recordChange(ctx.db, { personId: person.id, orgId: person.orgId, kind: 'updated', fields, source });
  await audit.record(
    ctx,
    'person.updated',
    { type: 'person', id: person.id, orgId: person.orgId },
    { fields, source },
  );
}

/** A number turned out wrong: that one (or every valid one) is marked outdated. */
export async function markPhonesOutdated(
  ctx: Ctx,
  person: Person,
  phoneId: string | undefined,
  source: string,
) {
  await repo.markPhonesOutdated(ctx.db, person.id, phoneId);
  await logged(ctx, person, ['phones'], source);
}

/** The person asked not to be called again. */
export async function setDoNotCall(ctx: Ctx, person: Person, source: string) {
  await repo.setDoNotCall(ctx.db, person.id);
  await logged(ctx, person, ['doNotCall'], source);
}

/** Tags added by an answer action (checked against the unit's tags when the action was saved). */
export async function addTags(ctx: Ctx, person: Person, tagIds: string[], source: string) {
  const ids = [...new Set(tagIds)];
  await addTagsToPerson(ctx.db, person.id, ids);
  await timeline.add(ctx, person.id, 'tags.added', { tagIds: ids, source });
  await logged(ctx, person, ['tags'], source);
}

/** Custom-field values set by an answer action (validated when the action was saved). */
export async function setCustomFieldValues(
  ctx: Ctx,
  person: Person,
  values: Record<string, unknown>,
  source: string,
) {
  await repo.mergeCustomFields(ctx.db, person.id, values);
  await timeline.add(ctx, person.id, 'fields.changed', { fieldIds: Object.keys(values), source });
  await logged(ctx, person, ['customFields'], source);
}
