import { audit } from '../audit/audit.service.ts';
import { requireOrgPermission } from '../auth/scope.ts';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { subtreeIds } from '../orgs/orgs.repo.ts';
import { DEFAULT_INSTRUCTION_TEXT } from './default-text.ts';
import * as repo from './instruction.repo.ts';

/** Every instance has an instruction: version 1 is the shipped German text. */
export async function ensureDefaultInstruction(db: Db) {
  if (!(await repo.currentInstructionVersion(db))) {
    await repo.insertInstructionVersion(db, { version: 1, text: DEFAULT_INSTRUCTION_TEXT, createdBy: null });
  }
}

const view = (v: { version: number; text: string; createdAt: Date }) => ({
  version: v.version,
  text: v.text,
  createdAt: v.createdAt.toISOString(),
});

export async function getCurrentInstruction(ctx: { db: Db }) {
  const current = await repo.currentInstructionVersion(ctx.db);
  if (!current) throw new AppError('not_found', 'No instruction text.');
  return view(current);
}

/** A new text is a new version: everyone confirms again before touching personal data. */
export async function publishInstruction(ctx: Ctx, text: string) {
  const created = await ctx.db.transaction().execute(async (trx) => {
    const current = await repo.currentInstructionVersion(trx);
    return repo.insertInstructionVersion(trx, {
      version: (current?.version ?? 0) + 1,
      text,
      createdBy: ctx.actor.userId,
    });
  });
  await audit.record(ctx, 'instruction.published', { type: 'instruction', id: String(created.version) });
  return view(created);
}

export async function confirmInstruction(ctx: Ctx, version: number) {
  const current = await repo.currentInstructionVersion(ctx.db);
  if (!current || current.version !== version) {
    throw new AppError(
      'conflict',
      `Version ${version} is not the current instruction (current: ${current?.version ?? 'none'}). Reload and read it again.`,
    );
  }
  await repo.insertConfirmation(ctx.db, ctx.actor.userId, version);
  await audit.record(ctx, 'instruction.confirmed', { type: 'instruction', id: String(version) });
  return { ok: true as const };
}

export async function listConfirmations(ctx: Ctx, orgId: string) {
  await requireOrgPermission(ctx, orgId, 'instruction:confirmations:read');
  const current = await repo.currentInstructionVersion(ctx.db);
  const rows = await repo.findConfirmations(ctx.db, await subtreeIds(ctx.db, [orgId]));
  return {
    items: rows.map((r) => ({
      userId: r.userId,
      name: r.name,
      email: r.email,
      orgId: r.orgId,
      role: r.role,
      confirmedVersion: r.version ?? null,
      confirmedAt: r.confirmedAt?.toISOString() ?? null,
      current: r.version != null && r.version === current?.version,
    })),
    nextCursor: null,
  };
}
