import {
  Badge,
  Button,
  Collapse,
  Group,
  Modal,
  Paper,
  Select,
  Skeleton,
  Stack,
  Text,
  Textarea,
  Timeline,
} from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconMailCheck } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MANUAL_CONSENT_SOURCES } from '../../../../shared/consents.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { formatDate, formatDateTime } from '../../../lib/format.ts';
import type { Person } from '../api.ts';
import {
  type Consent,
  type ConsentRequestAnswer,
  useConsents,
  useRequestConsent,
  useRevokeConsent,
} from '../consents-api.ts';
import { FormError } from './FormError.tsx';
import { SectionCard } from './SectionCard.tsx';

const STATUS_COLOR = { granted: 'teal', pending: 'yellow', revoked: 'gray' } as const;
type ManualSource = (typeof MANUAL_CONSENT_SOURCES)[number];

/**
 * The profile's "Einwilligungen" card: each consent with its status, unit, source, since when and
 * under which text, its ledger on demand, and "request newsletter consent" (double opt-in).
 */
export function ConsentsCard({ person, mayWrite }: { person: Person; mayWrite: boolean }) {
  const { t } = useTranslation('people');
  const consents = useConsents(person.id);
  const [asking, setAsking] = useState(false);
  const items = consents.data?.items ?? [];

  return (
    <SectionCard title={t('consents.title')} testId="person-consents">
      <ErrorAlert error={consents.error} />
      {consents.isPending ? (
        <Skeleton h={60} />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('consents.none')}
        </Text>
      ) : (
        <Stack gap="sm">
          {items.map((c) => (
            <ConsentItem key={c.id} personId={person.id} consent={c} mayWrite={mayWrite} />
          ))}
        </Stack>
      )}
      {mayWrite && (
        <Button
          variant="light"
          size="xs"
          mt="sm"
          leftSection={<IconMailCheck size={14} aria-hidden />}
          onClick={() => setAsking(true)}
          data-testid="consent-request-open"
        >
          {t('consents.request')}
        </Button>
      )}
      <RequestConsentModal person={person} opened={asking} onClose={() => setAsking(false)} />
    </SectionCard>
  );
}

function sourceLabel(t: (key: string, o?: Record<string, unknown>) => string, source: string) {
  return t(`consents.sources.${source}`, { defaultValue: source });
}

