import { Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { completeOnly } from '../../../../shared/filter-completeness.ts';
import type { FilterGroup, FilterNode } from '../../../../shared/queries.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { useAssignments } from '../../calls/api.ts';
import { useFields, useTags } from '../../people/api.ts';
import { usePreview, useSavedQueries } from '../../queries/api.ts';
import type { EditorChoices } from '../../queries/filters/editors.tsx';
import { FilterBuilder } from '../../queries/filters/FilterBuilder.tsx';

/** Any stored filter as the group the builder edits. */
export function asGroup(node: unknown): FilterGroup {
  const n = node as FilterNode | null | undefined;
  if (!n || typeof n !== 'object' || !('kind' in n)) return { kind: 'group', op: 'and', children: [] };
  return n.kind === 'group' ? n : { kind: 'group', op: 'and', children: [n] };
}

/** Who is called: the smart-search filter builder with a live count in the campaign's unit. */
export function TargetFilterCard({
  group,
  onChange,
  orgId,
  readOnly,
}: {
  group: FilterGroup;
  onChange: (group: FilterGroup) => void;
  orgId: string;
  readOnly: boolean;
}) {
  const { t, i18n } = useTranslation('campaigns');
  const { orgs, can } = useCurrentOrg();
  const mayRead = can('people:read', orgId);
  const [debounced] = useDebouncedValue(group, 300);
  const countable = useMemo(() => completeOnly(debounced), [debounced]);
  const preview = usePreview(mayRead ? orgId : undefined, countable);
  const tags = useTags(orgId, !readOnly);
  const fields = useFields(orgId, !readOnly);
  const queries = useSavedQueries(orgId, !readOnly && mayRead);
  const assignments = useAssignments(orgId, !readOnly);
  const choices: EditorChoices = {
    tags: tags.data?.items ?? [],
    fields: fields.data?.items ?? [],
    orgs: orgs.filter((o) => o.id === orgId || can('people:read', o.id)),
    queries: queries.data?.items ?? [],
    assignments: (assignments.data?.items ?? []).map((a) => ({
      id: a.id,
      title: a.title,
      questions: a.questions as EditorChoices['assignments'][number]['questions'],
    })),
  };
  return (
    <Paper withBorder radius="md" p="lg">
      <Stack>
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Title order={2} fz="lg">
              {t('editor.target')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('editor.targetHint')}
            </Text>
          </Stack>
          {mayRead && (
            <Stack gap={0} align="flex-end" aria-live="polite">
              <Text size="xs" c="dimmed">
                {t('editor.targetCount')}
              </Text>
              <Group gap={6}>
                <Text fw={700} fz="xl" data-testid="campaign-target-count">
                  {preview.data ? preview.data.count.toLocaleString(i18n.language) : '–'}
                </Text>
                {preview.isFetching && <Loader size="xs" aria-label={t('common:states.loading')} />}
              </Group>
            </Stack>
          )}
        </Group>
        <FilterBuilder group={group} onChange={onChange} choices={choices} orgId={orgId} />
      </Stack>
    </Paper>
  );
}
