import {
  ActionIcon,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { CustomField } from '../../people/api.ts';
import {
  type ActionDraft,
  AnswerActionsEditor,
  actionDraftsOf,
  actionProblems,
  actionsBody,
} from './AnswerActionsEditor.tsx';

export const QUESTION_TYPES = ['single_choice', 'multiple_choice', 'yes_no', 'scale', 'free_text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** A question as edited: choice options one per line, answer actions as drafts. */
export interface QuestionDraft {
  key: string;
  id?: string;
  type: QuestionType;
  text: string;
  /** One option per line (choice questions). */
  options: string;
  min: number;
  max: number;
  /** Answer actions (choice and yes/no questions). */
  actions: ActionDraft[];
}

/** A stored question (as the API returns it). */
export interface StoredQuestion {
  id: string;
  type: string;
  text: string;
  [key: string]: unknown;
}

/** The answers an action may be for: the options of a choice question, or yes/no. */
export function answersOf(q: QuestionDraft, t: (key: string) => string) {
  if (q.type === 'yes_no')
    return [
      { value: 'yes', label: t('caller.yes') },
      { value: 'no', label: t('caller.no') },
    ];
  if (q.type !== 'single_choice' && q.type !== 'multiple_choice') return [];
  const options = [
    ...new Set(
      q.options
        .split('\n')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  ];
  return options.map((o) => ({ value: o, label: o }));
}

let keySeq = 0;
const newKey = () => `q-${++keySeq}`;

export function questionDraftsOf(questions: readonly StoredQuestion[]): QuestionDraft[] {
  return questions.map((q) => ({
    key: newKey(),
    id: q.id,
    type: (QUESTION_TYPES as readonly string[]).includes(q.type) ? (q.type as QuestionType) : 'free_text',
    text: q.text,
    options: Array.isArray(q.options) ? (q.options as string[]).join('\n') : '',
    min: typeof q.min === 'number' ? q.min : 1,
    max: typeof q.max === 'number' ? q.max : 5,
    actions: actionDraftsOf(q as Parameters<typeof actionDraftsOf>[0]),
  }));
}

export function questionBody(q: QuestionDraft) {
  const base = { ...(q.id ? { id: q.id } : {}), text: q.text.trim() };
  const options = q.options
    .split('\n')
    .map((o) => o.trim())
    .filter(Boolean);
  switch (q.type) {
    case 'single_choice':
      return { ...base, type: q.type, options, actions: actionsBody(q.actions) };
    case 'multiple_choice':
      return { ...base, type: q.type, options, actions: actionsBody(q.actions) };
    case 'scale':
      return { ...base, type: q.type, min: q.min, max: q.max };
    case 'yes_no':
      return { ...base, type: q.type, actions: actionsBody(q.actions) };
    default:
      return { ...base, type: 'free_text' as const };
  }
}

/** The questions to send: empty ones left out. */
export function questionsBody(questions: readonly QuestionDraft[]) {
  return questions.filter((q) => q.text.trim()).map(questionBody);
}

/** Whether every answer action of every question is complete. */
export function questionsValid(
  questions: readonly QuestionDraft[],
  fields: CustomField[],
  t: (key: string) => string,
): boolean {
  return questions.every(
    (q) =>
      Object.keys(
        actionProblems(
          q.actions,
          answersOf(q, t).map((a) => a.value),
          fields,
        ),
      ).length === 0,
  );
}

/** The question catalogue of a call assignment or a campaign: add, edit, remove questions. */
export function QuestionsEditor({
  questions,
  onChange,
  orgId,
  emptyText,
  addLabel,
  testIdPrefix = 'question',
}: {
  questions: QuestionDraft[];
  onChange: (questions: QuestionDraft[]) => void;
  /** The unit whose tags and fields answer actions offer. */
  orgId: string;
  emptyText?: string;
  addLabel?: string;
  testIdPrefix?: string;
}) {
  const { t } = useTranslation('calls');
  const setQuestion = (key: string, patch: Partial<QuestionDraft>) =>
    onChange(questions.map((q) => (q.key === key ? { ...q, ...patch } : q)));
  return (
    <>
      {questions.length === 0 && (
        <Text c="dimmed" size="sm">
          {emptyText ?? t('editor.noQuestions')}
        </Text>
      )}
      {questions.map((q, index) => (
        <Paper key={q.key} withBorder radius="md" p="md" data-testid={`${testIdPrefix}-editor`}>
          <Stack gap="sm">
            <Group align="flex-end" wrap="nowrap">
              <TextInput
                style={{ flex: 1 }}
                label={t('editor.questionText', { n: index + 1 })}
                value={q.text}
                onChange={(e) => setQuestion(q.key, { text: e.currentTarget.value })}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                size="lg"
                aria-label={t('editor.removeQuestion')}
                onClick={() => onChange(questions.filter((x) => x.key !== q.key))}
              >
                <IconTrash size={18} aria-hidden />
              </ActionIcon>
            </Group>
            <Select
              label={t('editor.questionType')}
              data={QUESTION_TYPES.map((type) => ({ value: type, label: t(`questionTypes.${type}`) }))}
              value={q.type}
              allowDeselect={false}
              onChange={(v) => v && setQuestion(q.key, { type: v as QuestionType })}
            />
            {(q.type === 'single_choice' || q.type === 'multiple_choice') && (
              <Textarea
                label={t('editor.options')}
                description={t('editor.optionsHint')}
                autosize
                minRows={2}
                value={q.options}
                onChange={(e) => setQuestion(q.key, { options: e.currentTarget.value })}
              />
            )}
            {q.type === 'scale' && (
              <Group grow>
                <NumberInput
                  label={t('editor.scaleMin')}
                  value={q.min}
                  min={-100}
                  max={100}
                  onChange={(v) => setQuestion(q.key, { min: Number(v) || 0 })}
                />
                <NumberInput
                  label={t('editor.scaleMax')}
                  value={q.max}
                  min={-100}
                  max={100}
                  onChange={(v) => setQuestion(q.key, { max: Number(v) || 0 })}
                />
              </Group>
            )}
            {(q.type === 'single_choice' || q.type === 'multiple_choice' || q.type === 'yes_no') && (
              <AnswerActionsEditor
                testId={q.id ?? q.key}
                orgId={orgId}
                answers={answersOf(q, t)}
                actions={q.actions}
                onChange={(actions) => setQuestion(q.key, { actions })}
              />
            )}
          </Stack>
        </Paper>
      ))}
      <Group>
        <Button
          variant="light"
          leftSection={<IconPlus size={18} aria-hidden />}
          onClick={() =>
            onChange([
              ...questions,
              { key: newKey(), type: 'yes_no', text: '', options: '', min: 1, max: 5, actions: [] },
            ])
          }
          data-testid={`${testIdPrefix}-add`}
        >
          {addLabel ?? t('editor.addQuestion')}
        </Button>
      </Group>
    </>
  );
}

/** Questions shown read-only (e.g. the national ones above a region's own). */
export function QuestionsList({ questions }: { questions: readonly StoredQuestion[] }) {
  const { t } = useTranslation('calls');
  return (
    <Stack gap={6}>
      {questions.map((q, index) => (
        <Group key={q.id} gap="xs" wrap="nowrap" align="baseline">
          <Text size="sm" c="dimmed" w={24}>
            {index + 1}.
          </Text>
          <Text size="sm" style={{ flex: 1 }}>
            {q.text}
          </Text>
          <Text size="xs" c="dimmed">
            {(QUESTION_TYPES as readonly string[]).includes(q.type) ? t(`questionTypes.${q.type}`) : q.type}
            {Array.isArray(q.options) ? `: ${(q.options as string[]).join(', ')}` : ''}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}
