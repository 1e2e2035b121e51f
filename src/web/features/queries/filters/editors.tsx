import {
  Group,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  TagsInput,
  TextInput,
} from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CALL_OUTCOMES } from '../../../../shared/calls.ts';
import { MEMBERSHIP_STATUSES, PERSON_SOURCES } from '../../../../shared/people.ts';
import {
  CALL_ANSWER_OPS_BY_TYPE,
  type CallAnswerOp,
  type Condition,
  type ConditionType,
  type FilterKind,
  type FilterNode,
  OPERATORS_BY_TYPE,
  PERSON_FILTER_FIELDS,
  type PersonFilterField,
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

type EditorProps<K extends FilterKind> = {
  node: Extract<FilterNode, { kind: K }>;
  onChange: (node: Extract<FilterNode, { kind: K }>) => void;
  choices: EditorChoices;
};

const row = (children: ReactNode) => (
  <Group gap="xs" wrap="wrap" align="flex-end" style={{ flex: 1 }}>
    {children}
  </Group>
);

/** The comparison part (operator + value) for a value type. */
function ConditionEditor<T extends Condition>({
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

function FieldEditor({ node, onChange }: EditorProps<'field'>) {
  const { t } = useTranslation('queries');
  const fields = Object.keys(PERSON_FILTER_FIELDS) as PersonFilterField[];
  return row(
    <>
      <Select
        label={t('editor.field')}
        w={200}
        searchable
        allowDeselect={false}
        data={fields.map((f) => ({ value: f, label: t(`personFields.${f}`) }))}
        value={node.field}
        onChange={(f) => {
          const field = f as PersonFilterField;
          const type = PERSON_FILTER_FIELDS[field];
          onChange({
            kind: 'field',
            not: node.not,
            field,
            op: OPERATORS_BY_TYPE[type][0],
            ...(type === 'boolean' ? { value: true } : {}),
          });
        }}
        data-testid="filter-field"
      />
      <ConditionEditor value={node} type={PERSON_FILTER_FIELDS[node.field]} onChange={onChange} />
    </>,
  );
}

function CustomFieldEditor({ node, onChange, choices }: EditorProps<'customField'>) {
  const { t } = useTranslation('queries');
  const field = choices.fields.find((f) => f.id === node.fieldId);
  return row(
    <>
      <Select
        label={t('editor.customField')}
        w={200}
        data={choices.fields.map((f) => ({ value: f.id, label: f.label }))}
        value={node.fieldId || null}
        onChange={(id) => onChange({ kind: 'customField', not: node.not, fieldId: id ?? '', op: 'notEmpty' })}
        placeholder={choices.fields.length ? undefined : t('editor.noFields')}
      />
      {field && (
        <ConditionEditor value={node} type={field.type} options={field.options} onChange={onChange} />
      )}
    </>,
  );
}

function StatusEditor({ node, onChange }: EditorProps<'status'>) {
  const { t } = useTranslation('queries');
  return (
    <MultiSelect
      style={{ flex: 1 }}
      label={t('kinds.status')}
      data={MEMBERSHIP_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))}
      value={node.statuses}
      onChange={(v) => onChange({ ...node, statuses: v as typeof node.statuses })}
      data-testid="filter-statuses"
    />
  );
}

function OrgUnitEditor({ node, onChange, choices }: EditorProps<'orgUnit'>) {
  const { t } = useTranslation('queries');
  return row(
    <>
      <Select
        label={t('kinds.orgUnit')}
        w={240}
        searchable
        allowDeselect={false}
        data={choices.orgs.map((o) => ({ value: o.id, label: o.name }))}
        value={node.orgId}
        onChange={(id) => id && onChange({ ...node, orgId: id })}
      />
      <SegmentedControl
        aria-label={t('editor.include')}
        value={node.include ?? 'subtree'}
        onChange={(v) => onChange({ ...node, include: v as 'subtree' | 'exact' })}
        data={[
          { value: 'subtree', label: t('editor.subtree') },
          { value: 'exact', label: t('editor.exact') },
        ]}
      />
    </>,
  );
}

function PostalCodeEditor({ node, onChange }: EditorProps<'postalCode'>) {
  const { t } = useTranslation('queries');
  return row(
    <>
      <Select
        label={t('editor.operator')}
        w={180}
        allowDeselect={false}
        data={(['startsWith', 'in', 'between'] as const).map((op) => ({
          value: op,
          label: t(`postalOps.${op}`),
        }))}
        value={node.op}
        onChange={(op) =>
          onChange({ kind: 'postalCode', not: node.not, op: op as typeof node.op, values: [] })
        }
      />
      {node.op === 'between' ? (
        <>
          <TextInput
            label={t('editor.from')}
            w={110}
            value={node.from ?? ''}
            onChange={(e) => onChange({ ...node, from: e.currentTarget.value || undefined })}
          />
          <TextInput
            label={t('editor.to')}
            w={110}
            value={node.to ?? ''}
            onChange={(e) => onChange({ ...node, to: e.currentTarget.value || undefined })}
          />
        </>
      ) : (
        <TagsInput
          style={{ flex: 1, minWidth: 200 }}
          label={t('editor.postalCodes')}
          placeholder={t('editor.postalCodesHint')}
          value={node.values ?? []}
          onChange={(values) =>
            onChange({
              ...node,
              values: values.map((v) => v.trim()).filter((v) => /^[0-9A-Za-z -]{1,10}$/.test(v)),
            })
          }
          splitChars={[',', ' ', ';']}
          data-testid="filter-postal-codes"
        />
      )}
    </>,
  );
}

function AgeEditor({ node, onChange }: EditorProps<'age'>) {
  const { t } = useTranslation('queries');
  return row(
    <>
      <NumberInput
        label={t('editor.ageMin')}
        w={120}
        min={0}
        max={150}
        value={node.min ?? ''}
        onChange={(v) => onChange({ ...node, min: typeof v === 'number' ? v : undefined })}
        data-testid="filter-age-min"
      />
      <NumberInput
        label={t('editor.ageMax')}
        w={120}
        min={0}
        max={150}
        value={node.max ?? ''}
        onChange={(v) => onChange({ ...node, max: typeof v === 'number' ? v : undefined })}
        data-testid="filter-age-max"
      />
    </>,
  );
}

function ContactEditor({ node, onChange }: EditorProps<'contact'>) {
  const { t } = useTranslation('queries');
  return (
    <SegmentedControl
      aria-label={t('kinds.contact')}
      value={node.channel}
      onChange={(v) => onChange({ ...node, channel: v as typeof node.channel })}
      data={(['email', 'phone', 'mobile'] as const).map((c) => ({ value: c, label: t(`channels.${c}`) }))}
      data-testid="filter-channel"
    />
  );
}

function TagsEditor({ node, onChange, choices }: EditorProps<'tags'>) {
  const { t } = useTranslation('queries');
  return row(
    <>
      <SegmentedControl
        aria-label={t('editor.match')}
        value={node.match}
        onChange={(v) => onChange({ ...node, match: v as typeof node.match })}
        data={(['any', 'all', 'none'] as const).map((m) => ({ value: m, label: t(`tagMatch.${m}`) }))}
      />
      <MultiSelect
        style={{ flex: 1, minWidth: 200 }}
        label={t('kinds.tags')}
        searchable
        data={choices.tags.map((tag) => ({ value: tag.id, label: tag.name }))}
        value={node.tagIds}
        onChange={(tagIds) => onChange({ ...node, tagIds })}
        data-testid="filter-tags"
      />
    </>,
  );
}

function SourceEditor({ node, onChange }: EditorProps<'source'>) {
  const { t } = useTranslation('queries');
  return (
    <MultiSelect
      style={{ flex: 1 }}
      label={t('kinds.source')}
      data={PERSON_SOURCES.map((s) => ({ value: s, label: t(`sources.${s}`) }))}
      value={node.sources}
      onChange={(v) => onChange({ ...node, sources: v as typeof node.sources })}
    />
  );
}

function SavedQueryEditor({ node, onChange, choices }: EditorProps<'savedQuery'>) {
  const { t } = useTranslation('queries');
  return row(
    <>
      <SegmentedControl
        aria-label={t('editor.include')}
        value={node.mode ?? 'include'}
        onChange={(v) => onChange({ ...node, mode: v as 'include' | 'exclude' })}
        data={[
          { value: 'include', label: t('editor.includeList') },
          { value: 'exclude', label: t('editor.excludeList') },
        ]}
      />
      <Select
        label={t('kinds.savedQuery')}
        w={240}
        data={choices.queries.map((q) => ({ value: q.id, label: q.name }))}
        value={node.queryId || null}
        onChange={(id) => onChange({ ...node, queryId: id ?? '' })}
      />
    </>,
  );
}

function SampleEditor({ node, onChange }: EditorProps<'sample'>) {
  const { t } = useTranslation('queries');
  const byPercent = node.percent !== undefined;
  return row(
    <>
      <SegmentedControl
        aria-label={t('kinds.sample')}
        value={byPercent ? 'percent' : 'size'}
        onChange={(v) =>
          onChange(
            v === 'percent'
              ? { kind: 'sample', not: node.not, percent: 10, seed: node.seed }
              : { kind: 'sample', not: node.not, size: 100, seed: node.seed },
          )
        }
        data={[
          { value: 'size', label: t('editor.sampleSize') },
          { value: 'percent', label: t('editor.samplePercent') },
        ]}
      />
      <NumberInput
        label={byPercent ? t('editor.samplePercent') : t('editor.sampleSize')}
        w={120}
        min={1}
        max={byPercent ? 100 : 1_000_000}
        value={(byPercent ? node.percent : node.size) ?? ''}
        onChange={(v) =>
          typeof v === 'number' && onChange({ ...node, ...(byPercent ? { percent: v } : { size: v }) })
        }
      />
      <TextInput
        label={t('editor.seed')}
        w={120}
        value={node.seed}
        onChange={(e) => onChange({ ...node, seed: e.currentTarget.value || 'x' })}
      />
    </>,
  );
}

const numberOrUndefined = (v: string | number) => (typeof v === 'number' ? v : undefined);

function CallHistoryEditor({ node, onChange, choices }: EditorProps<'callHistory'>) {
  const { t } = useTranslation('queries');
  // "from … to" with no date chosen yet looks like "any time" in the node: remember the choice.
  const [chosen, setPeriod] = useState<'any' | 'between' | 'lastDays'>('any');
  const period =
    node.withinLastDays !== undefined
      ? 'lastDays'
      : node.from || node.to || chosen === 'between'
        ? 'between'
        : 'any';
  const reached = node.reached === undefined ? 'any' : node.reached ? 'yes' : 'no';
  return row(
    <>
      <Select
        label={t('editor.assignment')}
        w={240}
        clearable
        searchable
        placeholder={t('editor.anyAssignment')}
        data={choices.assignments.map((a) => ({ value: a.id, label: a.title }))}
        value={node.assignmentId ?? null}
        onChange={(id) => onChange({ ...node, assignmentId: id ?? undefined })}
        data-testid="filter-assignment"
      />
      <MultiSelect
        style={{ flex: 1, minWidth: 200 }}
        label={t('editor.outcomes')}
        placeholder={node.outcomes?.length ? undefined : t('editor.anyOutcome')}
        data={CALL_OUTCOMES.map((o) => ({ value: o, label: t(`calls:outcomes.${o}`) }))}
        value={node.outcomes ?? []}
        onChange={(v) =>
          onChange({ ...node, outcomes: v.length ? (v as NonNullable<typeof node.outcomes>) : undefined })
        }
        data-testid="filter-outcomes"
      />
      <Select
        label={t('editor.reached')}
        w={170}
        allowDeselect={false}
        data={(['any', 'yes', 'no'] as const).map((r) => ({ value: r, label: t(`reached.${r}`) }))}
        value={reached}
        onChange={(v) => onChange({ ...node, reached: v === 'any' ? undefined : v === 'yes' })}
      />
      <Select
        label={t('editor.period')}
        w={190}
        allowDeselect={false}
        data={(['any', 'between', 'lastDays'] as const).map((p) => ({ value: p, label: t(`periods.${p}`) }))}
        value={period}
        onChange={(v) => {
          setPeriod(v as typeof period);
          onChange({
            ...node,
            from: undefined,
            to: undefined,
            withinLastDays: v === 'lastDays' ? 30 : undefined,
          });
        }}
      />
      {period === 'lastDays' && (
        <NumberInput
          label={t('editor.days')}
          w={110}
          min={0}
          value={node.withinLastDays ?? ''}
          onChange={(v) => onChange({ ...node, withinLastDays: numberOrUndefined(v) ?? 0 })}
        />
      )}
      {period === 'between' &&
        (['from', 'to'] as const).map((key) => (
          <DateField
            key={key}
            label={t(`editor.${key}`)}
            w={160}
            value={node[key] ?? ''}
            onChange={(v) => onChange({ ...node, [key]: v || undefined })}
          />
        ))}
      <NumberInput
        label={t('editor.minCalls')}
        w={120}
        min={0}
        placeholder="1"
        value={node.minCalls ?? ''}
        onChange={(v) => onChange({ ...node, minCalls: numberOrUndefined(v) })}
        data-testid="filter-min-calls"
      />
      <NumberInput
        label={t('editor.maxCalls')}
        w={120}
        min={0}
        value={node.maxCalls ?? ''}
        onChange={(v) => onChange({ ...node, maxCalls: numberOrUndefined(v) })}
        data-testid="filter-max-calls"
      />
    </>,
  );
}

function CallAnswerEditor({ node, onChange, choices }: EditorProps<'callAnswer'>) {
  const { t } = useTranslation('queries');
  const assignment = choices.assignments.find((a) => a.id === node.assignmentId);
  const question = assignment?.questions.find((q) => q.id === node.questionId);
  const ops = question ? (CALL_ANSWER_OPS_BY_TYPE[question.type] ?? ['answered']) : [];
  const reset = { value: undefined, values: undefined, from: undefined, to: undefined };
  const options = question?.options ?? [];
  const valueInput = () => {
    if (!question) return null;
    const { op } = node;
    if (op === 'oneOf')
      return (
        <MultiSelect
          style={{ flex: 1, minWidth: 180 }}
          label={t('editor.values')}
          data={options}
          value={node.values ?? []}
          onChange={(v) => onChange({ ...node, values: v.length ? v : undefined })}
        />
      );
    if (op === 'between')
      return (['from', 'to'] as const).map((key) => (
        <NumberInput
          key={key}
          label={t(`editor.${key}`)}
          w={100}
          min={question.min}
          max={question.max}
          value={node[key] ?? ''}
          onChange={(v) => onChange({ ...node, [key]: numberOrUndefined(v) })}
        />
      ));
    if (op === 'answered') return null;
    if (question.type === 'yes_no')
      return (
        <SegmentedControl
          aria-label={t('editor.value')}
          value={node.value === false ? 'no' : 'yes'}
          onChange={(v) => onChange({ ...node, value: v === 'yes' })}
          data={[
            { value: 'yes', label: t('editor.yes') },
            { value: 'no', label: t('editor.no') },
          ]}
        />
      );
    if (question.type === 'scale')
      return (
        <NumberInput
          label={t('editor.value')}
          w={100}
          min={question.min}
          max={question.max}
          value={typeof node.value === 'number' ? node.value : ''}
          onChange={(v) => onChange({ ...node, value: numberOrUndefined(v) })}
        />
      );
    if (question.type === 'free_text')
      return (
        <TextInput
          label={t('editor.value')}
          w={200}
          value={typeof node.value === 'string' ? node.value : ''}
          onChange={(e) => onChange({ ...node, value: e.currentTarget.value })}
        />
      );
    return (
      <Select
        label={t('editor.value')}
        w={180}
        data={options}
        value={typeof node.value === 'string' ? node.value : null}
        onChange={(v) => onChange({ ...node, value: v ?? undefined })}
      />
    );
  };
  return row(
    <>
      <Select
        label={t('editor.assignment')}
        w={220}
        searchable
        allowDeselect={false}
        data={choices.assignments.map((a) => ({ value: a.id, label: a.title }))}
        value={node.assignmentId || null}
        placeholder={choices.assignments.length ? undefined : t('editor.noAssignments')}
        onChange={(id) =>
          onChange({
            kind: 'callAnswer',
            not: node.not,
            assignmentId: id ?? '',
            questionId: '',
            op: 'answered',
          })
        }
        data-testid="filter-assignment"
      />
      <Select
        label={t('editor.question')}
        w={220}
        allowDeselect={false}
        disabled={!assignment}
        data={(assignment?.questions ?? []).map((q) => ({ value: q.id, label: q.text }))}
        value={node.questionId || null}
        onChange={(qid) => {
          const q = assignment?.questions.find((x) => x.id === qid);
          const op = (q && CALL_ANSWER_OPS_BY_TYPE[q.type]?.[0]) ?? 'answered';
          onChange({
            ...node,
            ...reset,
            questionId: qid ?? '',
            op,
            ...(q?.type === 'yes_no' && op === 'equals' ? { value: true } : {}),
          });
        }}
        data-testid="filter-question"
      />
      {question && (
        <Select
          label={t('editor.operator')}
          w={170}
          allowDeselect={false}
          data={ops.map((op) => ({ value: op, label: t(`answerOps.${op}`) }))}
          value={node.op}
          onChange={(op) =>
            onChange({
              ...node,
              ...reset,
              op: op as CallAnswerOp,
              ...(question.type === 'yes_no' && op === 'equals' ? { value: true } : {}),
            })
          }
          data-testid="filter-answer-operator"
        />
      )}
      {valueInput()}
    </>,
  );
}

/** One editor per leaf kind; modules that add kinds add their editor here. */
export const FILTER_EDITORS: {
  [K in Exclude<FilterKind, 'group'>]: (props: EditorProps<K>) => ReactNode;
} = {
  field: FieldEditor,
  customField: CustomFieldEditor,
  status: StatusEditor,
  orgUnit: OrgUnitEditor,
  postalCode: PostalCodeEditor,
  age: AgeEditor,
  contact: ContactEditor,
  tags: TagsEditor,
  source: SourceEditor,
  savedQuery: SavedQueryEditor,
  sample: SampleEditor,
  callHistory: CallHistoryEditor,
  callAnswer: CallAnswerEditor,
};
