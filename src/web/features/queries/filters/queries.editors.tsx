import { NumberInput, SegmentedControl, Select, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type EditorProps, type KindEditors, row } from './editor-kit.tsx';

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

/** Editors for the filter kinds of the queries module itself (server: `queries/queries.filters.ts`; the group is the builder). */
export const QUERY_FILTER_EDITORS: KindEditors<'savedQuery' | 'sample'> = {
  savedQuery: SavedQueryEditor,
  sample: SampleEditor,
};
