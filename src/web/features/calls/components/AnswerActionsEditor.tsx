import {
  ActionIcon,
  Badge,
  Button,
  Collapse,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnswerAction } from '../../../../shared/calls.ts';
import { DateField } from '../../../components/DateFields.tsx';
import { type CustomField, useFields, useTags } from '../../people/api.ts';

/** One "when the answer is X, do Y" row while editing; empty rows are dropped on save. */
export interface ActionDraft {
  key: string;
  when: string | null;
  addTagId: string | null;
  fieldId: string | null;
  value: unknown;
  followUp: string;
}

let actionSeq = 0;
const newActionKey = () => `a-${++actionSeq}`;

/** The drafts of a stored question's actions (stored questions carry them untyped). */
export function actionDraftsOf(question: Record<string, unknown>): ActionDraft[] {
  if (!Array.isArray(question.actions)) return [];
  return (question.actions as AnswerAction[]).map((a) => ({
    key: newActionKey(),
    when: a.when,
    addTagId: a.addTagId ?? null,
    fieldId: a.setField?.fieldId ?? null,
    value: a.setField?.value ?? null,
    followUp: a.followUp ?? '',
  }));
}

const isEmpty = (a: ActionDraft) => !a.addTagId && !a.fieldId && !a.followUp.trim();

/** Mirrors the server's check of a custom field value (fields.service checkValue). */
function valueFits(field: CustomField | undefined, value: unknown): boolean {
  if (!field) return true;
  switch (field.type) {
    case 'text':
      return typeof value === 'string' && value.trim() !== '';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'single_choice':
      return typeof value === 'string' && field.options.includes(value);
    case 'multiple_choice':
      return Array.isArray(value) && value.length > 0;
  }
}

function defaultValue(field: CustomField | undefined): unknown {
  if (!field) return null;
  if (field.type === 'boolean') return true;
  if (field.type === 'multiple_choice') return [];
  if (field.type === 'number') return null;
  return '';
}

/** Problems per action key: the answer no longer exists, or the field value does not fit. */
export function actionProblems(
  drafts: ActionDraft[],
  answers: string[],
  fields: CustomField[],
): Record<string, 'when' | 'value'> {
  const problems: Record<string, 'when' | 'value'> = {};
  for (const a of drafts) {
    if (isEmpty(a)) continue;
    if (!a.when || !answers.includes(a.when)) problems[a.key] = 'when';
    else if (
      a.fieldId &&
      !valueFits(
        fields.find((f) => f.id === a.fieldId),
        a.value,
      )
    )
      problems[a.key] = 'value';
  }
  return problems;
}

/** Drafts → API input (rows without any action left out). */
export function actionsBody(drafts: ActionDraft[]): AnswerAction[] {
  return drafts
    .filter((a) => !isEmpty(a) && a.when)
    .map((a) => ({
      when: a.when as string,
      ...(a.addTagId ? { addTagId: a.addTagId } : {}),
      ...(a.fieldId ? { setField: { fieldId: a.fieldId, value: a.value } } : {}),
      ...(a.followUp.trim() ? { followUp: a.followUp.trim() } : {}),
    }));
}

/**
 * "Aktionen bei Antwort": per answer of a choice or yes/no question, add a tag, set a custom field
 * or flag the person for an organizer. Collapsed until opened, so the question list stays short.
 */
