import {
  Alert,
  Anchor,
  Button,
  Grid,
  Group,
  Input,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { useSavedQueries } from '../../queries/api.ts';
import {
  type Mailing,
  type MailingUpdateInput,
  useCreateMailing,
  useMailSettings,
  usePreview,
  useUpdateMailing,
} from '../api.ts';
import { MailEditor, type MailEditorHandle } from './MailEditor.tsx';
import { MailingErrorAlert } from './MailingErrorAlert.tsx';
import { MailingHeader, SaveFirstCard } from './MailingHeader.tsx';
import { PreviewPanel } from './PreviewPanel.tsx';
import { ReachPanel } from './ReachPanel.tsx';
import { SendPanel } from './SendPanel.tsx';
import { formatTime } from './status.ts';
import { TemplatesMenu } from './TemplatesMenu.tsx';
import { UnsavedGuard } from './UnsavedGuard.tsx';

type Purpose = Mailing['purpose'];
interface Draft {
  subject: string;
  purpose: Purpose;
  queryId: string | null;
  html: string;
}

const draftOf = (m: Mailing | undefined, initialQueryId?: string | null): Draft => ({
  subject: m?.subject ?? '',
  purpose: m?.purpose ?? 'member_info',
  queryId: m?.queryId ?? initialQueryId ?? null,
  html: m?.html ?? '',
});
const bodyOf = (d: Draft) => ({
  subject: d.subject.trim(),
  purpose: d.purpose,
  queryId: d.queryId,
  html: d.html,
});
const AUTOSAVE_MS = 1500;

/** Writes a mailing: subject, purpose, list, body; saves drafts by itself once they exist. */
export function MailingComposer({
  mailing,
  orgId,
  canSeePeople,
  initialQueryId,
}: {
  mailing: Mailing | undefined;
  orgId: string;
  canSeePeople: boolean;
  /** A new mailing started from a saved list's page. */
  initialQueryId?: string | null;
}) {
  const { t, i18n } = useTranslation('mail');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const lists = useSavedQueries(orgId);
  const create = useCreateMailing();
  const update = useUpdateMailing(mailing?.id ?? '');
  const mutation = mailing ? update : create;
  const sender = usePreview(mailing?.id, null);
  const settings = useMailSettings(orgId);
  const { can } = useCurrentOrg();
  const editorRef = useRef<MailEditorHandle>(null);
  const bodyLabelId = useId();
  const leaving = useRef(false);

  const [draft, setDraft] = useState<Draft>(() => draftOf(mailing, initialQueryId));
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const [saved, setSaved] = useState(() => (mailing ? JSON.stringify(bodyOf(draftOf(mailing))) : ''));
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const snapshot = JSON.stringify(bodyOf(draft));
  const dirty = snapshot !== saved && (Boolean(mailing) || draft.subject !== '' || draft.html !== '');
  const valid = draft.subject.trim() !== '' && !/[\r\n]/.test(draft.subject) && Boolean(draft.queryId);
  const scheduled = mailing?.status === 'scheduled';
  // As the server found them in the last saved version (the draft may hold them while being written).
  const unknown = dirty ? [] : (mailing?.unknownPlaceholders ?? []);

  const save = useCallback(async (): Promise<boolean> => {
    if (!valid || !draft.queryId) return false;
    const body = { ...bodyOf(draft), queryId: draft.queryId };
    const snap = JSON.stringify(body);
    try {
      if (!mailing) {
        const created = await create.mutateAsync({ orgId, ...body });
        queryClient.setQueryData(['mailings', 'one', created.id], created);
        leaving.current = true;
        notifySuccess(t('composer.created'));
        navigate(`/mailings/${created.id}`, { replace: true });
      } else if (snap !== saved) {
        await update.mutateAsync(body satisfies MailingUpdateInput);
        setSaved(snap);
        setSavedAt(new Date().toISOString());
      }
      return true;
    } catch {
      return false;
    }
  }, [valid, draft, mailing, create, update, orgId, queryClient, navigate, saved, t]);

  // A draft that exists saves itself a moment after the last change (a scheduled one only by hand:
  // saving it takes it back to draft).
  useEffect(() => {
    if (!mailing || scheduled || !dirty || !valid || update.isPending || update.isError) return;
    const timer = setTimeout(() => void save(), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [mailing, scheduled, dirty, valid, update.isPending, update.isError, save]);
  // A failed autosave retries on the next change.
  const resetUpdate = update.reset;
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each change of the draft
  useEffect(() => {
    if (update.isError) resetUpdate();
  }, [snapshot]);

  const saveState = mutation.isPending
    ? t('composer.saving')
    : dirty
      ? t('composer.unsaved')
      : savedAt
        ? t('composer.savedAt', { time: formatTime(savedAt, i18n.language) })
        : mailing
          ? t('composer.allSaved')
          : '';

  const notices = (
    <>
      {settings.data && !settings.data.configured && (
        <Alert color="orange" variant="light" data-testid="mail-settings-missing">
          {t('composer.settingsMissing')}{' '}
          {can('mail:configure', orgId) ? (
            <Anchor component={Link} to={`/mailings/settings?org=${orgId}`} inherit underline="always">
              {t('errors.toSettings')}
            </Anchor>
          ) : (
            t('composer.askAdmin')
          )}
        </Alert>
      )}
      {unknown.length > 0 && (
        <Alert color="orange" variant="light" data-testid="unknown-placeholders">
          {t('composer.unknownPlaceholders', {
            count: unknown.length,
            names: unknown.map((u) => `{{${u}}}`).join(', '),
          })}
        </Alert>
      )}
      {scheduled && (
        <Alert color="violet" variant="light">
          {t('composer.scheduledEditHint')}
        </Alert>
      )}
    </>
  );

  const composer = (
    <Paper withBorder radius="md" p={{ base: 'sm', sm: 'lg' }}>
      <Stack>
        <TextInput
          label={t('composer.subject')}
          required
          value={draft.subject}
          onChange={(e) => set('subject', e.currentTarget.value.replace(/[\r\n]+/g, ' '))}
          maxLength={300}
          data-testid="mailing-subject"
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {draft.purpose === 'consent_request' ? (
            <TextInput label={t('composer.purpose')} value={t('purposes.consent_request')} readOnly />
          ) : (
            <Stack gap={4}>
              <Input.Label component="div" id={`${bodyLabelId}-purpose`}>
                {t('composer.purpose')}
              </Input.Label>
              <SegmentedControl
                aria-labelledby={`${bodyLabelId}-purpose`}
                fullWidth
                value={draft.purpose}
                onChange={(v) => set('purpose', v as Purpose)}
                data={[
                  { value: 'member_info', label: t('purposes.member_info') },
                  { value: 'newsletter', label: t('purposes.newsletter') },
                ]}
                data-testid="mailing-purpose"
              />
              <Text size="xs" c="dimmed">
                {t(`composer.purposeHints.${draft.purpose}`)}
              </Text>
            </Stack>
          )}
          <Select
            label={t('composer.list')}
            description={t('composer.listHint')}
            required
            searchable
            data={(lists.data?.items ?? []).map((q) => ({ value: q.id, label: q.name }))}
            value={draft.queryId}
            onChange={(v) => set('queryId', v)}
            nothingFoundMessage={t('composer.noLists')}
            data-testid="mailing-list"
          />
        </SimpleGrid>
        {settings.data?.configured && (
          <Text size="sm" data-testid="mailing-sender">
            <Text span c="dimmed">
              {t('composer.sender')}:{' '}
            </Text>
            {sender.data?.from ?? settings.data.senderName}
          </Text>
        )}
        <Stack gap={6}>
          <Group justify="space-between" align="flex-end">
            <Input.Label component="div" id={bodyLabelId}>
              {t('composer.body')}
            </Input.Label>
            <TemplatesMenu
              orgId={orgId}
              subject={draft.subject}
              html={draft.html}
              onLoad={(tpl) => {
                editorRef.current?.setHtml(tpl.html);
                setDraft((d) => ({ ...d, html: tpl.html, subject: d.subject || tpl.subject }));
              }}
            />
          </Group>
          <MailEditor
            ref={editorRef}
            initialHtml={draft.html}
            onChange={(html) => set('html', html)}
            labelId={bodyLabelId}
            orgId={orgId}
          />
        </Stack>
        <MailingErrorAlert error={mutation.error} orgId={orgId} />
        <Group justify="space-between">
          <Text size="sm" c="dimmed" aria-live="polite" data-testid="mailing-save-state">
            {saveState}
          </Text>
          <Button
            onClick={() => void save()}
            loading={mutation.isPending}
            disabled={!valid || (Boolean(mailing) && !dirty)}
            data-testid="mailing-save"
          >
            {mailing ? t('composer.save') : t('composer.create')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );

  return (
    <>
      <MailingHeader mailing={mailing} title={draft.subject.trim() || undefined} />
      <UnsavedGuard dirty={dirty} skip={leaving} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="sm">
            {notices}
            {mailing ? (
              <Tabs defaultValue="write" keepMounted variant="outline">
                <Tabs.List mb="sm">
                  <Tabs.Tab value="write" data-testid="tab-write">
                    {t('composer.tabWrite')}
                  </Tabs.Tab>
                  <Tabs.Tab value="preview" data-testid="tab-preview" onClick={() => dirty && void save()}>
                    {t('composer.tabPreview')}
                  </Tabs.Tab>
                </Tabs.List>
                <Tabs.Panel value="write">{composer}</Tabs.Panel>
                <Tabs.Panel value="preview">
                  <PreviewPanel mailingId={mailing.id} orgId={orgId} canSeePeople={canSeePeople} allowTest />
                </Tabs.Panel>
              </Tabs>
            ) : (
              composer
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="lg">
            {mailing ? (
              <>
                <ReachPanel
                  mailingId={mailing.id}
                  queryId={draft.queryId}
                  canSeePeople={canSeePeople}
                  stale={dirty}
                />
                <SendPanel
                  mailing={mailing}
                  beforeSend={save}
                  blocked={draft.html ? null : t('send.noBody')}
                  unreachable={t('common:errors.reasons.no_recipients')}
                />
              </>
            ) : (
              <SaveFirstCard />
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
