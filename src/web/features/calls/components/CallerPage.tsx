import { Anchor, Badge, Box, Button, Group, Kbd, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import {
  IconArrowLeft,
  IconCloudUpload,
  IconCoffee,
  IconPhoneCall,
  IconPhoneIncoming,
  IconPlayerPause,
  IconPlayerSkipForward,
} from '@tabler/icons-react';
import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { FullPageLoader } from '../../../components/FullPageLoader.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { isApiError } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { type MyAssignment, useMyAssignment, useMyAssignments } from '../api.ts';
import { type EmptyQueueInfo, useCallSession } from '../hooks/useCallSession.ts';
import { BreakSummary } from './BreakSummary.tsx';
import { CallPersonCard, personName } from './CallPersonCard.tsx';
import { LogCallModal } from './LogCallModal.tsx';
import { OutcomePanel } from './OutcomePanel.tsx';
import { QuestionInput } from './QuestionInput.tsx';
import { STATUS_COLORS } from './status.ts';

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
  const session = useCallSession(assignmentId);
  const { call, form, busy, onBreak } = session;
  const nameRef = useRef<HTMLHeadingElement>(null);

  // A new person: back to the top, focus on their name (screen readers announce it).
  const callId = call?.id;
  useEffect(() => {
    if (!callId) return;
    window.scrollTo({ top: 0, behavior: 'instant' });
    nameRef.current?.focus({ preventScroll: true });
  }, [callId]);

  const secondary = (
    <SimpleGrid cols={call ? 3 : 2} spacing="xs">
      {call && (
        <SessionButton
          icon={<IconPlayerSkipForward size={18} aria-hidden />}
          onClick={session.skipCall}
          disabled={busy}
          testId="call-skip"
        >
          {t('caller.skip')}
        </SessionButton>
      )}
      <SessionButton
        icon={<IconPhoneIncoming size={18} aria-hidden />}
        onClick={() => session.setLogOpen(true)}
        disabled={busy}
        testId="log-call"
      >
        {t('caller.logCall.open')}
      </SessionButton>
      <SessionButton
        icon={<IconCoffee size={18} aria-hidden />}
        onClick={session.takeBreak}
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
          {session.pendingOutcomes > 0 && (
            <Badge
              variant="filled"
              color="orange"
              size="lg"
              tt="none"
              leftSection={<IconCloudUpload size={14} aria-hidden />}
              data-testid="pending-outcomes"
            >
              {t('caller.pending', { count: session.pendingOutcomes })}
            </Badge>
          )}
          <Badge variant="light" size="lg" tt="none" data-testid="my-calls-today">
            {t('caller.today', { count: session.callsToday })}
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
      <ErrorAlert error={session.nextError} />

      {onBreak && (
        <BreakSummary
          assignmentId={assignmentId}
          since={session.sessionStart}
          pending={session.pendingOutcomes}
          onContinue={session.continueAfterBreak}
        />
      )}

      {!onBreak && !call && (
        <Stack align="stretch" gap="md" mt="md">
          {session.empty && (
            <EmptyQueue assignmentId={assignmentId} empty={session.empty} locale={i18n.language} />
          )}
          <Button
            size="xl"
            h={72}
            fz={22}
            leftSection={<IconPhoneCall size={28} aria-hidden />}
            onClick={session.askNext}
            loading={session.loadingNext || busy}
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
              onDial={(phoneId) => session.patchForm({ phoneId })}
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
                      onChange={(v) => session.setAnswer(q.id, v)}
                    />
                  ))}
                </Stack>
              </Paper>
            )}
            <OutcomePanel form={form} onChange={session.patchForm} />
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
            onClick={session.saveAndNext}
            disabled={!session.canSave}
            loading={busy || session.loadingNext}
            data-testid="call-save-next"
          >
            {t('caller.saveNext')}
          </Button>
          <Text size="xs" c="dimmed" ta="center" mt={4}>
            {session.missing ? t(session.missing) : ''}
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
        opened={session.logOpen}
        currentName={call ? personName(call.person) : null}
        busy={busy}
        onClose={() => session.setLogOpen(false)}
        onChoose={session.logCall}
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

function EmptyQueue({
  assignmentId,
  empty,
  locale,
}: {
  assignmentId: string;
  empty: EmptyQueueInfo;
  locale: string;
}) {
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
