import { Alert, Badge, Button, Group, Paper, Radio, Stack, Stepper, Text } from '@mantine/core';
import { IconInfoCircle, IconPlayerPlay, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IMPORT_MODES } from '../../../../shared/imports.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { useFields, useTags } from '../../people/api.ts';
import {
  type ImportAnalysis,
  type ImportCreated,
  type ImportMapping,
  type ImportMode,
  useDiscardImport,
  useImport,
  useImports,
  useSetMapping,
  useStartImport,
  useUploadImport,
} from '../api.ts';
import { ConsentCard, type ConsentSettings } from './ConsentCard.tsx';
import { MappingCard } from './MappingCard.tsx';
import { PreviewCard } from './PreviewCard.tsx';
import { ProgressCard } from './ProgressCard.tsx';
import { RecentImports } from './RecentImports.tsx';
import { UploadCard } from './UploadCard.tsx';

/** Upload → map and check → run with progress, plus the unit's recent imports. */
export function ImportPage() {
  const { t } = useTranslation('imports');
  const { currentOrg, can } = useCurrentOrg();
  const allowed = Boolean(currentOrg) && can('people:import');
  const [upload, setUpload] = useState<ImportCreated | null>(null);
  const [openedId, setOpenedId] = useState<string | null>(null);
  const uploadMutation = useUploadImport();
  const recent = useImports(currentOrg?.id, allowed);
  const discard = useDiscardImport();

  if (!currentOrg) return <EmptyState title={t('common:noOrg.title')} text={t('common:noOrg.text')} />;
  if (!allowed) return <Forbidden />;

  const reset = () => {
    setUpload(null);
    setOpenedId(null);
    uploadMutation.reset();
  };
  const step = openedId ? 2 : upload ? 1 : 0;

  return (
    <>
      <PageHeader title={t('title')} description={t('description', { org: currentOrg.name })} />
      <Stack gap="lg">
        <Stepper active={step} size="sm" allowNextStepsSelect={false}>
          <Stepper.Step label={t('steps.upload')} />
          <Stepper.Step label={t('steps.mapping')} />
          <Stepper.Step label={t('steps.run')} />
        </Stepper>
        {openedId ? (
          <RunView id={openedId} onNew={reset} />
        ) : upload ? (
          <MappingView
            key={upload.id}
            upload={upload}
            orgName={currentOrg.name}
            onStarted={(id) => setOpenedId(id)}
            onCancel={() => {
              // Choosing another file discards this upload instead of leaving it lying around.
              discard.mutate({ id: upload.id, orgId: currentOrg.id });
              reset();
            }}
          />
        ) : (
          <>
            <UploadCard
              busy={uploadMutation.isPending}
              onFile={(file) =>
                uploadMutation.mutate({ orgId: currentOrg.id, file }, { onSuccess: setUpload })
              }
            />
            <ErrorAlert error={uploadMutation.error} />
          </>
        )}
        <RecentImports items={recent.data?.items ?? []} onOpen={(id) => setOpenedId(id)} />
      </Stack>
    </>
  );
}

function RunView({ id, onNew }: { id: string; onNew: () => void }) {
  const query = useImport(id);
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!query.data) return null;
  return <ProgressCard view={query.data} onNew={onNew} />;
}

