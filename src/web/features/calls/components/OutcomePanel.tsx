import { Button, Checkbox, Kbd, Loader, Paper, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutcome } from '../../../../shared/calls.ts';
import { QUICK_PICK_TEST_IDS, quickPicks, toLocalInput } from './call-back-times.ts';

/** The date picker (Mantine dates, ~20 KB gzip) is needed only for "call back": the caller screen fetches it after its first paint. */
export const loadDateFields = () => import('../../../components/DateFields.tsx');
const DateTimeField = lazy(() => loadDateFields().then((module) => ({ default: module.DateTimeField })));

/** Outcome buttons in shortcut order: 1–9, then 0. */
export const OUTCOMES: { outcome: CallOutcome; color: string }[] = [
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
export const shortcutOf = (index: number) => (index === 9 ? '0' : String(index + 1));

/** What the caller enters about the current call. */
export interface CallForm {
  outcome: CallOutcome | null;
  callBackAt: string;
  note: string;
  answers: Record<string, unknown>;
  phoneId?: string;
  newsletter: boolean;
  followUp: boolean;
  followUpReason: string;
}
export const EMPTY_FORM: CallForm = {
  outcome: null,
  callBackAt: '',
  note: '',
  answers: {},
  newsletter: false,
  followUp: false,
  followUpReason: '',
};

/** The outcome buttons and what goes with an outcome: call-back time, newsletter, follow-up, note. */
export function OutcomePanel({
  form,
  onChange,
}: {
  form: CallForm;
  onChange: (patch: Partial<CallForm>) => void;
}) {
  const { t } = useTranslation('calls');
  const { outcome } = form;
  const picks = quickPicks();
  // "This evening" is "in 1 hour" after 17:00: mark only the first pick with the chosen time.
  const pickedKey = picks.find((p) => p.value === form.callBackAt)?.key;
  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }}>
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
            onClick={() => onChange({ outcome: o.outcome })}
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

      {outcome === 'reached' && (
        <Stack gap="sm" mt="md">
          {/*
            Event invitations: the call carries the assignment's `eventIds`, but there is no events
            module yet to give them titles and dates. Once it exists it provides those, and the
            accepted ones go into the outcome's `eventIds`. Until then no event section is shown.
          */}
          <Checkbox
            size="md"
            label={t('caller.newsletter')}
            checked={form.newsletter}
            onChange={(e) => onChange({ newsletter: e.currentTarget.checked })}
            data-testid="call-newsletter"
          />
          <Checkbox
            size="md"
            label={t('caller.followUp')}
            description={t('caller.followUpHint')}
            checked={form.followUp}
            onChange={(e) => onChange({ followUp: e.currentTarget.checked })}
            data-testid="call-follow-up"
          />
          {form.followUp && (
            <Textarea
              label={t('caller.followUpReason')}
              placeholder={t('caller.followUpPlaceholder')}
              autosize
              minRows={2}
              maxLength={1000}
              required
              value={form.followUpReason}
              onChange={(e) => onChange({ followUpReason: e.currentTarget.value })}
              data-testid="call-follow-up-reason"
            />
          )}
        </Stack>
      )}

      {outcome === 'call_back' && (
        <Stack gap="xs" mt="md">
          <Text size="sm" fw={500}>
            {t('caller.callBackAt')}
          </Text>
          <SimpleGrid cols={3} spacing="xs">
            {picks.map((p) => (
              <Button
                key={p.key}
                variant={p.key === pickedKey ? 'filled' : 'light'}
                h={48}
                px={6}
                onClick={() => onChange({ callBackAt: p.value })}
                data-testid={QUICK_PICK_TEST_IDS[p.key]}
                styles={{ label: { whiteSpace: 'normal', textAlign: 'center', lineHeight: 1.2 } }}
              >
                {t(`caller.quick.${p.key}`)}
              </Button>
            ))}
          </SimpleGrid>
          <Suspense fallback={<Loader size="sm" aria-hidden />}>
            <DateTimeField
              size="lg"
              aria-label={t('caller.callBackAt')}
              min={toLocalInput(new Date())}
              value={form.callBackAt}
              onChange={(callBackAt) => onChange({ callBackAt })}
              required
              data-testid="call-back-at"
            />
          </Suspense>
        </Stack>
      )}

      <Textarea
        mt="md"
        label={t('caller.note')}
        autosize
        minRows={2}
        value={form.note}
        onChange={(e) => onChange({ note: e.currentTarget.value })}
        data-testid="call-note"
      />
    </Paper>
  );
}

/** A short line under the save button: what is still missing. */
export function missingHint(form: CallForm, callBackIso: string | undefined): string | null {
  if (!form.outcome) return 'caller.pickOutcome';
  if (form.outcome === 'call_back' && !callBackIso)
    return form.callBackAt ? 'caller.pickFuture' : 'caller.pickTime';
  if (form.outcome === 'reached' && form.followUp && !form.followUpReason.trim()) return 'caller.giveReason';
  return null;
}
