/**
 * Building blocks shared by the call assignment editor and the campaign editor: the section
 * card, the status picker, the script, rule and date inputs, the visible-field picker and the
 * save bar. Texts that differ between the two editors come in as props; the rest is `calls:`.
 */
import {
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CALL_ASSIGNMENT_STATUSES, CALL_VISIBLE_FIELDS } from '../../../../shared/calls.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { DateField } from '../../../components/DateFields.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { FullPageLoader } from '../../../components/FullPageLoader.tsx';
import { notifySuccess } from '../../../components/notify.ts';

export type CallStatus = (typeof CALL_ASSIGNMENT_STATUSES)[number];

/** A draft held in state and a setter for one of its keys. */
export function useDraft<D extends object>(init: () => D) {
  const [draft, setDraft] = useState<D>(init);
  const set = <K extends keyof D>(k: K, v: D[K]) => setDraft((d) => ({ ...d, [k]: v }));
  return [draft, set] as const;
}

/** True unless both dates are set (YYYY-MM-DD) and the end comes before the start. */
export function datesInOrder(startsOn: string, endsOn: string): boolean {
  return !startsOn || !endsOn || startsOn <= endsOn;
}

/** A bordered card with a section title, an optional hint under it, and its content. */
export function EditorSection({
  title,
  hint,
  children,
}: {
  title: string;
  hint?: string;
  children: ReactNode;
}) {
  const heading = (
    <Title order={2} fz="lg">
      {title}
    </Title>
  );
  return (
    <Paper withBorder radius="md" p="lg">
      <Stack>
        {hint ? (
          <Stack gap={2}>
            {heading}
            <Text size="sm" c="dimmed">
              {hint}
            </Text>
          </Stack>
        ) : (
          heading
        )}
        {children}
      </Stack>
    </Paper>
  );
}

/** Draft / open / paused / closed as a segmented control under a label. */
export function StatusControl({
  label,
  value,
  onChange,
  labelId,
  disabled,
  testId,
}: {
  label: string;
  value: CallStatus;
  onChange: (status: CallStatus) => void;
  /** Set to tie the label to the control for screen readers. */
  labelId?: string;
  disabled?: boolean;
  testId: string;
}) {
  const { t } = useTranslation('calls');
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500} id={labelId}>
        {label}
      </Text>
      <SegmentedControl
        aria-labelledby={labelId}
        data={CALL_ASSIGNMENT_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        value={value}
        onChange={(v) => onChange(v as CallStatus)}
        disabled={disabled}
        data-testid={testId}
        fullWidth
      />
    </Stack>
  );
}

/** The call script, with the placeholders it may use named in its hint. */
export function ScriptInput({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  onChange: (script: string) => void;
  testId: string;
}) {
  const { t } = useTranslation('calls');
  return (
    <Textarea
      label={label}
      description={t('editor.scriptHint', { p1: '{{firstName}}', p2: '{{callerName}}', p3: '{{orgName}}' })}
      autosize
      minRows={5}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      data-testid={testId}
    />
  );
}

/** Max attempts and cooldown hours; two grid cells. */
export function AttemptRuleInputs({
  maxAttempts,
  cooldownHours,
  onMaxAttempts,
  onCooldownHours,
  testIdPrefix,
}: {
  maxAttempts: number;
  cooldownHours: number;
  onMaxAttempts: (n: number) => void;
  onCooldownHours: (n: number) => void;
  /** `<prefix>-max-attempts` and `<prefix>-cooldown`; none without it. */
  testIdPrefix?: string;
}) {
  const { t } = useTranslation('calls');
  return (
    <>
      <NumberInput
        label={t('editor.maxAttempts')}
        min={1}
        max={50}
        value={maxAttempts}
        onChange={(v) => onMaxAttempts(Number(v) || 1)}
        data-testid={testIdPrefix && `${testIdPrefix}-max-attempts`}
      />
      <NumberInput
        label={t('editor.cooldownHours')}
        description={t('editor.cooldownHint')}
        min={0}
        max={8760}
        value={cooldownHours}
        onChange={(v) => onCooldownHours(Number(v) || 0)}
        data-testid={testIdPrefix && `${testIdPrefix}-cooldown`}
      />
    </>
  );
}

