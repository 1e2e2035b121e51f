import {
  Checkbox,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Skeleton,
  Text,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type CustomField, type Person, useFields } from '../api.ts';
import { formatNumber, formatPlainDate, inputToIso, isoToInput } from '../format.ts';
import { EditableCard } from './EditableCard.tsx';
import { DateField } from './inputs.tsx';
import { Field } from './SectionCard.tsx';

type Value = string | number | boolean | string[] | null;
/** Draft values: dates as typed text, numbers as number | ''. */
type Draft = Record<string, string | number | boolean | string[]>;

function toDraft(field: CustomField, value: Value | undefined, locale: string): Draft[string] {
  switch (field.type) {
    case 'boolean':
      return value === true;
    case 'number':
      return typeof value === 'number' ? value : '';
    case 'date':
      return typeof value === 'string' ? isoToInput(value, locale) : '';
    case 'multiple_choice':
      return Array.isArray(value) ? value : [];
    default:
      return typeof value === 'string' ? value : '';
  }
}

/** undefined: the date typed is no date. */
function fromDraft(field: CustomField, value: Draft[string] | undefined): Value | undefined {
  switch (field.type) {
    case 'boolean':
      return value === true;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'date':
      return inputToIso(typeof value === 'string' ? value : '');
    case 'multiple_choice':
      return Array.isArray(value) && value.length ? value : null;
    default:
      return typeof value === 'string' && value.trim() ? value.trim() : null;
  }
}

export function CustomFieldsCard({ person, mayWrite }: { person: Person; mayWrite: boolean }) {
  const { t, i18n } = useTranslation('people');
  const fields = useFields(person.orgId);
  const list = fields.data?.items ?? [];

  if (fields.isPending) return <Skeleton h={120} radius="md" />;
  if (list.length === 0) return null;

  const valuesOf = (draft: Draft) => list.map((f) => [f.id, fromDraft(f, draft[f.id])] as const);
  const isInvalid = (draft: Draft) => valuesOf(draft).some(([, v]) => v === undefined);

  const display = (field: CustomField) => {
    const value = person.customFields[field.id];
    if (value === null || value === undefined || value === '') return null;
    if (field.type === 'boolean') return value ? t('customFields.yes') : t('customFields.no');
    if (field.type === 'number' && typeof value === 'number') return formatNumber(value, i18n.language);
    if (field.type === 'date' && typeof value === 'string') return formatPlainDate(value, i18n.language);
    if (Array.isArray(value)) return value.join(', ');
    return String(value);
  };

  return (
    <EditableCard<Draft>
      person={person}
      mayWrite={mayWrite}
      title={t('customFields.title')}
      testId="person-custom-fields"
      toDraft={() =>
        Object.fromEntries(list.map((f) => [f.id, toDraft(f, person.customFields[f.id], i18n.language)]))
      }
      toUpdate={(draft) =>
        isInvalid(draft)
          ? null
          : { customFields: Object.fromEntries(valuesOf(draft)) as Record<string, Value> }
      }
      invalid={isInvalid}
      editor={({ draft, setDraft, errors }) => (
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          {list.map((field) => {
            const value = draft[field.id];
            const set = (next: Draft[string]) => setDraft((d) => ({ ...d, [field.id]: next }));
            const error = errors[`customFields.${field.id}`] ? t('form.invalid') : undefined;
            switch (field.type) {
              case 'boolean':
                return (
                  <Checkbox
                    key={field.id}
                    mt="lg"
                    label={field.label}
                    checked={value === true}
                    onChange={(event) => set(event.currentTarget.checked)}
                    error={error}
                  />
                );
              case 'number':
                return (
                  <NumberInput
                    key={field.id}
                    label={field.label}
                    value={typeof value === 'number' ? value : ''}
                    onChange={(next) => set(typeof next === 'number' ? next : '')}
                    decimalSeparator={i18n.language === 'en' ? '.' : ','}
                    error={error}
                  />
                );
              case 'date':
                return (
                  <DateField
                    key={field.id}
                    label={field.label}
                    value={typeof value === 'string' ? value : ''}
                    onChange={set}
                    error={error}
                  />
                );
              case 'single_choice':
                return (
                  <Select
                    key={field.id}
                    label={field.label}
                    data={field.options}
                    value={typeof value === 'string' && value ? value : null}
                    onChange={(next) => set(next ?? '')}
                    clearable
                    error={error}
                  />
                );
              case 'multiple_choice':
                return (
                  <MultiSelect
                    key={field.id}
                    label={field.label}
                    data={field.options}
                    value={Array.isArray(value) ? value : []}
                    onChange={set}
                    clearable
                    error={error}
                  />
                );
              default:
                return (
                  <TextInput
                    key={field.id}
                    label={field.label}
                    value={typeof value === 'string' ? value : ''}
                    onChange={(event) => set(event.currentTarget.value)}
                    error={error}
                  />
                );
            }
          })}
        </SimpleGrid>
      )}
    >
      <SimpleGrid cols={2} spacing="sm">
        {list.map((field) => (
          <Field key={field.id} label={field.label}>
            {display(field)}
          </Field>
        ))}
      </SimpleGrid>
      {list.every((field) => display(field) === null) && (
        <Text size="xs" c="dimmed" mt="xs">
          {t('customFields.empty')}
        </Text>
      )}
    </EditableCard>
  );
}