function ConsentItem({
  personId,
  consent,
  mayWrite,
}: {
  personId: string;
  consent: Consent;
  mayWrite: boolean;
}) {
  const { t, i18n } = useTranslation('people');
  const [open, setOpen] = useState(false);
  const [revoking, setRevoking] = useState(false);
  const revoke = useRevokeConsent(personId);
  const unit = consent.orgName ?? t('consents.unknownUnit');
  return (
    <Paper withBorder radius="sm" p="sm" data-testid="consent-item" data-status={consent.status}>
      <Group justify="space-between" align="flex-start" gap="xs">
        <Stack gap={2} style={{ flex: '1 1 200px', minWidth: 0 }}>
          <Group gap="xs">
            <Text size="sm" fw={600}>
              {t(`consents.purposes.${consent.purpose}`, { defaultValue: consent.purpose })} · {unit}
            </Text>
            <Badge
              size="sm"
              variant="light"
              color={STATUS_COLOR[consent.status]}
              data-testid="consent-status"
            >
              {t(`consents.statuses.${consent.status}`)}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed">
            {[
              t('consents.from', { source: sourceLabel(t, consent.source) }),
              t('consents.since', { date: formatDate(consent.since, i18n.language) }),
              consent.textVersion ? t('consents.text', { version: consent.textVersion }) : null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </Text>
        </Stack>
        {mayWrite && consent.status !== 'revoked' && (
          <Button
            variant="subtle"
            color="red"
            size="xs"
            onClick={() => {
              revoke.reset();
              setRevoking(true);
            }}
            data-testid="consent-revoke"
          >
            {t('consents.revoke')}
          </Button>
        )}
      </Group>
      <Button
        variant="subtle"
        size="compact-xs"
        mt={4}
        px={0}
        rightSection={
          open ? <IconChevronUp size={14} aria-hidden /> : <IconChevronDown size={14} aria-hidden />
        }
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        data-testid="consent-history-toggle"
      >
        {t(open ? 'consents.history.hide' : 'consents.history.show', { count: consent.history.length })}
      </Button>
      <Collapse expanded={open}>
        <Timeline bulletSize={12} lineWidth={2} mt="xs" data-testid="consent-history">
          {consent.history.map((e) => (
            <Timeline.Item key={e.id} color={STATUS_COLOR[e.status]}>
              <Text size="xs" fw={600}>
                {t(`consents.statuses.${e.status}`)} –{' '}
                {t(`consents.ledgerSources.${e.source}`, {
                  defaultValue: sourceLabel(t, e.source),
                })}
              </Text>
              <Text size="xs" c="dimmed">
                {[formatDateTime(e.at, i18n.language), e.actorName ?? t('timeline.system')].join(' · ')}
              </Text>
              <ProofLines event={e} />
            </Timeline.Item>
          ))}
        </Timeline>
      </Collapse>
      <ConfirmModal
        opened={revoking}
        title={t('consents.revokeTitle')}
        confirmLabel={t('consents.revoke')}
        loading={revoke.isPending}
        error={revoke.error}
        onClose={() => setRevoking(false)}
        onConfirm={() =>
          revoke.mutate(
            { consentId: consent.id },
            {
              onSuccess: () => {
                setRevoking(false);
                notifySuccess(t('consents.revoked'));
              },
            },
          )
        }
      >
        {t('consents.revokeText', { unit })}
      </ConfirmModal>
    </Paper>
  );
}

/** The facts of a ledger row worth reading: text, note, confirmation time, hashed IP. */
function ProofLines({ event }: { event: Consent['history'][number] }) {
  const { t, i18n } = useTranslation('people');
  const p = event.proof;
  const lines = [
    event.textVersion &&
      t('consents.proof.text', { version: event.textVersion, hash: event.textHash?.slice(0, 12) ?? '—' }),
    typeof p.note === 'string' && t('consents.proof.note', { note: p.note }),
    typeof p.confirmedAt === 'string' &&
      t('consents.proof.confirmedAt', { at: formatDateTime(p.confirmedAt, i18n.language) }),
    typeof p.ipHash === 'string' && t('consents.proof.ipHash', { hash: p.ipHash.slice(0, 12) }),
  ].filter((l): l is string => Boolean(l));
  return (
    <>
      {lines.map((line) => (
        <Text key={line} size="xs" c="dark.4" style={{ overflowWrap: 'anywhere' }}>
          {line}
        </Text>
      ))}
    </>
  );
}

function RequestConsentModal({
  person,
  opened,
  onClose,
}: {
  person: Person;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('people');
  const { orgs, orgsById, can } = useCurrentOrg();
  const request = useRequestConsent(person.id);
  const [orgId, setOrgId] = useState<string | null>(person.orgId);
  const [source, setSource] = useState<ManualSource>('manual');
  const [note, setNote] = useState('');
  const [locale, setLocale] = useState<'de' | 'en'>('de');
  const email = person.emails.find((e) => e.status === 'valid')?.email ?? null;

  // The units a consent may be given to: the person's unit, those above and below it, where the
  // user may write.
  const units = useMemo(() => {
    const chain = (id: string) => {
      const ids: string[] = [];
      for (let o = orgsById.get(id); o; o = o.parentId ? orgsById.get(o.parentId) : undefined) ids.push(o.id);
      return ids;
    };
    const above = new Set(chain(person.orgId));
    return orgs
      .filter((o) => (above.has(o.id) || chain(o.id).includes(person.orgId)) && can('people:write', o.id))
      .map((o) => ({ value: o.id, label: o.name }));
  }, [orgs, orgsById, can, person.orgId]);

  const answerText = (a: ConsentRequestAnswer) =>
    a.outcome === 'requested' && !a.mailed
      ? t('consents.result.requestedNoMail')
      : t(`consents.result.${a.outcome}`);

  return (
    <Modal opened={opened} onClose={onClose} title={t('consents.modal.title')} centered>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!orgId) return;
          request.mutate(
            { purpose: 'newsletter', orgId, source, locale, ...(note.trim() ? { note: note.trim() } : {}) },
            {
              onSuccess: (answer) => {
                notifySuccess(answerText(answer));
                setNote('');
                onClose();
              },
            },
          );
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{email ? t('consents.modal.text', { email }) : t('consents.modal.noEmail')}</Text>
          <Select
            label={t('consents.modal.unit')}
            data={units}
            value={orgId}
            onChange={setOrgId}
            allowDeselect={false}
            searchable
            data-testid="consent-request-unit"
          />
          <Select
            label={t('consents.modal.source')}
            data={MANUAL_CONSENT_SOURCES.map((s) => ({ value: s, label: sourceLabel(t, s) }))}
            value={source}
            onChange={(v) => setSource((v ?? 'manual') as ManualSource)}
            allowDeselect={false}
            data-testid="consent-request-source"
          />
          <Select
            label={t('consents.modal.locale')}
            data={(['de', 'en'] as const).map((l) => ({ value: l, label: t(`consents.modal.locales.${l}`) }))}
            value={locale}
            onChange={(v) => setLocale(v === 'en' ? 'en' : 'de')}
            allowDeselect={false}
            data-testid="consent-request-locale"
          />
          <Textarea
            label={t('consents.modal.note')}
            autosize
            minRows={2}
            maxLength={1000}
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
          />
          <FormError error={request.error} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button
              type="submit"
              loading={request.isPending}
              disabled={!orgId}
              data-testid="consent-request-submit"
            >
              {t('consents.modal.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