function MappingView({
  upload,
  orgName,
  onStarted,
  onCancel,
}: {
  upload: ImportCreated;
  orgName: string;
  onStarted: (id: string) => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation('imports');
  const { currentOrg } = useCurrentOrg();
  const fields = useFields(currentOrg?.id);
  const tags = useTags(currentOrg?.id);
  const [mapping, setMapping] = useState<ImportMapping>(upload.suggestedMapping);
  const [mode, setMode] = useState<ImportMode>(upload.mode);
  const [analysis, setAnalysis] = useState<ImportAnalysis>(upload);
  const [confirming, setConfirming] = useState(false);
  const [consent, setConsent] = useState<ConsentSettings>({ legalBasis: '', orgId: currentOrg?.id ?? '' });
  const [consentRequired, setConsentRequired] = useState(false);
  const check = useSetMapping(upload.id);
  const start = useStartImport(upload.id);
  const fieldList = fields.data?.items ?? [];
  const tagList = tags.data?.items ?? [];
  const dirty = mode !== analysis.mode || JSON.stringify(mapping) !== JSON.stringify(analysis.mapping);

  const targetLabel = (target: string) => {
    if (target.startsWith('field:')) return fieldList.find((f) => f.id === target.slice(6))?.label ?? target;
    if (target.startsWith('tag:')) return tagList.find((x) => x.id === target.slice(4))?.name ?? target;
    return t(`targets.${target}`);
  };
  const runCheck = () => check.mutate({ mapping, mode }, { onSuccess: setAnalysis });
  const consentMapped = (m: ImportMapping) => Object.values(m).includes('newsletterConsent');
  const runStart = () =>
    start.mutate(
      {
        ...(analysis.mode === 'sync' ? { confirmDepartures: analysis.departures ?? 0 } : {}),
        ...(consentMapped(analysis.mapping)
          ? { consentLegalBasis: consent.legalBasis, consentOrgId: consent.orgId || undefined }
          : {}),
      },
      { onSuccess: (view) => onStarted(view.id) },
    );
  const requestStart = () => {
    if (consentMapped(analysis.mapping) && !consent.legalBasis.trim()) return setConsentRequired(true);
    if (analysis.mode === 'sync' && (analysis.departures ?? 0) > 0) return setConfirming(true);
    runStart();
  };
  const delimiterName = upload.delimiter
    ? t(`delimiters.${upload.delimiter}`, { defaultValue: upload.delimiter })
    : '';

  return (
    <Stack gap="lg">
      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" gap="sm">
          <Stack gap={2}>
            <Text fw={700} data-testid="import-file-summary">
              {t('file.summary', {
                file: upload.fileName,
                count: analysis.total,
                formatted: new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'de-DE').format(
                  analysis.total,
                ),
                header: upload.headerRow,
              })}
            </Text>
            <Text size="sm" c="dimmed">
              {upload.format === 'xlsx'
                ? t('file.xlsx')
                : t('file.csv', { encoding: upload.encoding?.toUpperCase(), delimiter: delimiterName })}
            </Text>
          </Stack>
          <Button variant="default" onClick={onCancel}>
            {t('file.another')}
          </Button>
        </Group>
      </Paper>

      <MappingCard
        columns={upload.columns}
        samples={upload.samples}
        mapping={mapping}
        fields={fieldList}
        tags={tagList}
        onChange={setMapping}
      />

      <Paper withBorder p="lg" radius="md">
        <Radio.Group
          value={mode}
          onChange={(value) => setMode(value as ImportMode)}
          label={<Text fw={700}>{t('modes.label')}</Text>}
        >
          <Stack gap="sm" mt="sm">
            {IMPORT_MODES.map((m) => (
              <Radio.Card key={m} value={m} p="md" radius="md" data-testid={`import-mode-${m}`}>
                <Group wrap="nowrap" align="flex-start">
                  <Radio.Indicator />
                  <Stack gap={2}>
                    <Text fw={600}>{t(`modes.${m}`)}</Text>
                    <Text size="sm" c="dimmed">
                      {t(`modes.${m}Help`, { org: orgName })}
                    </Text>
                  </Stack>
                </Group>
              </Radio.Card>
            ))}
          </Stack>
        </Radio.Group>
        <Group mt="md">
          <Button
            variant={dirty ? 'filled' : 'light'}
            leftSection={<IconRefresh size={18} aria-hidden />}
            loading={check.isPending}
            onClick={runCheck}
            data-testid="import-check-button"
          >
            {t('mapping.check')}
          </Button>
        </Group>
        <ErrorAlert error={check.error} />
      </Paper>

      {dirty && (
        <Alert color="yellow" variant="light" icon={<IconInfoCircle size={20} />}>
          {t('mapping.changed')}
        </Alert>
      )}
      <PreviewCard analysis={analysis} mapping={analysis.mapping} targetLabel={targetLabel} />

      {currentOrg && (consentMapped(mapping) || consentMapped(analysis.mapping)) && (
        <ConsentCard
          importOrgId={currentOrg.id}
          value={consent}
          onChange={setConsent}
          showRequired={consentRequired}
        />
      )}

      <ErrorAlert error={start.error} />
      <Group justify="flex-end" gap="sm">
        {analysis.mode !== 'update' && <Badge variant="light">{t(`modes.${analysis.mode}`)}</Badge>}
        <Button
          size="md"
          leftSection={<IconPlayerPlay size={18} aria-hidden />}
          disabled={dirty || analysis.total === 0}
          loading={start.isPending && !confirming}
          onClick={requestStart}
          data-testid="import-start"
        >
          {t('start.button')}
        </Button>
      </Group>

      <ConfirmModal
        opened={confirming}
        title={t('start.syncTitle')}
        confirmLabel={t('start.syncConfirm', { count: analysis.departures ?? 0 })}
        color="orange"
        loading={start.isPending}
        error={start.error}
        onClose={() => setConfirming(false)}
        onConfirm={runStart}
      >
        {t('start.syncText', { count: analysis.departures ?? 0, org: orgName })}
      </ConfirmModal>
    </Stack>
  );
}