export function AnswerActionsEditor({
  testId,
  orgId,
  answers,
  actions,
  onChange,
}: {
  testId: string;
  orgId: string;
  /** The answers actions may be for: option texts, or yes/no. */
  answers: { value: string; label: string }[];
  actions: ActionDraft[];
  onChange: (actions: ActionDraft[]) => void;
}) {
  const { t } = useTranslation('calls');
  const [opened, setOpened] = useState(false);
  const tags = useTags(orgId, opened);
  const fields = useFields(orgId, opened);
  const fieldList = fields.data?.items ?? [];
  const problems = actionProblems(
    actions,
    answers.map((a) => a.value),
    fieldList,
  );
  const count = actions.filter((a) => !isEmpty(a)).length;
  const patch = (key: string, p: Partial<ActionDraft>) =>
    onChange(actions.map((a) => (a.key === key ? { ...a, ...p } : a)));
  const tagOptions = (tags.data?.items ?? []).map((tag) => ({
    value: tag.id,
    label: tag.group ? `${tag.group}: ${tag.name}` : tag.name,
  }));
  const fieldOptions = fieldList.map((f) => ({ value: f.id, label: f.label }));

  return (
    <Stack gap="xs" data-testid={`answer-actions-${testId}`}>
      <Group gap="xs">
        <Button
          variant="subtle"
          size="compact-sm"
          leftSection={
            opened ? <IconChevronDown size={16} aria-hidden /> : <IconChevronRight size={16} aria-hidden />
          }
          onClick={() => setOpened((o) => !o)}
          aria-expanded={opened}
          data-testid={`answer-actions-toggle-${testId}`}
        >
          {t('answerActions.title')}
        </Button>
        {count > 0 && (
          <Badge variant="light" size="sm">
            {t('answerActions.count', { count })}
          </Badge>
        )}
        {Object.keys(problems).length > 0 && !opened && (
          <Badge color="red" variant="light" size="sm">
            {t('answerActions.hasProblems')}
          </Badge>
        )}
      </Group>
      <Collapse expanded={opened}>
        <Stack gap="sm">
          <Text size="xs" c="dimmed">
            {t('answerActions.hint')}
          </Text>
          {actions.map((a) => {
            const field = fieldList.find((f) => f.id === a.fieldId);
            return (
              <Paper key={a.key} withBorder radius="sm" p="sm" bg="var(--mantine-color-gray-0)">
                <Stack gap="xs">
                  <Group align="flex-end" wrap="nowrap">
                    <Select
                      style={{ flex: 1 }}
                      label={t('answerActions.when')}
                      placeholder={t('answerActions.whenPick')}
                      data={answers}
                      value={a.when}
                      allowDeselect={false}
                      onChange={(v) => patch(a.key, { when: v })}
                      error={problems[a.key] === 'when' ? t('answerActions.whenMissing') : undefined}
                      data-testid="answer-action-when"
                    />
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      size="lg"
                      aria-label={t('answerActions.remove')}
                      onClick={() => onChange(actions.filter((x) => x.key !== a.key))}
                    >
                      <IconTrash size={18} aria-hidden />
                    </ActionIcon>
                  </Group>
                  <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
                    <Select
                      label={t('answerActions.addTag')}
                      placeholder={t('answerActions.none')}
                      data={tagOptions}
                      value={a.addTagId}
                      onChange={(v) => patch(a.key, { addTagId: v })}
                      searchable
                      clearable
                      nothingFoundMessage={t('answerActions.noTags')}
                      data-testid="answer-action-tag"
                    />
                    <Select
                      label={t('answerActions.setField')}
                      placeholder={t('answerActions.none')}
                      data={fieldOptions}
                      value={a.fieldId}
                      onChange={(v) =>
                        patch(a.key, {
                          fieldId: v,
                          value: defaultValue(fieldList.find((f) => f.id === v)),
                        })
                      }
                      searchable
                      clearable
                      nothingFoundMessage={t('answerActions.noFields')}
                      data-testid="answer-action-field"
                    />
                    {field ? (
                      <FieldValueInput
                        field={field}
                        value={a.value}
                        onChange={(value) => patch(a.key, { value })}
                        error={problems[a.key] === 'value' ? t('answerActions.valueMissing') : undefined}
                      />
                    ) : (
                      <TextInput label={t('answerActions.value')} disabled placeholder="–" />
                    )}
                  </SimpleGrid>
                  <TextInput
                    label={t('answerActions.followUp')}
                    description={t('answerActions.followUpHint')}
                    placeholder={t('answerActions.followUpPlaceholder')}
                    value={a.followUp}
                    maxLength={500}
                    onChange={(e) => patch(a.key, { followUp: e.currentTarget.value })}
                    data-testid="answer-action-follow-up"
                  />
                </Stack>
              </Paper>
            );
          })}
          <Group>
            <Button
              variant="light"
              size="xs"
              leftSection={<IconPlus size={16} aria-hidden />}
              onClick={() =>
                onChange([
                  ...actions,
                  {
                    key: newActionKey(),
                    when: answers[0]?.value ?? null,
                    addTagId: null,
                    fieldId: null,
                    value: null,
                    followUp: '',
                  },
                ])
              }
              disabled={answers.length === 0 || actions.length >= 60}
              data-testid={`answer-action-add-${testId}`}
            >
              {t('answerActions.add')}
            </Button>
          </Group>
        </Stack>
      </Collapse>
    </Stack>
  );
}

function FieldValueInput({
  field,
  value,
  onChange,
  error,
}: {
  field: CustomField;
  value: unknown;
  onChange: (value: unknown) => void;
  error?: string;
}) {
  const { t, i18n } = useTranslation('calls');
  const label = t('answerActions.value');
  switch (field.type) {
    case 'number':
      return (
        <NumberInput
          label={label}
          value={typeof value === 'number' ? value : ''}
          onChange={(v) => onChange(typeof v === 'number' ? v : null)}
          decimalSeparator={i18n.language === 'en' ? '.' : ','}
          error={error}
        />
      );
    case 'date':
      return (
        <DateField
          label={label}
          value={typeof value === 'string' ? value : ''}
          onChange={onChange}
          error={error}
        />
      );
    case 'boolean':
      return (
        <Select
          label={label}
          data={[
            { value: 'true', label: t('caller.yes') },
            { value: 'false', label: t('caller.no') },
          ]}
          value={value === false ? 'false' : 'true'}
          allowDeselect={false}
          onChange={(v) => onChange(v === 'true')}
          error={error}
        />
      );
    case 'single_choice':
      return (
        <Select
          label={label}
          data={field.options}
          value={typeof value === 'string' && value ? value : null}
          onChange={(v) => onChange(v ?? '')}
          error={error}
        />
      );
    case 'multiple_choice':
      return (
        <MultiSelect
          label={label}
          data={field.options}
          value={Array.isArray(value) ? (value as string[]) : []}
          onChange={onChange}
          error={error}
        />
      );
    default:
      return (
        <TextInput
          label={label}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value)}
          error={error}
          data-testid="answer-action-value"
        />
      );
  }
}
