import {
  Anchor,
  Badge,
  Box,
  Button,
  Chip,
  Group,
  Kbd,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconPhone, IconPhoneCall, IconPlayerSkipForward } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { CallOutcome } from '../../../../shared/calls.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { FullPageLoader } from '../../../components/FullPageLoader.tsx';
import { notifyError } from '../../../components/notify.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { isApiError } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { formatE164 } from '../../people/format.ts';
import {
  type NextCall,
  type OpenCall,
  useHeartbeat,
  useMyAssignments,
  useNextCall,
  useRecordOutcome,
  useSkipCall,
} from '../api.ts';
import { STATUS_COLORS } from './status.ts';

/** Outcome buttons in shortcut order: 1–9, then 0. */
const OUTCOMES: { outcome: CallOutcome; color: string }[] = [
  { outcome: 'reached', color: 'teal' },
  { outcome: 'no_answer', color: 'gray' },
  { outcome: 'busy', color: 'gray' },
  { outcome: 'voicemail', color: 'gray' },
  { outcome: 'wrong_number', color: 'orange' },
  { outcome: 'number_outdated', color: 'orange' },
  { outcome: 'call_back', color: 'blue' },
  { outcome: 'do_not_call', color: 'red' },
  { outcome: 'not_interested', color: 'red' },
  { outcome: 'other', color: 'gray' },
];
const shortcutOf = (index: number) => (index === 9 ? '0' : String(index + 1));
const HEARTBEAT_MS = 2 * 60 * 1000;

