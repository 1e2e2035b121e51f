import { MultiSelect, NumberInput, SegmentedControl, Select, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CALL_OUTCOMES } from '../../../../shared/calls.ts';
import { CALL_ANSWER_OPS_BY_TYPE, type CallAnswerOp } from '../../../../shared/queries.ts';
import { DateField } from '../../../components/DateFields.tsx';
import {
  type EditorProps,
  type KindEditors,
  numberOrUndefined,
  row,
} from '../../queries/filters/editor-kit.tsx';

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

/** Editors for the filter kinds of the calls module (server: `calls/calls.filters.ts`). */
export const CALL_FILTER_EDITORS: KindEditors<'callHistory' | 'callAnswer'> = {
  callHistory: CallHistoryEditor,
  callAnswer: CallAnswerEditor,
};
