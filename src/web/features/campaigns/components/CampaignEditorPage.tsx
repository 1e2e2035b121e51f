import { Alert, Badge, Button, Fieldset, Group, SimpleGrid, Stack, Switch, Text } from '@mantine/core';
import { IconChartBar, IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import {
  type CallingHours,
  DEFAULT_CALLING_HOURS,
  DEFAULT_VISIBLE_FIELDS,
} from '../../../../shared/calls.ts';
import { completeOnly } from '../../../../shared/filter-completeness.ts';
import type { FilterGroup } from '../../../../shared/queries.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { CallingHoursInput } from '../../calls/components/CallingHoursInput.tsx';
import {
  AttemptRuleInputs,
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
} from '../../calls/components/EditorParts.tsx';
import {
  type QuestionDraft,
  QuestionsEditor,
  questionDraftsOf,
  questionsBody,
  questionsValid,
} from '../../calls/components/QuestionsEditor.tsx';
import { STATUS_COLORS } from '../../calls/components/status.ts';
import { useFields } from '../../people/api.ts';
import {
  type Campaign,
  type CampaignStatus,
  useCampaign,
  useCreateCampaign,
  useUpdateCampaign,
} from '../api.ts';
import { CallCentresCard } from './CallCentresCard.tsx';
import { dateOf } from './period.ts';
import { asGroup, TargetFilterCard } from './TargetFilterCard.tsx';
import './campaign-editor.css';

interface Draft {
  title: string;
  description: string;
  /** YYYY-MM-DD or '' (open). */
  startsOn: string;
  endsOn: string;
  status: CampaignStatus;
  allowOptIn: boolean;
  script: string;
  questions: QuestionDraft[];
  targetFilter: FilterGroup;
  maxAttempts: number;
  cooldownHours: number;
  callingHours: CallingHours;
  visibleFields: string[];
}

function toDraft(c: Campaign | undefined): Draft {
  if (!c)
    return {
      title: '',
      description: '',
      startsOn: '',
      endsOn: '',
      status: 'open',
      allowOptIn: false,
      script: '',
      questions: [],
      targetFilter: { kind: 'group', op: 'and', children: [{ kind: 'status', statuses: ['member'] }] },
      maxAttempts: 3,
      cooldownHours: 24,
      callingHours: DEFAULT_CALLING_HOURS,
      visibleFields: [...DEFAULT_VISIBLE_FIELDS],
    };
  return {
    title: c.title,
    description: c.description ?? '',
    startsOn: dateOf(c.startsAt),
    endsOn: dateOf(c.endsAt),
    status: c.status,
    allowOptIn: c.allowOptIn,
    script: c.script,
    questions: questionDraftsOf(c.questions),
    targetFilter: asGroup(c.targetFilter),
    maxAttempts: c.rules.maxAttempts,
    cooldownHours: c.rules.cooldownHours,
    callingHours: c.rules.callingHours,
    visibleFields: c.visibleFields,
  };
}

/** Create or edit a national phone campaign; with its call centres once it exists. */
export function CampaignEditorPage() {
  const { id } = useParams();
  const existing = useCampaign(id);
  return (
    <EditorGate id={id} existing={existing} allowed={(can) => Boolean(id) || can('calls:manage')}>
      {(campaign, orgId) => (
        <Editor key={`${id ?? 'new'}-${campaign?.updatedAt ?? ''}`} campaign={campaign} orgId={orgId} />
      )}
    </EditorGate>
  );
}

function Editor({ campaign, orgId }: { campaign: Campaign | undefined; orgId: string }) {
  const { t } = useTranslation('campaigns');
  const navigate = useNavigate();
  const [draft, set] = useDraft(() => toDraft(campaign));
  const readOnly = Boolean(campaign && !campaign.canEdit);
  const fields = useFields(orgId, !readOnly);
  const create = useCreateCampaign();
  const update = useUpdateCampaign(campaign?.id ?? '');
  const mutation = campaign ? update : create;

  const valid =
    draft.title.trim() !== '' &&
    datesInOrder(draft.startsOn, draft.endsOn) &&
    questionsValid(draft.questions, fields.data?.items ?? [], (k) => t(`calls:${k}`));
  const save = () => {
    const body = {
      title: draft.title.trim(),
      description: draft.description.trim() || null,
      startsAt: draft.startsOn || null,
      endsAt: draft.endsOn || null,
      status: draft.status,
      allowOptIn: draft.allowOptIn,
      script: draft.script,
      questions: questionsBody(draft.questions),
      targetFilter: completeOnly(draft.targetFilter),
      rules: {
        maxAttempts: draft.maxAttempts,
        cooldownHours: draft.cooldownHours,
        callingHours: draft.callingHours,
      },
      visibleFields: draft.visibleFields as never,
    };
    saveDraft({
      exists: Boolean(campaign),
      body,
      orgId,
      update,
      create,
      savedText: t('editor.saved'),
      navigate,
      pathOf: (created) => `/campaigns/${created.id}`,
    });
  };

  return (
    <>
      <PageHeader
        title={campaign ? campaign.title : t('editor.newTitle')}
        description={
          campaign ? (
            <Group gap="xs" component="span">
              <Badge component="span" variant="light" color={STATUS_COLORS[campaign.status]}>
                {t(`calls:status.${campaign.status}`)}
              </Badge>
              <span>{t('editor.ownedBy', { org: campaign.orgName })}</span>
            </Group>
          ) : (
            t('editor.description')
          )
        }
        actions={
          <>
            <Button variant="default" onClick={() => navigate('/campaigns')}>
              {t('common:actions.back')}
            </Button>
            {campaign && (
              <Button
                component={Link}
                to={`/campaigns/${campaign.id}/dashboard`}
                leftSection={<IconChartBar size={18} aria-hidden />}
                data-testid="campaign-dashboard-link"
              >
                {t('editor.dashboard')}
              </Button>
            )}
          </>
        }
      />
      <Stack gap="lg">
        {readOnly && (
          <Alert icon={<IconLock size={18} aria-hidden />} color="gray" data-testid="campaign-read-only">
            {t('editor.readOnly', { org: campaign?.orgName })}
          </Alert>
        )}
        <Fieldset
          variant="unstyled"
          disabled={readOnly}
          p={0}
          m={0}
          className={readOnly ? 'campaign-read-only' : undefined}
        >
          <Stack gap="lg">
            <EditorSection title={t('editor.basics')}>
              <TitleDescriptionInputs
                title={draft.title}
                description={draft.description}
                onTitle={(v) => set('title', v)}
                onDescription={(v) => set('description', v)}
                labels={{ title: t('editor.title'), description: t('editor.descriptionLabel') }}
                testIds={{ title: 'campaign-title', description: 'campaign-description' }}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <DateRangeInputs
                  startsOn={draft.startsOn}
                  endsOn={draft.endsOn}
                  onStartsOn={(v) => set('startsOn', v)}
                  onEndsOn={(v) => set('endsOn', v)}
                  labels={{
                    startsOn: t('editor.startsOn'),
                    endsOn: t('editor.endsOn'),
                    endBeforeStart: t('editor.endBeforeStart'),
                  }}
                  testIdPrefix="campaign"
                />
              </SimpleGrid>
              <StatusControl
                label={t('editor.status')}
                labelId="campaign-status-label"
                value={draft.status}
                onChange={(v) => set('status', v)}
                disabled={readOnly}
                testId="campaign-status"
              />
              <Switch
                label={t('editor.allowOptIn')}
                description={t('editor.allowOptInHint')}
                checked={draft.allowOptIn}
                onChange={(e) => set('allowOptIn', e.currentTarget.checked)}
                data-testid="campaign-allow-opt-in"
              />
            </EditorSection>

            <EditorSection title={t('editor.scriptSection')}>
              <ScriptInput
                label={t('editor.script')}
                value={draft.script}
                onChange={(v) => set('script', v)}
                testId="campaign-script"
              />
            </EditorSection>

            <EditorSection title={t('editor.questions')} hint={t('editor.questionsHint')}>
              {readOnly && draft.questions.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('calls:editor.noQuestions')}
                </Text>
              ) : (
                <QuestionsEditor
                  questions={draft.questions}
                  onChange={(questions) => set('questions', questions)}
                  orgId={orgId}
                />
              )}
            </EditorSection>

            <TargetFilterCard
              group={draft.targetFilter}
              onChange={(g) => set('targetFilter', g)}
              orgId={orgId}
              readOnly={readOnly}
            />

            <EditorSection title={t('editor.rules')} hint={t('editor.rulesHint')}>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <AttemptRuleInputs
                  maxAttempts={draft.maxAttempts}
                  cooldownHours={draft.cooldownHours}
                  onMaxAttempts={(n) => set('maxAttempts', n)}
                  onCooldownHours={(n) => set('cooldownHours', n)}
                  testIdPrefix="campaign"
                />
              </SimpleGrid>
              <CallingHoursInput value={draft.callingHours} onChange={(v) => set('callingHours', v)} />
            </EditorSection>

            <VisibleFieldsSection value={draft.visibleFields} onChange={(v) => set('visibleFields', v)} />
          </Stack>
        </Fieldset>

        {!readOnly && (
          <SaveBar
            mutation={mutation}
            onSave={save}
            disabled={!valid}
            label={t('editor.save')}
            testId="campaign-save"
          />
        )}

        {campaign ? (
          <CallCentresCard campaign={campaign} />
        ) : (
          <Text size="sm" c="dimmed">
            {t('centres.afterSave')}
          </Text>
        )}
      </Stack>
    </>
  );
}
