import { Button, NumberInput, Select, SimpleGrid, Stack, Switch, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import {
  type CallingHours,
  DEFAULT_CALLING_HOURS,
  DEFAULT_VISIBLE_FIELDS,
} from '../../../../shared/calls.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { useFields } from '../../people/api.ts';
import { useSavedQueries } from '../../queries/api.ts';
import { type Assignment, useAssignment, useCreateAssignment, useUpdateAssignment } from '../api.ts';
import { CallersCard } from './CallersCard.tsx';
import { CallingHoursInput } from './CallingHoursInput.tsx';
import {
  AttemptRuleInputs,
  type CallStatus,
  DateRangeInputs,
  datesInOrder,
  EditorGate,
  EditorSection,
  SaveBar,
  ScriptInput,
  StatusControl,
  saveDraft,
  TitleDescriptionInputs,
  useDraft,
  VisibleFieldsSection,
} from './EditorParts.tsx';
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
  status: CallStatus;
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
  return (
    <EditorGate id={id} existing={existing} allowed={(can) => can('calls:manage')}>
      {(assignment, orgId) => <Editor key={id ?? 'new'} assignment={assignment} orgId={orgId} />}
    </EditorGate>
  );
}

function Editor({ assignment, orgId }: { assignment: Assignment | undefined; orgId: string }) {
  const { t } = useTranslation('calls');
  const navigate = useNavigate();
  const [draft, set] = useDraft(() => toDraft(assignment));
  const lists = useSavedQueries(orgId);
  const fields = useFields(orgId);
  const create = useCreateAssignment();
  const update = useUpdateAssignment(assignment?.id ?? '');
  const mutation = assignment ? update : create;

  const actionsOk = questionsValid(draft.questions, fields.data?.items ?? [], t);
  const valid =
    draft.title.trim() !== '' &&
    Boolean(draft.targetQueryId) &&
    datesInOrder(draft.startsOn, draft.endsOn) &&
    actionsOk;
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
    saveDraft({
      exists: Boolean(assignment),
      body,
      orgId,
      update,
      create,
      savedText: t('editor.saved'),
      navigate,
      pathOf: (created) => `/call-assignments/${created.id}`,
    });
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
        <EditorSection title={t('editor.basics')}>
          <TitleDescriptionInputs
            title={draft.title}
            description={draft.description}
            onTitle={(v) => set('title', v)}
            onDescription={(v) => set('description', v)}
            labels={{
              title: t('editor.title'),
              description: t('editor.instructions'),
              descriptionHint: t('editor.instructionsHint'),
            }}
            testIds={{ title: 'assignment-title' }}
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
          <StatusControl
            label={t('editor.status')}
            value={draft.status}
            onChange={(v) => set('status', v)}
            testId="assignment-status"
          />
        </EditorSection>

        <EditorSection title={t('editor.scriptSection')}>
          <ScriptInput
            label={t('editor.script')}
            value={draft.script}
            onChange={(v) => set('script', v)}
            testId="assignment-script"
          />
        </EditorSection>

        <EditorSection title={t('editor.questions')}>
          <QuestionsEditor
            questions={draft.questions}
            onChange={(questions) => set('questions', questions)}
            orgId={orgId}
          />
        </EditorSection>

        <VisibleFieldsSection value={draft.visibleFields} onChange={(v) => set('visibleFields', v)} />

        <EditorSection title={t('editor.rules')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <AttemptRuleInputs
              maxAttempts={draft.maxAttempts}
              cooldownHours={draft.cooldownHours}
              onMaxAttempts={(n) => set('maxAttempts', n)}
              onCooldownHours={(n) => set('cooldownHours', n)}
            />
            <DateRangeInputs
              startsOn={draft.startsOn}
              endsOn={draft.endsOn}
              onStartsOn={(v) => set('startsOn', v)}
              onEndsOn={(v) => set('endsOn', v)}
              labels={{
                startsOn: t('schedule.startsOn'),
                startsOnHint: t('schedule.startsOnHint'),
                endsOn: t('schedule.endsOn'),
                endsOnHint: t('schedule.endsOnHint'),
                endBeforeStart: t('schedule.endBeforeStart'),
              }}
              testIdPrefix="assignment"
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
        </EditorSection>

        <SaveBar
          mutation={mutation}
          onSave={save}
          disabled={!valid}
          label={t('editor.save')}
          testId="assignment-save"
        />

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
