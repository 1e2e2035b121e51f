import { Anchor, Badge, Box, Button, Group, Kbd, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  IconArrowLeft,
  IconCloudUpload,
  IconCoffee,
  IconPhoneCall,
  IconPhoneIncoming,
  IconPlayerPause,
  IconPlayerSkipForward,
} from '@tabler/icons-react';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { FullPageLoader } from '../../../components/FullPageLoader.tsx';
import { notifyError } from '../../../components/notify.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { isApiError } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import {
  type MyAssignment,
  type NextCall,
  type OpenCall,
  type OutcomeInput,
  useClaimPerson,
  useHeartbeat,
  useMyAssignment,
  useMyAssignments,
  useMyCallStats,
  useNextCall,
  useRecordOutcome,
  useSkipCall,
} from '../api.ts';
import { BreakSummary } from './BreakSummary.tsx';
import { CallPersonCard, personName } from './CallPersonCard.tsx';
import { futureIso } from './call-back-times.ts';
import { LogCallModal } from './LogCallModal.tsx';
import {
  type CallForm,
  EMPTY_FORM,
  missingHint,
  OUTCOMES,
  OutcomePanel,
  shortcutOf,
} from './OutcomePanel.tsx';
import { useOutcomeOutbox } from './outcome-outbox.ts';
import { QuestionInput } from './QuestionInput.tsx';
import { STATUS_COLORS } from './status.ts';

const HEARTBEAT_MS = 2 * 60 * 1000;

