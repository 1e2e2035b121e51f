import {
  Button,
  Grid,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { completeOnly } from '../../../../shared/filter-completeness.ts';
import type { FilterGroup, FilterNode } from '../../../../shared/queries.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { useAssignments } from '../../calls/api.ts';
import { useFields, useTags } from '../../people/api.ts';
import {
  type QueryMode,
  useCreateQuery,
  usePreview,
  useSavedQueries,
  useSavedQuery,
  useUpdateQuery,
} from '../api.ts';
import type { EditorChoices } from '../filters/editors.tsx';
import { FilterBuilder } from '../filters/FilterBuilder.tsx';

const asGroup = (node: FilterNode): FilterGroup =>
  node.kind === 'group' ? node : { kind: 'group', op: 'and', children: [node] };

/** Build a list: the filter tree with a live count and sample, then name and save it. */
export function QueryEditorPage() {
  const { t, i18n } = useTranslation('queries');
  const { id } = useParams();
  const navigate = useNavigate();
  const { currentOrg, orgs, can } = useCurrentOrg();
  const existing = useSavedQuery(id);
  const orgId = existing.data?.orgId ?? currentOrg?.id;
  const mayWrite = Boolean(orgId) && can('people:write', orgId);

  const [group, setGroup] = useState<FilterGroup>({ kind: 'group', op: 'and', children: [] });
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [mode, setMode] = useState<QueryMode>('dynamic');
  // biome-ignore lint/correctness/useExhaustiveDependencies: load the saved list once
  useEffect(() => {
    if (!existing.data) return;
    setGroup(asGroup(existing.data.filter));
    setName(existing.data.name);
    setDescription(existing.data.description ?? '');
    setMode(existing.data.mode);
  }, [existing.data?.id]);

  const [debounced] = useDebouncedValue(group, 300);
  const countable = useMemo(() => completeOnly(debounced), [debounced]);
  const preview = usePreview(orgId, countable);
  const tags = useTags(orgId);
  const fields = useFields(orgId);
  const queries = useSavedQueries(orgId);
  const assignments = useAssignments(orgId, Boolean(orgId) && can('calls:manage', orgId));
  const choices: EditorChoices = {
    tags: tags.data?.items ?? [],
    fields: fields.data?.items ?? [],
    orgs: orgs.filter((o) => o.id === orgId || can('people:read', o.id)),
    queries: (queries.data?.items ?? []).filter((q) => q.id !== id),
    assignments: (assignments.data?.items ?? []).map((a) => ({
      id: a.id,
      title: a.title,
      // A campaign assignment also asks the campaign's and its call centre's questions.
      questions: [
        ...(a.inherited?.questions ?? []),
        ...a.questions,
      ] as EditorChoices['assignments'][number]['questions'],
    })),
  };
  const create = useCreateQuery();
  const update = useUpdateQuery(id ?? '');
  const saving = create.isPending || update.isPending;

  if (!currentOrg) return <EmptyState title={t('common:noOrg.title')} text={t('common:noOrg.text')} />;
  if (!mayWrite || !orgId) return <Forbidden />;

  const save = () => {
    const body = {
      name: name.trim(),
      description: description.trim() || null,
      filter: completeOnly(group),
      mode,
    };
    const done = (q: { id: string }) => {
      notifySuccess(t('editor.saved', { name: body.name }));
      navigate(`/lists/${q.id}`);
    };
    if (id) update.mutate(body, { onSuccess: done });
    else create.mutate({ ...body, orgId }, { onSuccess: done });
  };

  return (
    <>
      <PageHeader
        title={id ? t('editor.editTitle') : t('editor.newTitle')}
        description={t('editor.description')}
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack>
            <FilterBuilder group={group} onChange={setGroup} choices={choices} orgId={orgId} />
            <Paper withBorder p="md" radius="md">
              <Stack>
                <TextInput
                  label={t('editor.name')}
                  value={name}
                  onChange={(e) => setName(e.currentTarget.value)}
                  required
                  data-testid="query-name"
                />
                <Textarea
                  label={t('editor.descriptionLabel')}
                  value={description}
                  onChange={(e) => setDescription(e.currentTarget.value)}
                  autosize
                  minRows={2}
                />
                <Stack gap={4}>
                  <Text size="sm" fw={500} id="query-mode-label">
                    {t('editor.mode')}
                  </Text>
                  <SegmentedControl
                    aria-labelledby="query-mode-label"
                    value={mode}
                    onChange={(v) => setMode(v as QueryMode)}
                    data={[
                      { value: 'dynamic', label: t('modes.dynamic') },
                      { value: 'snapshot', label: t('modes.snapshot') },
                    ]}
                    data-testid="query-mode"
                  />
                  <Text size="xs" c="dimmed">
                    {t(`modeHelp.${mode}`)}
                  </Text>
                </Stack>
                <ErrorAlert error={create.error ?? update.error} />
                <Group justify="flex-end">
                  <Button variant="default" onClick={() => navigate('/lists')}>
                    {t('common:actions.cancel')}
                  </Button>
                  <Button
                    onClick={save}
                    loading={saving}
                    disabled={!name.trim()}
                    leftSection={<IconDeviceFloppy size={18} aria-hidden />}
                    data-testid="query-save"
                  >
                    {t('editor.save')}
                  </Button>
                </Group>
              </Stack>
            </Paper>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Paper withBorder p="md" radius="md" style={{ position: 'sticky', top: 76 }}>
            <Stack gap="xs">
              <Text size="sm" c="dimmed">
                {t('preview.count')}
              </Text>
              <Group gap="xs" aria-live="polite">
                <Title order={2} data-testid="query-count">
                  {preview.data ? preview.data.count.toLocaleString(i18n.language) : '–'}
                </Title>
                {preview.isFetching && <Loader size="xs" aria-label={t('preview.loading')} />}
              </Group>
              <ErrorAlert error={preview.error} />
              <Text size="sm" fw={600} mt="sm">
                {t('preview.sample')}
              </Text>
              {preview.data?.sample.length ? (
                <Table verticalSpacing={4} data-testid="query-sample">
                  <Table.Tbody>
                    {preview.data.sample.map((p) => (
                      <Table.Tr key={p.id}>
                        <Table.Td>
                          {p.lastName}, {p.firstName}
                        </Table.Td>
                        <Table.Td c="dimmed">{[p.postalCode, p.city].filter(Boolean).join(' ')}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              ) : (
                <Text size="sm" c="dimmed">
                  {t('preview.none')}
                </Text>
              )}
            </Stack>
          </Paper>
        </Grid.Col>
      </Grid>
    </>
  );
}
