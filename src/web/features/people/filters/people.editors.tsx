import { MultiSelect, NumberInput, SegmentedControl, Select, TagsInput, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { MEMBERSHIP_STATUSES, PERSON_SOURCES } from '../../../../shared/people.ts';
import {
  OPERATORS_BY_TYPE,
  PERSON_FILTER_FIELDS,
  type PersonFilterField,
} from '../../../../shared/queries.ts';
import {
  ConditionEditor,
  type EditorProps,
  type KindEditors,
  row,
} from '../../queries/filters/editor-kit.tsx';

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

/** Editors for the filter kinds of the people module (server: `people/people.filters.ts`). */
export const PEOPLE_FILTER_EDITORS: KindEditors<
  'field' | 'status' | 'orgUnit' | 'postalCode' | 'age' | 'contact' | 'source'
> = {
  field: FieldEditor,
  status: StatusEditor,
  orgUnit: OrgUnitEditor,
  postalCode: PostalCodeEditor,
  age: AgeEditor,
  contact: ContactEditor,
  source: SourceEditor,
};
