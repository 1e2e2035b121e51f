import type { z } from 'zod';
import type { TagCreate } from '../../shared/people.ts';
import { audit } from '../audit/audit.service.ts';
import { requireOrgPermission } from '../auth/scope.ts';
import type { Ctx } from '../context.ts';
import { AppError } from '../errors.ts';
import * as repo from './tags.repo.ts';

export const toTagView = (t: {
  id: string;
  orgId: string;
  name: string;
  color: string;
  groupName: string | null;
}) => ({
  id: t.id,
  orgId: t.orgId,
  name: t.name,
  color: t.color,
  group: t.groupName,
});

export async function listTags(ctx: Ctx, orgId: string) {
  await requireOrgPermission(ctx, orgId, 'people:read');
  return { items: (await repo.findTagsVisibleIn(ctx.db, orgId)).map(toTagView), nextCursor: null };
}

export async function createTag(ctx: Ctx, orgId: string, input: z.infer<typeof TagCreate>) {
  await requireOrgPermission(ctx, orgId, 'people:write');
  if (await repo.findTagByName(ctx.db, orgId, input.name)) {
    throw new AppError('conflict', `This unit already has a tag "${input.name}".`);
  }
  const tag = await repo.insertTag(ctx.db, {
    orgId,
    name: input.name,
    color: input.color,
    groupName: input.group ?? null,
  });
  await audit.record(ctx, 'tag.created', { type: 'tag', id: tag.id, orgId }, { name: tag.name });
  return toTagView(tag);
}

/** Checks that every tag may be used on a person of `personOrgId` (defined at it or above). */
export async function requireUsableTags(ctx: Ctx, personOrgId: string, tagIds: string[]) {
  const visible = await repo.findTagsVisibleIn(ctx.db, personOrgId);
  const ids = new Set(visible.map((t) => t.id));
  const unknown = tagIds.filter((id) => !ids.has(id));
  if (unknown.length) {
    throw new AppError(
      'validation_failed',
      'Some tags are not available for this person.',
      unknown.map((id) => ({ path: 'body.tagIds', message: `unknown tag ${id}` })),
    );
  }
  return visible;
}
