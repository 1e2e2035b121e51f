import { MultiSelect, SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type EditorProps, type KindEditors, row } from '../../queries/filters/editor-kit.tsx';

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

/** Editor for the tag filter (server: `tags/tags.filters.ts`; tags are managed in the people feature). */
export const TAG_FILTER_EDITORS: KindEditors<'tags'> = {
  tags: TagsEditor,
};
