import { useCallback, useEffect, useRef, useState } from 'react';
import { isApiError } from '../../../lib/api.ts';
import type { OutcomeInput } from '../api.ts';

/**
 * Outcomes not yet confirmed by the server, kept in localStorage so a dropped connection (or a
 * closed tab) loses nothing. Each keeps its `clientId`: sending it again is answered the same by
 * the server and records nothing twice.
 */
const STORAGE_KEY = 'draht.calls.outbox';
const RETRY_MS = 20_000;

interface QueuedOutcome extends OutcomeInput {
  userId: string;
  queuedAt: string;
}

export interface FlushResult {
  /** Refused outcomes (dropped from the outbox) by clientId. */
  failed: Map<string, unknown>;
  /** Some outcomes are still waiting: the network or the server is not answering. */
  offline: boolean;
}

function readAll(): QueuedOutcome[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(value) ? (value as QueuedOutcome[]) : [];
  } catch {
    return [];
  }
}

function writeAll(items: QueuedOutcome[]) {
  try {
    if (items.length) localStorage.setItem(STORAGE_KEY, JSON.stringify(items));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage full or blocked: the outcome is still sent from memory in this flush.
  }
}

/** Worth trying again later: no answer, a server hiccup or a rate limit. */
const isTransient = (error: unknown) =>
  isApiError(error) && (error.code === 'network_error' || error.status >= 500 || error.status === 429);

export function useOutcomeOutbox(
  userId: string,
  send: (outcome: OutcomeInput) => Promise<unknown>,
  onRefused: (outcome: OutcomeInput, error: unknown) => void,
) {
  const mine = useCallback(() => readAll().filter((o) => o.userId === userId), [userId]);
  const [pending, setPending] = useState(() => mine().length);
  const [flushing, setFlushing] = useState(false);
  const sendRef = useRef(send);
  sendRef.current = send;
  const refusedRef = useRef(onRefused);
  refusedRef.current = onRefused;
  const running = useRef<Promise<FlushResult> | null>(null);

  const add = useCallback(
    (outcome: OutcomeInput) => {
      const others = readAll().filter((o) => o.clientId !== outcome.clientId);
      writeAll([...others, { ...outcome, userId, queuedAt: new Date().toISOString() }]);
      setPending(mine().length);
    },
    [userId, mine],
  );

  const sendAll = useCallback(async (): Promise<FlushResult> => {
    const result: FlushResult = { failed: new Map(), offline: false };
    for (const { userId: _, queuedAt: __, ...outcome } of mine()) {
      try {
        await sendRef.current(outcome);
      } catch (error) {
        if (isTransient(error)) {
          result.offline = true;
          break;
        }
        result.failed.set(outcome.clientId, error);
        refusedRef.current(outcome, error);
      }
      writeAll(readAll().filter((o) => o.clientId !== outcome.clientId));
    }
    setPending(mine().length);
    return result;
  }, [mine]);

  /** Sends every waiting outcome, oldest first; runs one after another when called again. */
  const flush = useCallback((): Promise<FlushResult> => {
    const run = (running.current ?? Promise.resolve()).catch(() => undefined).then(sendAll);
    running.current = run;
    setFlushing(true);
    void run.finally(() => {
      if (running.current === run) {
        running.current = null;
        setFlushing(false);
      }
    });
    return run;
  }, [sendAll]);

  // Left over from an earlier visit, back online, or every little while as long as some wait.
  useEffect(() => {
    if (mine().length) void flush();
    const online = () => void flush();
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [flush, mine]);
  useEffect(() => {
    if (!pending) return;
    const timer = window.setInterval(() => void flush(), RETRY_MS);
    return () => window.clearInterval(timer);
  }, [pending, flush]);

  return { pending, flushing, add, flush };
}
