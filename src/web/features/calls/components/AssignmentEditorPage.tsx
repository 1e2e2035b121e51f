import {
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import {
  CALL_ASSIGNMENT_STATUSES,
  CALL_VISIBLE_FIELDS,
  type CallingHours,
  DEFAULT_CALLING_HOURS,
  DEFAULT_VISIBLE_FIELDS,
} from '../../../../shared/calls.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { FullPageLoader } from '../../../components/FullPageLoader.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { useFields } from '../../people/api.ts';
import { useSavedQueries } from '../../queries/api.ts';
import { type Assignment, useAssignment, useCreateAssignment, useUpdateAssignment } from '../api.ts';
import { CallersCard } from './CallersCard.tsx';
import { CallingHoursInput } from './CallingHoursInput.tsx';
import { FollowUpsCard } from './FollowUpsCard.tsx';
import { InviteLinksCard } from './InviteLinksCard.tsx';
import { ProgressCard } from './ProgressCard.tsx';
import {
  type QuestionDraft,
  QuestionsEditor,
  questionDraftsOf,
  questionsBody,
  questionsValid,
} from './QuestionsEditor.tsx';
import { RecentCallsCard } from './RecentCallsCard.tsx';

type Status = (typeof CALL_ASSIGNMENT_STATUSES)[number];

interface Draft {
  title: string;
  description: string;
  targetQueryId: string | null;
  script: string;
  questions: QuestionDraft[];
  visibleFields: string[];
  maxAttempts: number;
  cooldownHours: number;
  callingHours: CallingHours;
  status: Status;
  /** YYYY-MM-DD or '' (no limit). */
  startsOn: string;
  endsOn: string;
  lockMinutes: number;
  /** null: done when reached in this assignment. */
  goalQueryId: string | null;
  reachedElsewhereDays: number;
  showPreviousNotes: boolean;
}

function toDraft(a: Assignment | undefined): Draft {
  if (!a)
    return {
      title: '',
      description: '',
      targetQueryId: null,
      script: '',
      questions: [],
      visibleFields: [...DEFAULT_VISIBLE_FIELDS],
      maxAttempts: 3,
      cooldownHours: 24,
      callingHours: DEFAULT_CALLING_HOURS,
      status: 'draft',
      startsOn: '',
      endsOn: '',
      lockMinutes: 10,
      goalQueryId: null,
      reachedElsewhereDays: 30,
      showPreviousNotes: false,
    };
  return {
    title: a.title,
    description: a.description ?? '',
    targetQueryId: a.targetQueryId,
    script: a.script,
    questions: questionDraftsOf(a.questions),
    visibleFields: a.visibleFields,
    maxAttempts: a.maxAttempts,
    cooldownHours: a.cooldownHours,
    callingHours: a.callingHours,
    status: a.status,
    startsOn: a.startsOn ?? '',
    endsOn: a.endsOn ?? '',
    lockMinutes: a.lockMinutes,
    goalQueryId: a.goalQueryId,
    reachedElsewhereDays: a.reachedElsewhereDays,
    showPreviousNotes: a.showPreviousNotes,
  };
}

/** Create or edit a call assignment ("Anrufaktion"), with its callers once it exists. */
export function AssignmentEditorPage() {
  const { id } = useParams();
  const existing = useAssignment(id);
  const { currentOrg, can } = useCurrentOrg();
  const { t } = useTranslation('calls');
  if (!currentOrg) return <EmptyState title={t('common:noOrg.title')} text={t('common:noOrg.text')} />;
  if (!can('calls:manage')) return <Forbidden />;
  if (id && existing.isPending) return <FullPageLoader />;
  if (id && existing.error) return <ErrorAlert error={existing.error} />;
  return (
    <Editor key={id ?? 'new'} assignment={existing.data} orgId={existing.data?.orgId ?? currentOrg.id} />
  );
}

function Editor({ assignment, orgId }: { assignment: Assignment | undefined; orgId: string }) {
  const { t } = useTranslation('calls');
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Draft>(() => toDraft(assignment));
  const lists = useSavedQueries(orgId);
  const fields = useFields(orgId);
  const create = useCreateAssignment();
  const update = useUpdateAssignment(assignment?.id ?? '');
  const mutation = assignment ? update : create;
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  const datesInOrder = !draft.startsOn || !draft.endsOn || draft.startsOn <= draft.endsOn;
  const actionsOk = questionsValid(draft.questions, fields.data?.items ?? [], t);
  const valid = draft.title.trim() !== '' && Boolean(draft.targetQueryId) && datesInOrder && actionsOk;
  const save = () => {
    if (!draft.targetQueryId) return;
    const body = {
      title: draft.title.trim(),
      description: draft.description.trim() || null,
      targetQueryId: draft.targetQueryId,
      script: draft.script,
      questions: questionsBody(draft.questions),
      visibleFields: draft.visibleFields as Assignment['visibleFields'] as never,
      maxAttempts: draft.maxAttempts,
      cooldownHours: draft.cooldownHours,
      callingHours: draft.callingHours,
      status: draft.status,
      startsOn: draft.startsOn || null,
      endsOn: draft.endsOn || null,
      lockMinutes: draft.lockMinutes,
      goalQueryId: draft.goalQueryId,
      reachedElsewhereDays: draft.reachedElsewhereDays,
      showPreviousNotes: draft.showPreviousNotes,
    };
    if (assignment) update.mutate(body, { onSuccess: () => notifySuccess(t('editor.saved')) });
    else
      create.mutate(
        { orgId, ...body },
        {
          onSuccess: (created) => {
            notifySuccess(t('editor.saved'));
            navigate(`/call-assignments/${created.id}`, { replace: true });
          },
        },
      );
  };

  const listOptions = (lists.data?.items ?? []).map((q) => ({ value: q.id, label: q.name }));

  return (
    <>
      <PageHeader
        title={assignment ? assignment.title : t('editor.newTitle')}
        description={t('editor.description')}
        actions={
          <Button variant="default" onClick={() => navigate('/call-assignments')}>
            {t('common:actions.back')}
          </Button>
        }
      />
      <Stack gap="lg">
        <Paper withBorder radius="md" p="lg">
          <Stack>
            <Title order={2} fz="lg">
              {t('editor.basics')}
            </Title>
            <TextInput
              label={t('editor.title')}
              required
              value={draft.title}
              onChange={(e) => set('title', e.currentTarget.value)}
              data-testid="assignment-title"
            />
            <Textarea
              label={t('editor.instructions')}
              description={t('editor.instructionsHint')}
              autosize
              minRows={2}
              value={draft.description}
              onChange={(e) => set('description', e.currentTarget.value)}
            />
            <Select
              label={t('editor.target')}
              description={t('editor.targetHint')}
              required
              searchable
              data={listOptions}
              value={draft.targetQueryId}
              onChange={(v) => set('targetQueryId', v)}
              nothingFoundMessage={t('editor.noLists')}
              data-testid="assignment-target"
            />
            <Select
              label={t('schedule.goal')}
              description={t('schedule.goalHint')}
              searchable
              allowDeselect={false}
              data={[
                { value: '', label: t('schedule.goalReachedHere') },
                ...listOptions.filter((o) => o.value !== draft.targetQueryId),
              ]}
              value={draft.goalQueryId ?? ''}
              onChange={(v) => set('goalQueryId', v || null)}
              error={
                draft.goalQueryId && draft.goalQueryId === draft.targetQueryId
                  ? t('schedule.goalSame')
                  : undefined
              }
              data-testid="goal-list"
            />
            <Stack gap={6}>
              <Text size="sm" fw={500}>
                {t('editor.status')}
              </Text>
              <SegmentedControl
                data={CALL_ASSIGNMENT_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
                value={draft.status}
                onChange={(v) => set('status', v as Status)}
                data-testid="assignment-status"
                fullWidth
              />
            </Stack>
          </Stack>
        </Paper>

        <Paper withBorder radius="md" p="lg">
          <Stack>
            <Title order={2} fz="lg">
              {t('editor.scriptSection')}
            </Title>
            <Textarea
              label={t('editor.script')}
              description={t('editor.scriptHint', {
                p1: '{{firstName}}',
                p2: '{{callerName}}',
                p3: '{{orgName}}',
              })}
              autosize
              minRows={5}
              value={draft.script}
              onChange={(e) => set('script', e.currentTarget.value)}
              data-testid="assignment-script"
            />
          </Stack>
        </Paper>

        <Paper withBorder radius="md" p="lg">
          <Stack>
            <Title order={2} fz="lg">
              {t('editor.questions')}
            </Title>
            <QuestionsEditor
              questions={draft.questions}
              onChange={(questions) => set('questions', questions)}
              orgId={orgId}
            />
          </Stack>
        </Paper>

        <Paper withBorder radius="md" p="lg">
          <Stack>
            <Title order={2} fz="lg">
              {t('editor.visibleFields')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('editor.visibleFieldsHint')}
            </Text>
            <Checkbox.Group value={draft.visibleFields} onChange={(v) => set('visibleFields', v)}>
              <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="xs">
                {CALL_VISIBLE_FIELDS.map((f) => (
                  <Checkbox key={f} value={f} label={t(`fields.${f}`)} />
                ))}
              </SimpleGrid>
            </Checkbox.Group>
          </Stack>
        </Paper>

        <Paper withBorder radius="md" p="lg">
          <Stack>
            <Title order={2} fz="lg">
              {t('editor.rules')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NumberInput
                label={t('editor.maxAttempts')}
                min={1}
                max={50}
                value={draft.maxAttempts}
                onChange={(v) => set('maxAttempts', Number(v) || 1)}
              />
              <NumberInput
                label={t('editor.cooldownHours')}
                description={t('editor.cooldownHint')}
                min={0}
                max={8760}
                value={draft.cooldownHours}
                onChange={(v) => set('cooldownHours', Number(v) || 0)}
              />
              <TextInput
                type="date"
                label={t('schedule.startsOn')}
                description={t('schedule.startsOnHint')}
                value={draft.startsOn}
                onChange={(e) => set('startsOn', e.currentTarget.value)}
                data-testid="assignment-starts-on"
              />
              <TextInput
                type="date"
                label={t('schedule.endsOn')}
                description={t('schedule.endsOnHint')}
                value={draft.endsOn}
                min={draft.startsOn || undefined}
                onChange={(e) => set('endsOn', e.currentTarget.value)}
                error={datesInOrder ? undefined : t('schedule.endBeforeStart')}
                data-testid="assignment-ends-on"
              />
              <NumberInput
                label={t('schedule.lockMinutes')}
                description={t('schedule.lockMinutesHint')}
                min={1}
                max={240}
                value={draft.lockMinutes}
                onChange={(v) => set('lockMinutes', Math.min(240, Math.max(1, Number(v) || 1)))}
                data-testid="assignment-lock-minutes"
              />
              {assignment?.campaignId ? (
                <NumberInput
                  label={t('schedule.reachedElsewhere')}
                  description={t('schedule.reachedElsewhereHint')}
                  min={0}
                  max={3650}
                  value={draft.reachedElsewhereDays}
                  onChange={(v) => set('reachedElsewhereDays', Math.max(0, Number(v) || 0))}
                  data-testid="assignment-reached-elsewhere"
                />
              ) : (
                <Stack gap={2} data-testid="assignment-reached-elsewhere">
                  <Text size="sm" fw={500}>
                    {t('schedule.reachedElsewhere')}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('schedule.noCampaign')}
                  </Text>
                </Stack>
              )}
            </SimpleGrid>
            <Switch
              label={t('schedule.showPreviousNotes')}
              description={t('schedule.showPreviousNotesHint')}
              checked={draft.showPreviousNotes}
              onChange={(e) => set('showPreviousNotes', e.currentTarget.checked)}
              data-testid="assignment-show-previous-notes"
            />
            <CallingHoursInput value={draft.callingHours} onChange={(v) => set('callingHours', v)} />
          </Stack>
        </Paper>

        <ErrorAlert error={mutation.error} />
        <Group justify="flex-end">
          <Button
            size="md"
            onClick={save}
            loading={mutation.isPending}
            disabled={!valid}
            data-testid="assignment-save"
          >
            {t('editor.save')}
          </Button>
        </Group>

        {assignment ? (
          <>
            <ProgressCard assignmentId={assignment.id} />
            <FollowUpsCard assignmentId={assignment.id} />
            <RecentCallsCard assignment={assignment} />
            <CallersCard assignment={assignment} />
            <InviteLinksCard assignment={assignment} />
          </>
        ) : (
          <Text size="sm" c="dimmed">
            {t('callers.afterSave')}
          </Text>
        )}
      </Stack>
    </>
  );
}