/** Start and end date (YYYY-MM-DD or ''); two grid cells, the end flagged when before the start. */
export function DateRangeInputs({
  startsOn,
  endsOn,
  onStartsOn,
  onEndsOn,
  labels,
  testIdPrefix,
}: {
  startsOn: string;
  endsOn: string;
  onStartsOn: (date: string) => void;
  onEndsOn: (date: string) => void;
  labels: {
    startsOn: string;
    endsOn: string;
    endBeforeStart: string;
    startsOnHint?: string;
    endsOnHint?: string;
  };
  /** `<prefix>-starts-on` and `<prefix>-ends-on`. */
  testIdPrefix: string;
}) {
  return (
    <>
      <DateField
        label={labels.startsOn}
        description={labels.startsOnHint}
        value={startsOn}
        onChange={onStartsOn}
        data-testid={`${testIdPrefix}-starts-on`}
      />
      <DateField
        label={labels.endsOn}
        description={labels.endsOnHint}
        value={endsOn}
        min={startsOn || undefined}
        onChange={onEndsOn}
        error={datesInOrder(startsOn, endsOn) ? undefined : labels.endBeforeStart}
        data-testid={`${testIdPrefix}-ends-on`}
      />
    </>
  );
}

/** The section picking which of a person's fields callers see. */
export function VisibleFieldsSection({
  value,
  onChange,
}: {
  value: string[];
  onChange: (fields: string[]) => void;
}) {
  const { t } = useTranslation('calls');
  return (
    <EditorSection title={t('editor.visibleFields')}>
      <Text size="sm" c="dimmed">
        {t('editor.visibleFieldsHint')}
      </Text>
      <Checkbox.Group value={value} onChange={onChange}>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="xs">
          {CALL_VISIBLE_FIELDS.map((f) => (
            <Checkbox key={f} value={f} label={t(`fields.${f}`)} />
          ))}
        </SimpleGrid>
      </Checkbox.Group>
    </EditorSection>
  );
}

/** The save mutation's error, if any, and the right-aligned save button. */
export function SaveBar({
  mutation,
  onSave,
  disabled,
  label,
  testId,
}: {
  mutation: { error: unknown; isPending: boolean };
  onSave: () => void;
  disabled: boolean;
  label: string;
  testId: string;
}) {
  return (
    <>
      <ErrorAlert error={mutation.error} />
      <Group justify="flex-end">
        <Button
          size="md"
          onClick={onSave}
          loading={mutation.isPending}
          disabled={disabled}
          data-testid={testId}
        >
          {label}
        </Button>
      </Group>
    </>
  );
}

/**
 * The editor page around an `Editor`: asks for a unit, checks the permission, waits for the
 * record being edited (when `id` is set) and then renders `children` with it and its unit.
 */
export function EditorGate<T extends { orgId: string }>({
  id,
  existing,
  allowed,
  children,
}: {
  id: string | undefined;
  existing: { isPending: boolean; error: unknown; data: T | undefined };
  allowed: (can: ReturnType<typeof useCurrentOrg>['can']) => boolean;
  children: (data: T | undefined, orgId: string) => ReactNode;
}) {
  const { currentOrg, can } = useCurrentOrg();
  const { t } = useTranslation('common');
  if (!currentOrg) return <EmptyState title={t('noOrg.title')} text={t('noOrg.text')} />;
  if (!allowed(can)) return <Forbidden />;
  if (id && existing.isPending) return <FullPageLoader />;
  if (id && existing.error) return <ErrorAlert error={existing.error} />;
  return children(existing.data, existing.data?.orgId ?? currentOrg.id);
}

/** The title (required) and the free text under it. */
export function TitleDescriptionInputs({
  title,
  description,
  onTitle,
  onDescription,
  labels,
  testIds,
}: {
  title: string;
  description: string;
  onTitle: (title: string) => void;
  onDescription: (description: string) => void;
  labels: { title: string; description: string; descriptionHint?: string };
  testIds: { title: string; description?: string };
}) {
  return (
    <>
      <TextInput
        label={labels.title}
        required
        value={title}
        onChange={(e) => onTitle(e.currentTarget.value)}
        data-testid={testIds.title}
      />
      <Textarea
        label={labels.description}
        description={labels.descriptionHint}
        autosize
        minRows={2}
        value={description}
        onChange={(e) => onDescription(e.currentTarget.value)}
        data-testid={testIds.description}
      />
    </>
  );
}

interface Mutation<V, R> {
  mutate: (variables: V, options: { onSuccess: (result: R) => void }) => void;
}

/**
 * Saves a draft: updates the record when it exists, else creates it in `orgId` and moves to
 * the new record's page (`pathOf`). Either way says so.
 */
export function saveDraft<Body, Created extends { id: string }>({
  exists,
  body,
  orgId,
  update,
  create,
  savedText,
  navigate,
  pathOf,
}: {
  exists: boolean;
  body: Body;
  orgId: string;
  update: Mutation<Body, unknown>;
  create: Mutation<Body & { orgId: string }, Created>;
  savedText: string;
  navigate: (to: string, options: { replace: boolean }) => void;
  pathOf: (created: Created) => string;
}) {
  if (exists) update.mutate(body, { onSuccess: () => notifySuccess(savedText) });
  else
    create.mutate(
      { orgId, ...body },
      {
        onSuccess: (created) => {
          notifySuccess(savedText);
          navigate(pathOf(created), { replace: true });
        },
      },
    );
}