/** "Anrufen": the caller's assignments, or the calling session of one. */
export function CallerPage() {
  const { assignmentId } = useParams();
  const { can } = useCurrentOrg();
  const { t } = useTranslation('calls');
  const mine = useMyAssignments(can('calls:make'));
  const listed = assignmentId ? mine.data?.items.find((a) => a.id === assignmentId) : undefined;
  // A session once open stays open when the list refreshes without it (paused meanwhile): the
  // form in progress is kept, and "next" then says the assignment is paused.
  const shown = useRef<MyAssignment | undefined>(undefined);
  const kept = assignmentId && shown.current?.id === assignmentId ? shown.current : undefined;
  // Not among the open ones: ask for it alone, so a paused assignment says so instead of vanishing.
  const single = useMyAssignment(assignmentId, can('calls:make') && !!mine.data && !listed && !kept);
  if (!can('calls:make')) return <Forbidden />;
  const current = listed ?? kept ?? (single.data?.status === 'open' ? single.data : undefined);
  shown.current = current;
  if (!current) {
    if (mine.isPending || single.isLoading) return <FullPageLoader />;
    if (mine.error) return <ErrorAlert error={mine.error} />;
  }
  if (assignmentId && !current) {
    if (single.data) return <AssignmentNotOpen assignment={single.data} />;
    if (single.error && !isApiError(single.error, 'not_found')) return <ErrorAlert error={single.error} />;
    return <EmptyState title={t('caller.notFound')} text={t('caller.notFoundText')} />;
  }
  if (current)
    return (
      <CallSession
        key={current.id}
        assignmentId={current.id}
        title={current.title}
        description={current.description}
      />
    );

  const items = mine.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('caller.title')} description={t('caller.description')} />
      {items.length === 0 ? (
        <EmptyState
          icon={<IconPhoneCall size={24} aria-hidden />}
          title={t('caller.noAssignments')}
          text={t('caller.noAssignmentsText')}
        />
      ) : (
        <Stack gap="sm">
          {items.map((a) => (
            <Paper
              key={a.id}
              withBorder
              radius="md"
              p="lg"
              component={Link}
              to={`/calls/${a.id}`}
              style={{ textDecoration: 'none', color: 'inherit' }}
              data-testid="my-assignment"
            >
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Stack gap={2} miw={0} style={{ flex: 1 }}>
                  <Text fw={700} fz="lg" style={{ overflowWrap: 'anywhere' }}>
                    {a.title}
                  </Text>
                  <Text size="sm" c="dimmed">
                    {a.orgName}
                  </Text>
                </Stack>
                <Badge variant="light" color={STATUS_COLORS[a.status]} style={{ flex: 'none' }}>
                  {t(`status.${a.status}`)}
                </Badge>
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
    </>
  );
}

/** A paused, not yet started or ended assignment the user is a caller of: what it is and who to ask. */
function AssignmentNotOpen({ assignment }: { assignment: MyAssignment }) {
  const { t } = useTranslation('calls');
  const status = assignment.status === 'open' ? 'paused' : assignment.status;
  return (
    <Box maw={1100} mx="auto" data-testid="assignment-not-open" data-status={assignment.status}>
      <BackLink />
      <Title order={1} fz={{ base: 20, sm: 26 }} mb="md" style={{ overflowWrap: 'anywhere' }}>
        {assignment.title}
      </Title>
      <EmptyState
        icon={status === 'paused' ? <IconPlayerPause size={24} aria-hidden /> : undefined}
        title={t(`caller.notOpen.${status}.title`)}
        text={t(`caller.notOpen.${status}.text`, { org: assignment.orgName })}
      />
    </Box>
  );
}

function BackLink() {
  const { t } = useTranslation('calls');
  return (
    <Anchor component={Link} to="/calls" size="sm">
      <Group gap={4} wrap="nowrap">
        <IconArrowLeft size={16} aria-hidden />
        {t('caller.back')}
      </Group>
    </Anchor>
  );
}

type Empty = Omit<NextCall, 'call'>;

/** The calling session of one assignment: next person, outcome, save & next; log a call; a break. */
function CallSession({
  assignmentId,
  title,
  description,
}: {
  assignmentId: string;
  title: string;
  description: string | null;
}) {
  const { t, i18n } = useTranslation('calls');
  const { me } = useCurrentOrg();
  const next = useNextCall(assignmentId);
  const heartbeat = useHeartbeat(assignmentId);
  const record = useRecordOutcome();
  const skip = useSkipCall();
  const claim = useClaimPerson(assignmentId);
  const today = useMyCallStats(assignmentId);
  const [call, setCall] = useState<OpenCall | null>(null);
  const [empty, setEmpty] = useState<Empty | null>(null);
  const [form, setForm] = useState<CallForm>(EMPTY_FORM);
  const [busy, setBusy] = useState(false);
  const [logOpen, setLogOpen] = useState(false);
  const [onBreak, setOnBreak] = useState(false);
  const [sessionStart, setSessionStart] = useState(() => new Date().toISOString());
  /** One id per outcome submission, kept across retries so nothing is recorded twice. */
  const clientId = useRef<string | null>(null);
  const nameRef = useRef<HTMLHeadingElement>(null);

  // A new person: back to the top, focus on their name (screen readers announce it).
  const callId = call?.id;
  useEffect(() => {
    if (!callId) return;
    window.scrollTo({ top: 0, behavior: 'instant' });
    nameRef.current?.focus({ preventScroll: true });
  }, [callId]);

  const onRefused = useCallback(
    (_: OutcomeInput, error: unknown) => {
      if (isApiError(error, 'conflict'))
        notifications.show({ color: 'orange', message: t('caller.expired'), autoClose: 6000 });
      else notifyError(t, error);
    },
    [t],
  );
  const outbox = useOutcomeOutbox(me.user.id, record.mutateAsync, onRefused);

  const patchForm = (patch: Partial<CallForm>) => setForm((f) => ({ ...f, ...patch }));
  const resetForm = () => {
    setForm(EMPTY_FORM);
    clientId.current = null;
  };
  const showCall = (res: NextCall) => {
    // Leave the note field so the shortcuts work again for the next person.
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    resetForm();
    setCall(res.call);
    setEmpty(res.call ? null : { reason: res.reason, nextOpenAt: res.nextOpenAt });
  };
  const notifyOffline = () =>
    notifications.show({ color: 'orange', message: t('caller.offline'), autoClose: 6000 });

  /** Waiting outcomes go first: "next" would hand back a call whose outcome is still on its way. */
  const askNext = async () => {
    if ((await outbox.flush()).offline) return notifyOffline();
    next.mutate(undefined, { onSuccess: showCall });
  };

  // Keep the claim alive while a call is open.
  useEffect(() => {
    if (!call) return;
    const timer = window.setInterval(() => heartbeat.mutate(), HEARTBEAT_MS);
    return () => window.clearInterval(timer);
  }, [call, heartbeat.mutate]);

  const callBackIso = form.outcome === 'call_back' ? futureIso(form.callBackAt) : undefined;
  const missing = call ? missingHint(form, callBackIso) : null;
  const canSave = Boolean(call) && !missing && !busy;

  const saveAndNext = async () => {
    if (!call || !form.outcome || !canSave) return;
    clientId.current ??= crypto.randomUUID();
    const answers = Object.entries(form.answers)
      .filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))
      .map(([questionId, value]) => ({ questionId, value }));
    const reached = form.outcome === 'reached';
    const input: OutcomeInput = {
      callId: call.id,
      clientId: clientId.current,
      outcome: form.outcome,
      callBackAt: callBackIso,
      answers: answers.length ? answers : undefined,
      note: form.note.trim() || undefined,
      phoneId:
        form.outcome === 'wrong_number' || form.outcome === 'number_outdated' ? form.phoneId : undefined,
      newsletter: reached && form.newsletter ? true : undefined,
      followUp: reached && form.followUp ? { reason: form.followUpReason.trim() } : undefined,
    };
    setBusy(true);
    try {
      // Stored first, then sent: a dropped connection keeps it for the next try.
      outbox.add(input);
      const { failed, offline } = await outbox.flush();
      const refused = failed.get(input.clientId);
      // Refused for a reason the caller can fix (e.g. a time that has passed): stay on this call.
      if (refused && !isApiError(refused, 'conflict')) {
        clientId.current = null;
        return;
      }
      void today.refetch();
      if (offline) {
        resetForm();
        setCall(null);
        setEmpty(null);
        return notifyOffline();
      }
      next.mutate(undefined, { onSuccess: showCall });
    } finally {
      setBusy(false);
    }
  };

  /** Gives the current call back without an attempt; a call already gone is fine. */
  const release = async (current: OpenCall) => {
    try {
      await skip.mutateAsync({ callId: current.id });
    } catch (error) {
      if (!isApiError(error, 'not_found')) throw error;
    }
  };

  const skipCall = async () => {
    if (!call) return;
    setBusy(true);
    try {
      await release(call);
    } catch (error) {
      notifyError(t, error);
    } finally {
      setBusy(false);
    }
    askNext();
  };

  const logCall = async (personId: string) => {
    setBusy(true);
    try {
      if ((await outbox.flush()).offline) return notifyOffline();
      if (call && call.person.id !== personId) await release(call);
      const res = await claim.mutateAsync(personId);
      setLogOpen(false);
      showCall(res);
    } catch (error) {
      if (isApiError(error, 'conflict'))
        notifications.show({ color: 'orange', message: t('caller.logCall.taken'), autoClose: 6000 });
      else notifyError(t, error);
    } finally {
      setBusy(false);
    }
  };

  const takeBreak = async () => {
    setBusy(true);
    try {
      await outbox.flush();
      if (call) await release(call);
      resetForm();
      setCall(null);
      setEmpty(null);
      setOnBreak(true);
    } catch (error) {
      notifyError(t, error);
    } finally {
      setBusy(false);
    }
  };

  const continueAfterBreak = () => {
    setSessionStart(new Date().toISOString());
    setOnBreak(false);
    void today.refetch();
  };

  const keysActive = !logOpen && !onBreak;
  useHotkeys([
    ['n', () => keysActive && !call && !next.isPending && !busy && askNext()],
    ...OUTCOMES.map(
      (o, i) =>
        [shortcutOf(i), () => keysActive && call && patchForm({ outcome: o.outcome })] as [
          string,
          () => void,
        ],
    ),
  ]);
  useHotkeys([['mod+Enter', () => keysActive && saveAndNext()]], []);

  const secondary = (
    <SimpleGrid cols={call ? 3 : 2} spacing="xs">
      {call && (
        <SessionButton
          icon={<IconPlayerSkipForward size={18} aria-hidden />}
          onClick={skipCall}
          disabled={busy}
          testId="call-skip"
        >
          {t('caller.skip')}
        </SessionButton>
      )}
      <SessionButton
        icon={<IconPhoneIncoming size={18} aria-hidden />}
        onClick={() => setLogOpen(true)}
        disabled={busy}
        testId="log-call"
      >
        {t('caller.logCall.open')}
      </SessionButton>
      <SessionButton
        icon={<IconCoffee size={18} aria-hidden />}
        onClick={takeBreak}
        disabled={busy}
        testId="take-break"
      >
        {t('caller.break.take')}
      </SessionButton>
    </SimpleGrid>
  );

  return (
    <Box maw={1100} mx="auto">
      <Group gap="xs" mb="sm" justify="space-between">
        <BackLink />
        <Group gap={6}>
          {outbox.pending > 0 && (
            <Badge
              variant="filled"
              color="orange"
              size="lg"
              tt="none"
              leftSection={<IconCloudUpload size={14} aria-hidden />}
              data-testid="pending-outcomes"
            >
              {t('caller.pending', { count: outbox.pending })}
            </Badge>
          )}
          <Badge variant="light" size="lg" tt="none" data-testid="my-calls-today">
            {t('caller.today', { count: today.data?.calls ?? 0 })}
          </Badge>
        </Group>
      </Group>
      <Title order={1} fz={{ base: 20, sm: 26 }} mb={4} style={{ overflowWrap: 'anywhere' }}>
        {title}
      </Title>
      {description && (
        <Text size="sm" c="dimmed" mb="md" style={{ whiteSpace: 'pre-wrap' }}>
          {description}
        </Text>
      )}
      <ErrorAlert error={next.error} />

      {onBreak && (
        <BreakSummary
          assignmentId={assignmentId}
          since={sessionStart}
          pending={outbox.pending}
          onContinue={continueAfterBreak}
        />
      )}

      {!onBreak && !call && (
        <Stack align="stretch" gap="md" mt="md">
          {empty && <EmptyQueue assignmentId={assignmentId} empty={empty} locale={i18n.language} />}
          <Button
            size="xl"
            h={72}
            fz={22}
            leftSection={<IconPhoneCall size={28} aria-hidden />}
            onClick={askNext}
            loading={next.isPending || busy}
            data-testid="call-next"
            fullWidth
          >
            {t('caller.next')}
          </Button>
          <Text size="xs" c="dimmed" ta="center" visibleFrom="sm">
            {t('caller.hintNext')} <Kbd>N</Kbd>
          </Text>
          {secondary}
        </Stack>
      )}

      {!onBreak && call && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" mt="md">
          <Stack gap="md">
            <CallPersonCard
              call={call}
              phoneId={form.phoneId}
              onDial={(phoneId) => patchForm({ phoneId })}
              nameRef={nameRef}
            />
            {call.script && (
              <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} bg="blue.0">
                <Text size="sm" fw={600} mb={4}>
                  {t('caller.script')}
                </Text>
                <Text fz="md" style={{ whiteSpace: 'pre-wrap' }} data-testid="call-script">
                  {call.script}
                </Text>
              </Paper>
            )}
          </Stack>

          <Stack gap="md">
            {call.questions.length > 0 && (
              <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }}>
                <Stack gap="lg">
                  {call.questions.map((q) => (
                    <QuestionInput
                      key={q.id}
                      question={q}
                      value={form.answers[q.id]}
                      onChange={(v) => setForm((f) => ({ ...f, answers: { ...f.answers, [q.id]: v } }))}
                    />
                  ))}
                </Stack>
              </Paper>
            )}
            <OutcomePanel form={form} onChange={patchForm} />
            {secondary}
          </Stack>
        </SimpleGrid>
      )}

      {!onBreak && call && (
        <Paper
          pos="sticky"
          bottom={0}
          p="sm"
          mt="md"
          radius="md"
          shadow="md"
          withBorder
          style={{ zIndex: 5 }}
        >
          <Button
            size="xl"
            h={64}
            fz={20}
            fullWidth
            onClick={saveAndNext}
            disabled={!canSave}
            loading={busy || next.isPending}
            data-testid="call-save-next"
          >
            {t('caller.saveNext')}
          </Button>
          <Text size="xs" c="dimmed" ta="center" mt={4}>
            {missing ? t(missing) : ''}
            <Text span visibleFrom="sm" inherit>
              {' '}
              {t('caller.hintKeys')} <Kbd size="xs">1</Kbd>–<Kbd size="xs">0</Kbd> · <Kbd size="xs">Ctrl</Kbd>
              +<Kbd size="xs">Enter</Kbd>
            </Text>
          </Text>
        </Paper>
      )}

      <LogCallModal
        assignmentId={assignmentId}
        opened={logOpen}
        currentName={call ? personName(call.person) : null}
        busy={busy}
        onClose={() => setLogOpen(false)}
        onChoose={logCall}
      />
    </Box>
  );
}

