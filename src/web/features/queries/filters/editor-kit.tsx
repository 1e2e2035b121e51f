import { Group, NumberInput, SegmentedControl, Select, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Condition,
  type ConditionType,
  type FilterKind,
  type FilterNode,
  OPERATORS_BY_TYPE,
} from '../../../../shared/queries.ts';
import { DateField } from '../../../components/DateFields.tsx';

/** What editors may offer to choose from (the current unit's tags, fields, units, lists). */
export interface EditorChoices {
  tags: { id: string; name: string }[];
  fields: { id: string; label: string; type: ConditionType; options: string[] }[];
  orgs: { id: string; name: string }[];
  queries: { id: string; name: string }[];
  /** Call assignments of the unit and below, with their questions (empty without calls:manage). */
  assignments: {
    id: string;
    title: string;
    questions: { id: string; type: string; text: string; options?: string[]; min?: number; max?: number }[];
  }[];
}

/** Filter kinds that have an editor of their own (every kind but the group). */
export type LeafKind = Exclude<FilterKind, 'group'>;

export type EditorProps<K extends FilterKind> = {
  node: Extract<FilterNode, { kind: K }>;
  onChange: (node: Extract<FilterNode, { kind: K }>) => void;
  choices: EditorChoices;
};

/** The row the parts of one editor sit in. */
export const row = (children: ReactNode) => (
  <Group gap="xs" wrap="wrap" align="flex-end" style={{ flex: 1 }}>
    {children}
  </Group>
);

/** The comparison part (operator + value) for a value type. */
export function ConditionEditor<T extends Condition>({
  value,
  type,
  options,
  onChange,
}: {
  value: T;
  type: ConditionType;
  options?: string[];
  onChange: (c: T) => void;
}) {
  const { t } = useTranslation('queries');
  const ops = OPERATORS_BY_TYPE[type];
  const set = (patch: Partial<Condition>) => onChange({ ...value, ...patch });
  const valueInput = () => {
    if (type === 'boolean')
      return (
        <SegmentedControl
          aria-label={t('editor.value')}
          value={value.value === false ? 'no' : 'yes'}
          onChange={(v) => set({ value: v === 'yes' })}
          data={[
            { value: 'yes', label: t('editor.yes') },
            { value: 'no', label: t('editor.no') },
          ]}
        />
      );
    if (type === 'number')
      return (
        <NumberInput
          label={t('editor.value')}
          w={120}
          value={typeof value.value === 'number' ? value.value : ''}
          onChange={(v) => set({ value: typeof v === 'number' ? v : undefined })}
        />
      );
    if (type.endsWith('_choice'))
      return (
        <Select
          label={t('editor.value')}
          w={180}
          data={options ?? []}
          value={typeof value.value === 'string' ? value.value : null}
          onChange={(v) => set({ value: v ?? undefined })}
        />
      );
    if (type === 'date')
      return (
        <DateField
          label={t('editor.value')}
          w={160}
          value={typeof value.value === 'string' ? value.value : ''}
          onChange={(v) => set({ value: v })}
          data-testid="filter-value"
        />
      );
    return (
      <TextInput
        label={t('editor.value')}
        w={200}
        value={typeof value.value === 'string' ? value.value : ''}
        onChange={(e) => set({ value: e.currentTarget.value })}
        data-testid="filter-value"
      />
    );
  };
  const bound = (key: 'from' | 'to') =>
    type === 'number' ? (
      <NumberInput
        label={t(`editor.${key}`)}
        w={120}
        value={typeof value[key] === 'number' ? (value[key] as number) : ''}
        onChange={(v) => set({ [key]: typeof v === 'number' ? v : undefined })}
      />
    ) : (
      <DateField
        label={t(`editor.${key}`)}
        w={160}
        value={typeof value[key] === 'string' ? (value[key] as string) : ''}
        onChange={(v) => set({ [key]: v || undefined })}
      />
    );
  return (
    <>
      <Select
        label={t('editor.operator')}
        w={200}
        data={ops.map((op) => ({ value: op, label: t(`ops.${op}`) }))}
        value={value.op}
        allowDeselect={false}
        onChange={(op) =>
          onChange({
            ...value,
            op: op as Condition['op'],
            value: undefined,
            from: undefined,
            to: undefined,
            days: undefined,
          })
        }
        data-testid="filter-operator"
      />
      {['equals', 'contains', 'startsWith'].includes(value.op) && valueInput()}
      {value.op === 'between' && (
        <>
          {bound('from')}
          {bound('to')}
        </>
      )}
      {(value.op === 'withinLastDays' || value.op === 'moreThanDaysAgo') && (
        <NumberInput
          label={t('editor.days')}
          w={110}
          min={0}
          value={value.days ?? ''}
          onChange={(v) => set({ days: typeof v === 'number' ? v : undefined })}
        />
      )}
    </>
  );
}

export const numberOrUndefined = (v: string | number) => (typeof v === 'number' ? v : undefined);

/** Editors for some kinds: each feature that owns kinds exports one such map. */
export type KindEditors<K extends LeafKind> = { [P in K]: (props: EditorProps<P>) => ReactNode };
