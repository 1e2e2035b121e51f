import {
  Accordion,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CAMPAIGN_SPLITS } from '../../../../shared/campaigns.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { useAssignment } from '../../calls/api.ts';
import {
  type QuestionDraft,
  QuestionsEditor,
  QuestionsList,
  questionDraftsOf,
  questionsBody,
  questionsValid,
} from '../../calls/components/QuestionsEditor.tsx';
import { buildOrgTree, flattenOrgTree, subtreeIds } from '../../orgs/orgTree.ts';
import { useFields } from '../../people/api.ts';
import { type CallCentre, type Campaign, useAddCallCentre, useUpdateCallCentre } from '../api.ts';

type Split = (typeof CAMPAIGN_SPLITS)[number];

/** The call centres of a campaign: who calls where, their assignments and regional questions. */
export function CallCentresCard({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation('campaigns');
  const { can } = useCurrentOrg();
  const [adding, { open, close }] = useDisclosure(false);
  const mayEdit = (c: CallCentre) => campaign.canEdit || can('calls:manage', c.orgId);
  const editable = campaign.callCentres.filter(mayEdit);
  const joinable = useJoinableUnits(campaign);
  const mayAdd =
    campaign.status !== 'closed' && (campaign.canEdit || campaign.allowOptIn) && joinable.length > 0;

  return (
    <Paper withBorder radius="md" p="lg" data-testid="call-centres">
      <Stack>
        <Group justify="space-between">
          <Stack gap={2}>
            <Title order={2} fz="lg">
              {t('centres.title')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('centres.hint')}
            </Text>
          </Stack>
          {mayAdd && (
            <Button
              variant="light"
              leftSection={<IconPlus size={18} aria-hidden />}
              onClick={open}
              data-testid="call-centre-add"
            >
              {t('centres.add')}
            </Button>
          )}
        </Group>
        {campaign.callCentres.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('centres.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={600}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('centres.colUnit')}</Table.Th>
                  <Table.Th>{t('centres.colSplit')}</Table.Th>
                  <Table.Th>{t('centres.colAssignments')}</Table.Th>
                  <Table.Th ta="right">{t('centres.colQuestions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {campaign.callCentres.map((c) => (
                  <Table.Tr key={c.id} data-testid="call-centre-row">
                    <Table.Td fw={600}>{c.orgName}</Table.Td>
                    <Table.Td>{t(`splits.${c.splitBy}`)}</Table.Td>
                    <Table.Td>
                      <Stack gap={2}>
                        {c.assignmentIds.map((id, i) => (
                          <AssignmentLink key={id} id={id} index={i + 1} />
                        ))}
                      </Stack>
                    </Table.Td>
                    <Table.Td ta="right">{c.questions.length}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {editable.length > 0 && (
          <Accordion
            variant="separated"
            multiple={false}
            defaultValue={editable.length === 1 ? editable[0]?.id : null}
          >
            {editable.map((c) => (
              <Accordion.Item key={c.id} value={c.id}>
                <Accordion.Control data-testid={`call-centre-edit-${c.orgId}`}>
                  <Group gap="xs">
                    <Text fw={600}>{t('centres.regionalTitle', { org: c.orgName })}</Text>
                    <Badge variant="light" color="gray">
                      {t('centres.regionalCount', { count: c.questions.length })}
                    </Badge>
                  </Group>
                </Accordion.Control>
                <Accordion.Panel>
                  <RegionalEditor key={c.id + c.questions.length} campaign={campaign} centre={c} />
                </Accordion.Panel>
              </Accordion.Item>
            ))}
          </Accordion>
        )}
      </Stack>
      <AddCallCentreModal campaign={campaign} opened={adding} onClose={close} />
    </Paper>
  );
}

function AssignmentLink({ id, index }: { id: string; index: number }) {
  const { t } = useTranslation('campaigns');
  const assignment = useAssignment(id);
  return (
    <Anchor component={Link} to={`/call-assignments/${id}`} size="sm" data-testid="call-centre-assignment">
      {assignment.data?.title ?? t('centres.assignmentN', { n: index })}
    </Anchor>
  );
}

/** A region's own questions (after the national ones) and its addendum to the script. */
function RegionalEditor({ campaign, centre }: { campaign: Campaign; centre: CallCentre }) {
  const { t } = useTranslation('campaigns');
  const [questions, setQuestions] = useState<QuestionDraft[]>(() => questionDraftsOf(centre.questions));
  const [addendum, setAddendum] = useState(centre.scriptAddendum);
  const fields = useFields(centre.orgId);
  const update = useUpdateCallCentre(campaign.id, centre.id);
  const valid = questionsValid(questions, fields.data?.items ?? [], (k) => t(`calls:${k}`));
  const save = () =>
    update.mutate(
      { questions: questionsBody(questions), scriptAddendum: addendum },
      { onSuccess: () => notifySuccess(t('centres.saved')) },
    );
  return (
    <Stack data-testid="regional-editor">
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          {t('centres.nationalQuestions')}
        </Text>
        {campaign.questions.length ? (
          <QuestionsList questions={campaign.questions} />
        ) : (
          <Text size="sm" c="dimmed">
            {t('centres.noNationalQuestions')}
          </Text>
        )}
      </Stack>
      <Stack gap="sm">
        <Text size="sm" fw={600}>
          {t('centres.regionalQuestions')}
        </Text>
        <QuestionsEditor
          questions={questions}
          onChange={setQuestions}
          orgId={centre.orgId}
          emptyText={t('centres.noRegionalQuestions')}
          addLabel={t('centres.addRegionalQuestion')}
          testIdPrefix="regional-question"
        />
      </Stack>
      <Textarea
        label={t('centres.scriptAddendum')}
        description={t('centres.scriptAddendumHint')}
        autosize
        minRows={2}
        value={addendum}
        onChange={(e) => setAddendum(e.currentTarget.value)}
        data-testid="call-centre-addendum"
      />
      <ErrorAlert error={update.error} />
      <Group justify="flex-end">
        <Button onClick={save} loading={update.isPending} disabled={!valid} data-testid="call-centre-save">
          {t('centres.save')}
        </Button>
      </Group>
    </Stack>
  );
}

function AddCallCentreModal({
  campaign,
  opened,
  onClose,
}: {
  campaign: Campaign;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('campaigns');
  const [orgId, setOrgId] = useState<string | null>(null);
  const [splitBy, setSplitBy] = useState<Split>('none');
  const add = useAddCallCentre(campaign.id);

  const rows = useJoinableUnits(campaign);
  const depthOf = new Map(rows.map((r) => [r.org.id, r.depth]));

  const submit = () => {
    if (!orgId) return;
    add.mutate(
      { orgId, splitBy },
      {
        onSuccess: (created) => {
          notifySuccess(t('centres.added', { count: created.assignmentIds.length }));
          setOrgId(null);
          setSplitBy('none');
          onClose();
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('centres.addTitle')} size="lg">
      <Stack>
        <Select
          label={t('centres.unit')}
          description={t('centres.unitHint', { org: campaign.orgName })}
          data={rows.map(({ org }) => ({ value: org.id, label: org.name }))}
          value={orgId}
          onChange={setOrgId}
          searchable
          required
          nothingFoundMessage={t('centres.noUnits')}
          renderOption={({ option }) => (
            <Group gap={8} wrap="nowrap" pl={(depthOf.get(option.value) ?? 0) * 14}>
              <Text size="sm">{option.label}</Text>
            </Group>
          )}
          comboboxProps={{ withinPortal: true }}
          data-testid="call-centre-unit"
        />
        <Stack gap={6}>
          <Text size="sm" fw={500} id="call-centre-split-label">
            {t('centres.split')}
          </Text>
          <SegmentedControl
            aria-labelledby="call-centre-split-label"
            data={CAMPAIGN_SPLITS.map((s) => ({ value: s, label: t(`splits.${s}`) }))}
            value={splitBy}
            onChange={(v) => setSplitBy(v as Split)}
            data-testid="call-centre-split"
            fullWidth
          />
          <Text size="xs" c="dimmed">
            {t(`splitHints.${splitBy}`)}
          </Text>
        </Stack>
        <ErrorAlert error={add.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button onClick={submit} disabled={!orgId} loading={add.isPending} data-testid="call-centre-submit">
            {t('centres.addSubmit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Units at or below the campaign's unit that no call centre covers yet (and that overlap none). */
function useJoinableUnits(campaign: Campaign) {
  const { orgs, can } = useCurrentOrg();
  return useMemo(() => {
    const below = subtreeIds(orgs, campaign.orgId);
    const taken = new Set<string>();
    for (const c of campaign.callCentres) {
      for (const id of subtreeIds(orgs, c.orgId)) taken.add(id);
      for (const o of orgs) if (subtreeIds(orgs, o.id).has(c.orgId)) taken.add(o.id);
    }
    return flattenOrgTree(buildOrgTree(orgs.filter((o) => below.has(o.id)))).filter(
      ({ org }) => !taken.has(org.id) && !org.archived && (campaign.canEdit || can('calls:manage', org.id)),
    );
  }, [orgs, campaign, can]);
}