function SessionButton({
  icon,
  onClick,
  disabled,
  testId,
  children,
}: {
  icon: ReactNode;
  onClick: () => void;
  disabled: boolean;
  testId: string;
  children: ReactNode;
}) {
  return (
    <Button
      variant="default"
      color="gray"
      h={52}
      px={6}
      onClick={onClick}
      disabled={disabled}
      data-testid={testId}
      styles={{
        inner: { flexDirection: 'column', gap: 2 },
        section: { margin: 0 },
        label: { whiteSpace: 'normal', textAlign: 'center', lineHeight: 1.15, fontSize: 13 },
      }}
      leftSection={icon}
    >
      {children}
    </Button>
  );
}

function EmptyQueue({ assignmentId, empty, locale }: { assignmentId: string; empty: Empty; locale: string }) {
  const { t } = useTranslation('calls');
  const reason = empty.reason ?? 'queue_empty';
  // Closed: paused (or ended) meanwhile, or outside its dates; the assignment itself tells which.
  const assignment = useMyAssignment(assignmentId, reason === 'assignment_closed');
  const status = assignment.data?.status;
  if (reason === 'assignment_closed' && status && status !== 'open')
    return (
      <Box data-testid="assignment-not-open" data-status={status}>
        <EmptyState
          icon={status === 'paused' ? <IconPlayerPause size={24} aria-hidden /> : undefined}
          title={t(`caller.notOpen.${status}.title`)}
          text={t(`caller.notOpen.${status}.text`, { org: assignment.data?.orgName ?? '' })}
        />
      </Box>
    );
  return (
    <EmptyState
      title={t(`empty.${reason}.title`)}
      text={
        <>
          {t(`empty.${reason}.text`)}
          {empty.nextOpenAt && (
            <>
              <br />
              <strong data-testid="call-next-open">
                {t('empty.nextOpenAt', { at: formatDateTime(empty.nextOpenAt, locale) })}
              </strong>
            </>
          )}
        </>
      }
    />
  );
}
