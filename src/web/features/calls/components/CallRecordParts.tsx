import { Anchor, Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Assignment, CallRecord } from '../api.ts';

/** The called person's name, linked to their profile (or a placeholder once deleted). */
export function CallPersonLink({ call }: { call: CallRecord }) {
  const { t } = useTranslation('calls');
  if (!call.personId) return <Text size="sm">{t('recentCalls.deletedPerson')}</Text>;
  return (
    <Anchor component={Link} to={`/people/${call.personId}`} size="sm" fw={600}>
      {call.personName ?? t('caller.unnamed')}
    </Anchor>
  );
}

/** Answers as "question: answer" lines, in the order of the assignment's questions. */
export function answerSummary(
  call: CallRecord,
  questions: Assignment['questions'],
  t: (key: string) => string,
): { question: string; answer: string }[] {
  const byId = new Map(questions.map((q) => [q.id, q]));
  return call.answers
    .map((a) => {
      const q = byId.get(a.questionId);
      const v = a.value;
      const answer =
        typeof v === 'boolean'
          ? t(v ? 'caller.yes' : 'caller.no')
          : Array.isArray(v)
            ? v.join(', ')
            : v === null || v === undefined
              ? '–'
              : String(v);
      return { question: q?.text ?? a.questionId, answer, order: q ? questions.indexOf(q) : 999 };
    })
    .sort((x, y) => x.order - y.order)
    .map(({ question, answer }) => ({ question, answer }));
}

/** Newsletter / event / follow-up badges of a call. */
export function CallBadges({ call }: { call: CallRecord }) {
  const { t } = useTranslation('calls');
  const any = call.newsletter || call.eventIds.length > 0 || call.followUpReason;
  if (!any) return null;
  return (
    <Group gap={4}>
      {call.newsletter && (
        <Badge size="sm" variant="light" color="teal">
          {t('recentCalls.newsletter')}
        </Badge>
      )}
      {call.eventIds.length > 0 && (
        <Badge size="sm" variant="light" color="indigo">
          {t('recentCalls.events', { count: call.eventIds.length })}
        </Badge>
      )}
      {call.followUpReason && (
        <Badge size="sm" variant="light" color={call.followUpResolvedAt ? 'gray' : 'orange'}>
          {call.followUpResolvedAt ? t('recentCalls.followUpDone') : t('recentCalls.followUp')}
        </Badge>
      )}
    </Group>
  );
}
