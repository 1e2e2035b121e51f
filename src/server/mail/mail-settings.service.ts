import type { z } from 'zod';
import type {
  MailTemplateCreate,
  MailTemplateUpdate,
  OrgMailSettings,
  OrgMailSettingsPut,
} from '../../shared/mailings.ts';
import { audit } from '../audit/audit.service.ts';
import { requireOrgPermission, requireSuperadmin } from '../auth/scope.ts';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/database.ts';
import { AppError, notFound } from '../errors.ts';
import { sanitizeMailHtml } from './mail-compose.ts';
import * as repo from './mail-settings.repo.ts';

/**
 * How a unit's mailings go out: the instance's allowed From addresses (superadmins), a unit's
 * sender name, reply-to and footer (inherited from the nearest unit above that has some), and the
 * unit's templates.
 */

const iso = (d: Date) => d.toISOString();

// ---- sender addresses --------------------------------------------------------------------------

export async function listSenderAddresses(ctx: Ctx) {
  requireSuperadmin(ctx);
  const rows = await repo.listSenderAddresses(ctx.db);
  return rows.map((r) => ({ ...r, createdAt: iso(r.createdAt) }));
}

export async function addSenderAddress(ctx: Ctx, address: string) {
  requireSuperadmin(ctx);
  const row = await repo.insertSenderAddress(ctx.db, address.trim().toLowerCase(), ctx.actor.userId);
  if (!row) throw new AppError('conflict', 'This address is already allowed.');
  await audit.record(ctx, 'mail.sender_address_added', { type: 'mail_sender_address', id: row.id });
  return { ...row, createdAt: iso(row.createdAt) };
}

export async function removeSenderAddress(ctx: Ctx, id: string) {
  requireSuperadmin(ctx);
  if (!(await repo.deleteSenderAddress(ctx.db, id))) throw notFound();
  await audit.record(ctx, 'mail.sender_address_removed', { type: 'mail_sender_address', id });
}

// ---- unit settings -----------------------------------------------------------------------------

/** The settings in force for a unit (own or inherited), or undefined when there are none. */
export function effectiveSettings(db: Db, orgId: string) {
  return repo.findEffectiveSettings(db, orgId);
}

export async function getMailSettings(ctx: Ctx, orgId: string): Promise<OrgMailSettings> {
  await requireOrgPermission(ctx, orgId, 'mail:send');
  const [s, allowed] = await Promise.all([
    repo.findEffectiveSettings(ctx.db, orgId),
    repo.listSenderAddresses(ctx.db),
  ]);
  return {
    orgId,
    senderName: s?.senderName ?? '',
    senderAddressId: s?.senderAddressId ?? null,
    senderAddress: s?.senderAddress ?? null,
    replyTo: s?.replyTo ?? null,
    footer: s?.footer ?? '',
    inheritedFrom: s && s.orgId !== orgId ? s.orgId : null,
    configured: Boolean(s),
    allowedSenderAddresses: allowed.map((a) => ({ id: a.id, address: a.address })),
  };
}

export async function putMailSettings(ctx: Ctx, orgId: string, input: z.infer<typeof OrgMailSettingsPut>) {
  await requireOrgPermission(ctx, orgId, 'mail:configure');
  if (input.senderAddressId && !(await repo.findSenderAddress(ctx.db, input.senderAddressId)))
    throw new AppError('rule_violation', 'This sender address is not allowed.', [
      {
        path: 'body.senderAddressId',
        message: 'not an allowed sender address',
        reason: 'sender_not_allowed',
      },
    ]);
  await repo.upsertSettings(ctx.db, { orgId, ...input, updatedBy: ctx.actor.userId });
  await audit.record(ctx, 'mail.settings_changed', { type: 'org', id: orgId, orgId });
  return getMailSettings(ctx, orgId);
}

// ---- templates ---------------------------------------------------------------------------------

type TemplateRow = NonNullable<Awaited<ReturnType<typeof repo.findTemplate>>>;
const templateView = (t: TemplateRow) => ({ ...t, updatedAt: iso(t.updatedAt) });

export async function listTemplates(ctx: Ctx, orgId: string) {
  await requireOrgPermission(ctx, orgId, 'mail:send');
  return { items: (await repo.listTemplatesFor(ctx.db, orgId)).map(templateView), nextCursor: null };
}

/** A template whose unit the actor may send mail for, else 404 (out of scope and unknown alike). */
async function requireTemplate(ctx: Ctx, id: string) {
  const t = await repo.findTemplate(ctx.db, id);
  if (!t) throw notFound();
  try {
    await requireOrgPermission(ctx, t.orgId, 'mail:send');
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') throw notFound();
    throw err;
  }
  return t;
}

export async function createTemplate(ctx: Ctx, input: z.infer<typeof MailTemplateCreate>) {
  await requireOrgPermission(ctx, input.orgId, 'mail:send');
  const t = await repo.insertTemplate(ctx.db, {
    ...input,
    html: sanitizeMailHtml(input.html),
    createdBy: ctx.actor.userId,
  });
  await audit.record(ctx, 'mail.template_created', { type: 'mail_template', id: t.id, orgId: t.orgId });
  return templateView(t);
}

export async function updateTemplate(ctx: Ctx, id: string, patch: z.infer<typeof MailTemplateUpdate>) {
  await requireTemplate(ctx, id);
  const html = patch.html === undefined ? {} : { html: sanitizeMailHtml(patch.html) };
  return templateView(await repo.updateTemplate(ctx.db, id, { ...patch, ...html }));
}

export async function deleteTemplate(ctx: Ctx, id: string) {
  const t = await requireTemplate(ctx, id);
  await repo.deleteTemplate(ctx.db, id);
  await audit.record(ctx, 'mail.template_deleted', { type: 'mail_template', id, orgId: t.orgId });
}
