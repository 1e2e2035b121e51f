import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconChartBar, IconLock } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import {
  CALL_ASSIGNMENT_STATUSES,
  CALL_VISIBLE_FIELDS,
  type CallingHours,
  DEFAULT_CALLING_HOURS,
  DEFAULT_VISIBLE_FIELDS,
} from '../../../../shared/calls.ts';
import type { FilterGroup } from '../../../../shared/queries.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { FullPageLoader } from '../../../components/FullPageLoader.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { CallingHoursInput } from '../../calls/components/CallingHoursInput.tsx';
import {
  type QuestionDraft,
  QuestionsEditor,
  questionDraftsOf,
  questionsBody,
  questionsValid,
} from '../../calls/components/QuestionsEditor.tsx';
import { STATUS_COLORS } from '../../calls/components/status.ts';
import { useFields } from '../../people/api.ts';
import { completeOnly } from '../../queries/filters/defaults.ts';
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
  const { currentOrg, can } = useCurrentOrg();
  const { t } = useTranslation('campaigns');
  if (!currentOrg) return <EmptyState title={t('common:noOrg.title')} text={t('common:noOrg.text')} />;
  if (!id && !can('calls:manage')) return <Forbidden />;
  if (id && existing.isPending) return <FullPageLoader />;
  if (id && existing.error) return <ErrorAlert error={existing.error} />;
  return (
    <Editor
      key={`${id ?? 'new'}-${existing.data?.updatedAt ?? ''}`}
      campaign={existing.data}
      orgId={existing.data?.orgId ?? currentOrg.id}
    />
  );
}

function Editor({ campaign, orgId }: { campaign: Campaign | undefined; orgId: string }) {
  const { t } = useTranslation('campaigns');
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Draft>(() => toDraft(campaign));
  const readOnly = Boolean(campaign && !campaign.canEdit);
  const fields = useFields(orgId, !readOnly);
  const create = useCreateCampaign();
  const update = useUpdateCampaign(campaign?.id ?? '');
  const mutation = campaign ? update : create;
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  const datesInOrder = !draft.startsOn || !draft.endsOn || draft.startsOn <= draft.endsOn;
  const valid =
    draft.title.trim() !== '' &&
    datesInOrder &&
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
    if (campaign) update.mutate(body, { onSuccess: () => notifySuccess(t('editor.saved')) });
    else
      create.mutate(
        { orgId, ...body },
        {
          onSuccess: (created) => {
            notifySuccess(t('editor.saved'));
            navigate(`/campaigns/${created.id}`, { replace: true });
          },
        },
      );
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
                  data-testid="campaign-title"
                />
                <Textarea
                  label={t('editor.descriptionLabel')}
                  autosize
                  minRows={2}
                  value={draft.description}
                  onChange={(e) => set('description', e.currentTarget.value)}
                  data-testid="campaign-description"
                />
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput
                    type="date"
                    label={t('editor.startsOn')}
                    value={draft.startsOn}
                    onChange={(e) => set('startsOn', e.currentTarget.value)}
                    data-testid="campaign-starts-on"
                  />
                  <TextInput
                    type="date"
                    label={t('editor.endsOn')}
                    value={draft.endsOn}
                    min={draft.startsOn || undefined}
                    onChange={(e) => set('endsOn', e.currentTarget.value)}
                    error={datesInOrder ? undefined : t('editor.endBeforeStart')}
                    data-testid="campaign-ends-on"
                  />
                </SimpleGrid>
                <Stack gap={6}>
                  <Text size="sm" fw={500} id="campaign-status-label">
                    {t('editor.status')}
                  </Text>
                  <SegmentedControl
                    aria-labelledby="campaign-status-label"
                    data={CALL_ASSIGNMENT_STATUSES.map((s) => ({ value: s, label: t(`calls:status.${s}`) }))}
                    value={draft.status}
                    onChange={(v) => set('status', v as CampaignStatus)}
                    disabled={readOnly}
                    data-testid="campaign-status"
                    fullWidth
                  />
                </Stack>
                <Switch
                  label={t('editor.allowOptIn')}
                  description={t('editor.allowOptInHint')}
                  checked={draft.allowOptIn}
                  onChange={(e) => set('allowOptIn', e.currentTarget.checked)}
                  data-testid="campaign-allow-opt-in"
                />
              </Stack>
            </Paper>

            <Paper withBorder radius="md" p="lg">
              <Stack>
                <Title order={2} fz="lg">
                  {t('editor.scriptSection')}
                </Title>
                <Textarea
                  label={t('editor.script')}
                  description={t('calls:editor.scriptHint', {
                    p1: '{{firstName}}',
                    p2: '{{callerName}}',
                    p3: '{{orgName}}',
                  })}
                  autosize
                  minRows={5}
                  value={draft.script}
                  onChange={(e) => set('script', e.currentTarget.value)}
                  data-testid="campaign-script"
                />
              </Stack>
            </Paper>

            <Paper withBorder radius="md" p="lg">
              <Stack>
                <Stack gap={2}>
                  <Title order={2} fz="lg">
                    {t('editor.questions')}
                  </Title>
                  <Text size="sm" c="dimmed">
                    {t('editor.questionsHint')}
                  </Text>
                </Stack>
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
              </Stack>
            </Paper>

            <TargetFilterCard
              group={draft.targetFilter}
              onChange={(g) => set('targetFilter', g)}
              orgId={orgId}
              readOnly={readOnly}
            />

            <Paper withBorder radius="md" p="lg">
              <Stack>
                <Stack gap={2}>
                  <Title order={2} fz="lg">
                    {t('editor.rules')}
                  </Title>
                  <Text size="sm" c="dimmed">
                    {t('editor.rulesHint')}
                  </Text>
                </Stack>
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <NumberInput
                    label={t('calls:editor.maxAttempts')}
                    min={1}
                    max={50}
                    value={draft.maxAttempts}
                    onChange={(v) => set('maxAttempts', Number(v) || 1)}
                    data-testid="campaign-max-attempts"
                  />
                  <NumberInput
                    label={t('calls:editor.cooldownHours')}
                    description={t('calls:editor.cooldownHint')}
                    min={0}
                    max={8760}
                    value={draft.cooldownHours}
                    onChange={(v) => set('cooldownHours', Number(v) || 0)}
                    data-testid="campaign-cooldown"
                  />
                </SimpleGrid>
                <CallingHoursInput value={draft.callingHours} onChange={(v) => set('callingHours', v)} />
              </Stack>
            </Paper>

            <Paper withBorder radius="md" p="lg">
              <Stack>
                <Title order={2} fz="lg">
                  {t('calls:editor.visibleFields')}
                </Title>
                <Text size="sm" c="dimmed">
                  {t('calls:editor.visibleFieldsHint')}
                </Text>
                <Checkbox.Group value={draft.visibleFields} onChange={(v) => set('visibleFields', v)}>
                  <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="xs">
                    {CALL_VISIBLE_FIELDS.map((f) => (
                      <Checkbox key={f} value={f} label={t(`calls:fields.${f}`)} />
                    ))}
                  </SimpleGrid>
                </Checkbox.Group>
              </Stack>
            </Paper>
          </Stack>
        </Fieldset>

        {!readOnly && (
          <>
            <ErrorAlert error={mutation.error} />
            <Group justify="flex-end">
              <Button
                size="md"
                onClick={save}
                loading={mutation.isPending}
                disabled={!valid}
                data-testid="campaign-save"
              >
                {t('editor.save')}
              </Button>
            </Group>
          </>
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
