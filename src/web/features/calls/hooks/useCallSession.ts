import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { notifyError } from '../../../components/notify.ts';
import { isApiError } from '../../../lib/api.ts';
import {
  type NextCall,
  type OpenCall,
  type OutcomeInput,
  useClaimPerson,
  useHeartbeat,
  useMyCallStats,
  useNextCall,
  useRecordOutcome,
  useSkipCall,
} from '../api.ts';
import { futureIso } from '../components/call-back-times.ts';
import { type CallForm, EMPTY_FORM, missingHint, OUTCOMES, shortcutOf } from '../components/OutcomePanel.tsx';
import { useOutcomeOutbox } from './useOutcomeOutbox.ts';

const HEARTBEAT_MS = 2 * 60 * 1000;

/** Why the queue handed back nobody, and when it opens next. */
export type EmptyQueueInfo = Omit<NextCall, 'call'>;

/**
 * The behaviour of one calling session: the open call and its form, "next" (after the outbox of
 * waiting outcomes is sent), saving an outcome (stored in the outbox first), skipping, logging a
 * call with someone found by name, a break, the heartbeat that keeps the claim alive, and the
 * keyboard shortcuts. The caller screen only lays it out.
 */
export function useCallSession(assignmentId: string) {
  const { t } = useTranslation('calls');
  const { me } = useCurrentOrg();
  const next = useNextCall(assignmentId);
  const heartbeat = useHeartbeat(assignmentId);
  const record = useRecordOutcome();
  const skip = useSkipCall();
  const claim = useClaimPerson(assignmentId);
  const today = useMyCallStats(assignmentId);
  const [call, setCall] = useState<OpenCall | null>(null);
  const [empty, setEmpty] = useState<EmptyQueueInfo | null>(null);
  const [form, setForm] = useState<CallForm>(EMPTY_FORM);
  const [busy, setBusy] = useState(false);
  const [logOpen, setLogOpen] = useState(false);
  const [onBreak, setOnBreak] = useState(false);
  const [sessionStart, setSessionStart] = useState(() => new Date().toISOString());
  /** One id per outcome submission, kept across retries so nothing is recorded twice. */
  const clientId = useRef<string | null>(null);

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
  const setAnswer = (questionId: string, value: CallForm['answers'][string]) =>
    setForm((f) => ({ ...f, answers: { ...f.answers, [questionId]: value } }));
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

  return {
    call,
    empty,
    form,
    patchForm,
    setAnswer,
    busy,
    /** "Next" is on its way. */
    loadingNext: next.isPending,
    nextError: next.error,
    missing,
    canSave,
    pendingOutcomes: outbox.pending,
    callsToday: today.data?.calls ?? 0,
    onBreak,
    sessionStart,
    logOpen,
    setLogOpen,
    askNext,
    saveAndNext,
    skipCall,
    logCall,
    takeBreak,
    continueAfterBreak,
  };
}
