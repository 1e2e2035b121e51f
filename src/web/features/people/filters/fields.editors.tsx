import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  ConditionEditor,
  type EditorProps,
  type KindEditors,
  row,
} from '../../queries/filters/editor-kit.tsx';

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

/** Editor for the custom-field filter (server: `fields/fields.filters.ts`; custom fields are managed in the people feature). */
export const FIELD_FILTER_EDITORS: KindEditors<'customField'> = {
  customField: CustomFieldEditor,
};
