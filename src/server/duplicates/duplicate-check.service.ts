import type { z } from 'zod';
import type { DuplicateCheckMatch, DuplicateCheckRequest } from '../../shared/duplicates.ts';
import { roleGrants } from '../../shared/permissions.ts';
import { requireOrgPermission } from '../auth/scope.ts';
import type { Ctx } from '../context.ts';
import { normalizePhone } from '../people/normalize.ts';
import { findPossibleDuplicates } from './duplicates.repo.ts';

const MAX_MATCHES = 10;

/**
 * The check the create form runs before saving: people with the same email address, phone number
 * or first and last name. Only people the actor may read are searched (the subtrees where they hold
 * people:read), so the answer never says anything about people outside their scope. Nothing is
 * audit-logged: the matches show names and the unit only, like the people list.
 */
export async function checkForDuplicates(
  ctx: Ctx,
  input: z.infer<typeof DuplicateCheckRequest>,
): Promise<{ matches: DuplicateCheckMatch[] }> {
  await requireOrgPermission(ctx, input.orgId, 'people:write');
  const emails = [...new Set(input.emails.map((e) => e.trim().toLowerCase()).filter((e) => e.includes('@')))];
  const phones = [
    ...new Set(input.phones.map((p) => normalizePhone(p).e164).filter((p): p is string => Boolean(p))),
  ];
  const rootOrgIds = ctx.actor.isSuperadmin
    ? undefined
    : ctx.actor.memberships.filter((m) => roleGrants(m.role, 'people:read')).map((m) => m.orgId);
  const rows = await findPossibleDuplicates(
    ctx.db,
    {
      rootOrgIds,
      emails,
      phones,
      firstName: input.firstName.trim().toLowerCase(),
      lastName: input.lastName.trim().toLowerCase(),
    },
    MAX_MATCHES,
  );
  return {
    matches: rows.map(({ email, phone, name, ...person }) => ({
      ...person,
      reasons: [
        ...(email ? ['email' as const] : []),
        ...(phone ? ['phone' as const] : []),
        ...(name ? ['name' as const] : []),
      ],
    })),
  };
}
