import type { z } from 'zod';
import type { CustomFieldCreate, CustomFieldView } from '../../shared/people.ts';
import { audit } from '../audit/audit.service.ts';
import { requireOrgPermission } from '../auth/scope.ts';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { slugify } from '../orgs/slug.ts';
import * as repo from './fields.repo.ts';

type FieldRow = Awaited<ReturnType<typeof repo.findFieldsVisibleIn>>[number];
export const toFieldView = (f: FieldRow): CustomFieldView => ({ ...f, options: f.options ?? [] });

export async function listFields(ctx: Ctx, orgId: string) {
  await requireOrgPermission(ctx, orgId, 'people:read');
  return { items: (await repo.findFieldsVisibleIn(ctx.db, orgId)).map(toFieldView), nextCursor: null };
}

export async function createField(ctx: Ctx, orgId: string, input: z.infer<typeof CustomFieldCreate>) {
  await requireOrgPermission(ctx, orgId, 'people:configure');
  const key = input.key ?? slugify(input.label).replaceAll('-', '_').replace(/^(\d)/, 'f_$1');
  if (await repo.findFieldByKey(ctx.db, orgId, key)) {
    throw new AppError('conflict', `This unit already has a field with the key "${key}".`);
  }
  const field = await repo.insertField(ctx.db, {
    orgId,
    key,
    label: input.label,
    type: input.type,
    options: input.type.endsWith('_choice') ? [...new Set(input.options)] : [],
  });
  await audit.record(
    ctx,
    'field.created',
    { type: 'custom_field', id: field.id, orgId },
    { key, type: field.type },
  );
  return toFieldView(field);
}

/**
 * Validates custom field values for a person of unit `orgId`: each key must be a field visible
 * there and each value must fit the field's type. Returns the cleaned values (null removes).
 */
export async function validateCustomValues(db: Db, orgId: string, values: Record<string, unknown>) {
  const fields = new Map((await repo.findFieldsVisibleIn(db, orgId)).map((f) => [f.id, toFieldView(f)]));
  const errors: { path: string; message: string }[] = [];
  const cleaned: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(values)) {
    const field = fields.get(id);
    const path = `body.customFields.${id}`;
    if (!field) {
      errors.push({ path, message: 'no such field for this unit' });
      continue;
    }
    if (value === null) {
      cleaned[id] = null;
      continue;
    }
    const problem = checkValue(field, value);
    if (problem) errors.push({ path, message: `${field.label}: ${problem}` });
    else cleaned[id] = value;
  }
  if (errors.length) throw new AppError('validation_failed', 'Invalid custom field values.', errors);
  return cleaned;
}

export function checkValue(field: CustomFieldView, value: unknown): string | null {
  switch (field.type) {
    case 'text':
      return typeof value === 'string' ? null : 'expected text';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'expected a number';
    case 'date':
      return typeof value === 'string' &&
        /^\d{4}-\d{2}-\d{2}$/.test(value) &&
        !Number.isNaN(Date.parse(value))
        ? null
        : 'expected a date YYYY-MM-DD';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'expected yes or no';
    case 'single_choice':
      return typeof value === 'string' && field.options.includes(value)
        ? null
        : `expected one of ${field.options.join(', ')}`;
    case 'multiple_choice':
      return Array.isArray(value) && value.every((v) => field.options.includes(v))
        ? null
        : `expected some of ${field.options.join(', ')}`;
  }
}