/** "Anrufen": the caller's assignments, or the calling session of one. */
export function CallerPage() {
  const { assignmentId } = useParams();
  const { can } = useCurrentOrg();
  const { t } = useTranslation('calls');
  const mine = useMyAssignments(can('calls:make'));
  if (!can('calls:make')) return <Forbidden />;
  if (mine.isPending) return <FullPageLoader />;
  if (mine.error) return <ErrorAlert error={mine.error} />;
  const items = mine.data.items;
  const current = assignmentId ? items.find((a) => a.id === assignmentId) : undefined;
  if (assignmentId && !current)
    return <EmptyState title={t('caller.notFound')} text={t('caller.notFoundText')} />;
  if (current)
    return (
      <CallSession
        key={current.id}
        assignmentId={current.id}
        title={current.title}
        description={current.description}
      />
    );

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
              <Group justify="space-between" wrap="nowrap">
                <Stack gap={2}>
                  <Text fw={700} fz="lg">
                    {a.title}
                  </Text>
                  <Text size="sm" c="dimmed">
                    {a.orgName}
                  </Text>
                </Stack>
                <Badge variant="light" color={STATUS_COLORS[a.status]}>
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

type Empty = Omit<NextCall, 'call'>;
type AnswerMap = Record<string, unknown>;

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
  const next = useNextCall(assignmentId);
  const heartbeat = useHeartbeat(assignmentId);
  const record = useRecordOutcome();
  const skip = useSkipCall();
  const [call, setCall] = useState<OpenCall | null>(null);
  const [empty, setEmpty] = useState<Empty | null>(null);
  const [outcome, setOutcome] = useState<CallOutcome | null>(null);
  const [callBackAt, setCallBackAt] = useState('');
  const [note, setNote] = useState('');
  const [answers, setAnswers] = useState<AnswerMap>({});
  const [phoneId, setPhoneId] = useState<string | undefined>();
  const [count, setCount] = useState(0);
  /** One id per outcome submission, kept across retries so nothing is recorded twice. */
  const clientId = useRef<string | null>(null);

  const reset = () => {
    setOutcome(null);
    setCallBackAt('');
    setNote('');
    setAnswers({});
    setPhoneId(undefined);
    clientId.current = null;
  };

  const askNext = () => {
    reset();
    next.mutate(undefined, {
      onSuccess: (res) => {
        // Leave the note field so the shortcuts work again for the next person.
        if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
        setCall(res.call);
        setEmpty(res.call ? null : { reason: res.reason, nextOpenAt: res.nextOpenAt });
      },
    });
  };

  // Keep the claim alive while a call is open.
  useEffect(() => {
    if (!call) return;
    const timer = window.setInterval(() => heartbeat.mutate(), HEARTBEAT_MS);
    return () => window.clearInterval(timer);
  }, [call, heartbeat.mutate]);

  const callBackIso = callBackAt ? new Date(callBackAt).toISOString() : undefined;
  const canSave =
    Boolean(call && outcome) && !record.isPending && (outcome !== 'call_back' || Boolean(callBackIso));

  const saveAndNext = () => {
    if (!call || !outcome || !canSave) return;
    clientId.current ??= crypto.randomUUID();
    const answerList = Object.entries(answers)
      .filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))
      .map(([questionId, value]) => ({ questionId, value }));
    record.mutate(
      {
        callId: call.id,
        clientId: clientId.current,
        outcome,
        callBackAt: outcome === 'call_back' ? callBackIso : undefined,
        answers: answerList.length ? answerList : undefined,
        note: note.trim() || undefined,
        phoneId: outcome === 'wrong_number' || outcome === 'number_outdated' ? phoneId : undefined,
      },
      {
        onSuccess: () => {
          setCount((c) => c + 1);
          askNext();
        },
        onError: (error) => {
          if (isApiError(error, 'conflict')) {
            notifications.show({ color: 'orange', message: t('caller.expired'), autoClose: 6000 });
            askNext();
          } else notifyError(t, error);
        },
      },
    );
  };

  const skipCall = () => {
    if (!call) return;
    skip.mutate({ callId: call.id }, { onSettled: () => askNext() });
  };

  useHotkeys([
    ['n', () => !call && !next.isPending && askNext()],
    ...OUTCOMES.map((o, i) => [shortcutOf(i), () => call && setOutcome(o.outcome)] as [string, () => void]),
  ]);
  useHotkeys([['mod+Enter', () => saveAndNext()]], []);

  const person = call?.person;
  const name = person ? [person.title, person.firstName, person.lastName].filter(Boolean).join(' ') : '';
  const place = person ? [person.postalCode, person.city].filter(Boolean).join(' ') : '';

  return (
    <Box maw={1100} mx="auto">
      <Group gap="xs" mb="sm" justify="space-between">
        <Anchor component={Link} to="/calls" size="sm">
          <Group gap={4}>
            <IconArrowLeft size={16} aria-hidden />
            {t('caller.back')}
          </Group>
        </Anchor>
        <Badge variant="light" size="lg" tt="none" data-testid="call-count">
          {t('caller.count', { count })}
        </Badge>
      </Group>
      <Title order={1} fz={{ base: 20, sm: 26 }} mb={4}>
        {title}
      </Title>
      {description && (
        <Text size="sm" c="dimmed" mb="md" style={{ whiteSpace: 'pre-wrap' }}>
          {description}
        </Text>
      )}
      <ErrorAlert error={next.error} />

      {!call && (
        <Stack align="stretch" gap="md" mt="md">
          {empty && <EmptyQueue empty={empty} locale={i18n.language} />}
          <Button
            size="xl"
            h={72}
            fz={22}
            leftSection={<IconPhoneCall size={28} aria-hidden />}
            onClick={askNext}
            loading={next.isPending}
            data-testid="call-next"
            fullWidth
          >
            {t('caller.next')}
          </Button>
          <Text size="xs" c="dimmed" ta="center" visibleFrom="sm">
            {t('caller.hintNext')} <Kbd>N</Kbd>
          </Text>
        </Stack>
      )}

      {call && person && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" mt="md">
          <Stack gap="md">
            <Paper withBorder radius="md" p="lg" data-testid="call-person">
              <Text fz={{ base: 28, sm: 32 }} fw={800} lh={1.15} data-testid="call-name">
                {name || t('caller.unnamed')}
              </Text>
              {place && (
                <Text c="dimmed" fz="lg">
                  {place}
                </Text>
              )}
              {person.street && (
                <Text c="dimmed" size="sm">
                  {[person.street, person.houseNumber].filter(Boolean).join(' ')}
                </Text>
              )}
              {person.orgName && (
                <Text c="dimmed" size="sm">
                  {person.orgName}
                </Text>
              )}
              <Stack gap="xs" mt="md">
                {(person.phones ?? []).map((phone) => (
                  <Button
                    key={phone.id}
                    component="a"
                    href={`tel:${phone.e164 ?? phone.raw}`}
                    size="xl"
                    h={64}
                    fz={22}
                    color="teal"
                    variant={phoneId === phone.id ? 'filled' : 'light'}
                    leftSection={<IconPhone size={26} aria-hidden />}
                    onClick={() => setPhoneId(phone.id)}
                    data-testid="call-dial"
                    fullWidth
                    justify="flex-start"
                  >
                    {formatE164(phone.e164) ?? phone.raw}
                    <Text span size="sm" ml="sm" opacity={0.8}>
                      {t(`phoneTypes.${phone.type}`, { defaultValue: phone.type })}
                    </Text>
                  </Button>
                ))}
              </Stack>
              {call.history.length > 0 && (
                <Stack gap={2} mt="md">
                  <Text size="sm" fw={600}>
                    {t('caller.history')}
                  </Text>
                  {call.history.map((h) => (
                    <Text size="sm" key={h.at}>
                      {formatDateTime(h.at, i18n.language)} · {t(`outcomes.${h.outcome}`)}
                    </Text>
                  ))}
                </Stack>
              )}
            </Paper>
            {call.script && (
              <Paper withBorder radius="md" p="lg" bg="blue.0">
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
              <Paper withBorder radius="md" p="lg">
                <Stack gap="lg">
                  {call.questions.map((q) => (
                    <QuestionInput
                      key={q.id}
                      question={q}
                      value={answers[q.id]}
                      onChange={(v) => setAnswers((a) => ({ ...a, [q.id]: v }))}
                    />
                  ))}
                </Stack>
              </Paper>
            )}
            <Paper withBorder radius="md" p="lg">
              <Text fw={600} mb="sm" id="outcome-label">
                {t('caller.outcome')}
              </Text>
              <SimpleGrid cols={2} spacing="xs" role="radiogroup" aria-labelledby="outcome-label">
                {OUTCOMES.map((o, i) => (
                  <Button
                    key={o.outcome}
                    role="radio"
                    aria-checked={outcome === o.outcome}
                    variant={outcome === o.outcome ? 'filled' : 'default'}
                    color={o.color}
                    h={56}
                    fz="md"
                    onClick={() => setOutcome(o.outcome)}
                    data-testid={`call-outcome-${o.outcome}`}
                    justify="space-between"
                    rightSection={
                      <Kbd size="xs" visibleFrom="sm">
                        {shortcutOf(i)}
                      </Kbd>
                    }
                    styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}
                  >
                    {outcome === o.outcome ? '✓ ' : ''}
                    {t(`outcomes.${o.outcome}`)}
                  </Button>
                ))}
              </SimpleGrid>
              {outcome === 'call_back' && (
                <Stack gap="xs" mt="md">
                  <TextInput
                    type="datetime-local"
                    size="lg"
                    label={t('caller.callBackAt')}
                    value={callBackAt}
                    onChange={(e) => setCallBackAt(e.currentTarget.value)}
                    required
                    data-testid="call-back-at"
                  />
                  <Group gap="xs">
                    {quickPicks().map((p) => (
                      <Button key={p.key} variant="light" size="sm" onClick={() => setCallBackAt(p.value)}>
                        {t(`caller.quick.${p.key}`)}
                      </Button>
                    ))}
                  </Group>
                </Stack>
              )}
              <Textarea
                mt="md"
                label={t('caller.note')}
                autosize
                minRows={2}
                value={note}
                onChange={(e) => setNote(e.currentTarget.value)}
                data-testid="call-note"
              />
            </Paper>
            <Button
              variant="subtle"
              color="gray"
              leftSection={<IconPlayerSkipForward size={18} aria-hidden />}
              onClick={skipCall}
              loading={skip.isPending}
              data-testid="call-skip"
            >
              {t('caller.skip')}
            </Button>
          </Stack>
        </SimpleGrid>
      )}

      {call && (
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
            loading={record.isPending || next.isPending}
            data-testid="call-save-next"
          >
            {t('caller.saveNext')}
          </Button>
          <Text size="xs" c="dimmed" ta="center" mt={4}>
            {!outcome
              ? t('caller.pickOutcome')
              : outcome === 'call_back' && !callBackIso
                ? t('caller.pickTime')
                : ''}
            <Text span visibleFrom="sm" inherit>
              {' '}
              {t('caller.hintKeys')} <Kbd size="xs">1</Kbd>–<Kbd size="xs">0</Kbd> · <Kbd size="xs">Ctrl</Kbd>
              +<Kbd size="xs">Enter</Kbd>
            </Text>
          </Text>
        </Paper>
      )}
    </Box>
  );
}

function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function quickPicks() {
  const now = new Date();
  const inHour = new Date(now.getTime() + 60 * 60 * 1000);
  const evening = new Date(now);
  evening.setHours(19, 0, 0, 0);
  const tomorrow = new Date(now);
  tomorrow.setDate(tomorrow.getDate() + 1);
  tomorrow.setHours(10, 0, 0, 0);
  const picks = [{ key: 'inHour', value: localInput(inHour) }];
  if (evening > inHour) picks.push({ key: 'evening', value: localInput(evening) });
  picks.push({ key: 'tomorrow', value: localInput(tomorrow) });
  return picks;
}

function EmptyQueue({ empty, locale }: { empty: Empty; locale: string }) {
  const { t } = useTranslation('calls');
  const reason = empty.reason ?? 'queue_empty';
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

function QuestionInput({
  question,
  value,
  onChange,
}: {
  question: OpenCall['questions'][number];
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const { t } = useTranslation('calls');
  const options = Array.isArray(question.options) ? (question.options as string[]) : [];
  const label = (
    <Text component="legend" fw={600} mb={6} p={0}>
      {question.text}
    </Text>
  );
  switch (question.type) {
    case 'single_choice':
      return (
        <Box component="fieldset" m={0} p={0} style={{ border: 0 }}>
          {label}
          <Chip.Group value={(value as string) ?? null} onChange={(v) => onChange(v)}>
            <Group gap="xs">
              {options.map((o) => (
                <Chip key={o} value={o} size="lg">
                  {o}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
        </Box>
      );
    case 'multiple_choice':
      return (
        <Box component="fieldset" m={0} p={0} style={{ border: 0 }}>
          {label}
          <Chip.Group multiple value={(value as string[]) ?? []} onChange={(v) => onChange(v)}>
            <Group gap="xs">
              {options.map((o) => (
                <Chip key={o} value={o} size="lg">
                  {o}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
        </Box>
      );
    case 'yes_no':
      return (
        <Box component="fieldset" m={0} p={0} style={{ border: 0 }}>
          {label}
          <SegmentedControl
            fullWidth
            size="lg"
            data={[
              { value: 'yes', label: t('caller.yes') },
              { value: 'no', label: t('caller.no') },
            ]}
            value={value === true ? 'yes' : value === false ? 'no' : ''}
            onChange={(v) => onChange(v === 'yes')}
          />
        </Box>
      );
    case 'scale': {
      const min = typeof question.min === 'number' ? question.min : 1;
      const max = typeof question.max === 'number' ? question.max : 5;
      const steps = Array.from({ length: Math.min(max - min + 1, 11) }, (_, i) => String(min + i));
      return (
        <Box component="fieldset" m={0} p={0} style={{ border: 0 }}>
          {label}
          <SegmentedControl
            fullWidth
            size="lg"
            data={steps}
            value={typeof value === 'number' ? String(value) : ''}
            onChange={(v) => onChange(Number(v))}
          />
        </Box>
      );
    }
    default:
      return (
        <Textarea
          label={question.text}
          size="md"
          autosize
          minRows={2}
          value={(value as string) ?? ''}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
}
