import { Badge, Button, Group, Paper, Skeleton, Stack, Text, Textarea, Timeline } from '@mantine/core';
import {
  IconArrowsExchange,
  IconCircleDot,
  IconMail,
  IconMailCheck,
  IconNote,
  IconPencil,
  IconPhone,
  IconTag,
  IconUserPlus,
} from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { type Person, type TimelineItem, useAddNote, useTags, useTimeline } from '../api.ts';
import { FormError } from './FormError.tsx';
import { SectionCard } from './SectionCard.tsx';

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

export function NotesCard({ person, mayWrite }: { person: Person; mayWrite: boolean }) {
  const { t, i18n } = useTranslation('people');
  const addNote = useAddNote(person.id);
  const timeline = useTimeline(person.id);
  const [text, setText] = useState('');
  const notes = (timeline.data?.pages.flatMap((page) => page.items) ?? []).filter(
    (e) => e.kind === 'note.added',
  );

  return (
    <SectionCard title={t('notes.title')} testId="person-notes">
      <Stack gap="sm">
        {mayWrite && (
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              if (!text.trim()) return;
              addNote.mutate(text.trim(), {
                onSuccess: () => {
                  setText('');
                  notifySuccess(t('notes.added'));
                },
              });
            }}
          >
            <Stack gap="xs">
              <Textarea
                label={t('notes.new')}
                placeholder={t('notes.placeholder')}
                autosize
                minRows={2}
                maxRows={8}
                maxLength={10_000}
                value={text}
                onChange={(event) => setText(event.currentTarget.value)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey))
                    event.currentTarget.form?.requestSubmit();
                }}
                description={t('notes.hint')}
                data-testid="note-textarea"
              />
              <FormError error={addNote.error} />
              <Group justify="flex-end">
                <Button
                  type="submit"
                  size="xs"
                  loading={addNote.isPending}
                  disabled={!text.trim()}
                  data-testid="note-submit"
                >
                  {t('notes.submit')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        {notes.length === 0 && !timeline.isPending && (
          <Text size="sm" c="dimmed">
            {t('notes.none')}
          </Text>
        )}
        {notes.slice(0, 5).map((note) => (
          <Paper key={note.id} bg="gray.0" p="sm" radius="sm" data-testid="note-item">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {typeof note.data.text === 'string' ? note.data.text : ''}
            </Text>
            <Text size="xs" c="dimmed" mt={4}>
              {[note.actorName, formatDateTime(note.at, i18n.language)].filter(Boolean).join(' · ')}
            </Text>
          </Paper>
        ))}
      </Stack>
    </SectionCard>
  );
}

export function TimelineCard({ person }: { person: Person }) {
  const { t, i18n } = useTranslation('people');
  const timeline = useTimeline(person.id);
  const tags = useTags(person.orgId);
  const { orgsById } = useCurrentOrg();
  const tagName = useMemo(() => {
    const byId = new Map((tags.data?.items ?? []).map((tag) => [tag.id, tag.name]));
    return (id: string) => byId.get(id) ?? t('timeline.unknownTag');
  }, [tags.data, t]);
  const events = timeline.data?.pages.flatMap((page) => page.items) ?? [];

  const describe = (event: TimelineItem) => {
    const data = event.data;
    switch (event.kind) {
      case 'person.created':
        return t('timeline.created', {
          source: t(`sources.${String(data.source ?? 'manual')}`, {
            defaultValue: String(data.source ?? ''),
          }),
        });
      case 'person.updated': {
        const fields = strings(data.fields).map((f) => t(`fields.${f}`, { defaultValue: f }));
        return fields.length
          ? t('timeline.updatedFields', { fields: fields.join(', ') })
          : t('timeline.updated');
      }
      case 'person.moved':
        return t('timeline.moved', {
          from: orgsById.get(String(data.fromOrgId))?.name ?? t('timeline.otherUnit'),
          to: orgsById.get(String(data.toOrgId))?.name ?? t('timeline.otherUnit'),
        });
      case 'person.tags_changed': {
        const parts = [
          ...strings(data.added).map((id) => `+ ${tagName(id)}`),
          ...strings(data.removed).map((id) => `− ${tagName(id)}`),
        ];
        return t('timeline.tagsChanged', { tags: parts.join(', ') });
      }
      case 'note.added':
        return t('timeline.note');
      case 'consent.requested':
        return t('timeline.newsletterRequested');
      case 'consent.granted':
      case 'consent.revoked': {
        const source = String(data.source ?? '');
        return t(event.kind === 'consent.granted' ? 'timeline.consentGranted' : 'timeline.consentRevoked', {
          source: t(`consents.ledgerSources.${source}`, {
            defaultValue: t(`consents.sources.${source}`, { defaultValue: source }),
          }),
        });
      }
      case 'mailing.received':
        return t('timeline.mailingReceived', { subject: String(data.subject ?? '') });
      case 'mail.bounced':
        return t('timeline.mailBounced');
      case 'mail.unsubscribed':
        return data.scope === 'all'
          ? t('timeline.unsubscribedAll')
          : t('timeline.unsubscribed', {
              purpose: t(`timeline.mailPurposes.${String(data.purpose)}`, {
                defaultValue: String(data.purpose ?? ''),
              }),
              unit: orgsById.get(String(data.orgId))?.name ?? t('timeline.otherUnit'),
            });
      case 'tags.added':
        return t('timeline.tagsChanged', {
          tags: strings(data.tagIds)
            .map((id) => `+ ${tagName(id)}`)
            .join(', '),
        });
      case 'fields.changed':
        return t('timeline.fieldsFromCall');
      default:
        if (event.kind.startsWith('call.'))
          return t('timeline.call', {
            outcome: t(`calls:outcomes.${event.kind.slice(5)}`, { defaultValue: event.kind.slice(5) }),
            assignment: String(data.assignmentTitle ?? ''),
          });
        return t(`timeline.kinds.${event.kind}`, { defaultValue: event.kind });
    }
  };
  const icon = (kind: string) => {
    if (kind === 'person.created') return <IconUserPlus size={12} aria-hidden />;
    if (kind === 'person.updated') return <IconPencil size={12} aria-hidden />;
    if (kind === 'person.moved') return <IconArrowsExchange size={12} aria-hidden />;
    if (kind === 'person.tags_changed') return <IconTag size={12} aria-hidden />;
    if (kind === 'note.added') return <IconNote size={12} aria-hidden />;
    if (kind.startsWith('call.')) return <IconPhone size={12} aria-hidden />;
    if (kind.startsWith('consent.')) return <IconMailCheck size={12} aria-hidden />;
    if (kind.startsWith('mail.') || kind.startsWith('mailing.')) return <IconMail size={12} aria-hidden />;
    return <IconCircleDot size={12} aria-hidden />;
  };

  return (
    <SectionCard title={t('timeline.title')} testId="person-timeline">
      <ErrorAlert error={timeline.error} />
      {timeline.isPending ? (
        <Skeleton h={120} />
      ) : events.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('timeline.empty')}
        </Text>
      ) : (
        <Stack gap="md">
          <Timeline bulletSize={22} lineWidth={2}>
            {events.map((event) => (
              <Timeline.Item
                key={event.id}
                bullet={icon(event.kind)}
                data-testid="timeline-item"
                data-kind={event.kind}
              >
                <Text size="sm" fw={500}>
                  {describe(event)}
                </Text>
                {event.kind === 'note.added' && typeof event.data.text === 'string' && (
                  <Text
                    size="sm"
                    c="dark.4"
                    style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
                    lineClamp={4}
                  >
                    {event.data.text}
                  </Text>
                )}
                {event.kind.startsWith('call.') && <CallDetails data={event.data} />}
                {!event.kind.startsWith('person.') &&
                  !event.kind.startsWith('call.') &&
                  !/^(consent|mail|mailing)\./.test(event.kind) &&
                  !['note.added', 'tags.added', 'fields.changed'].includes(event.kind) &&
                  Object.keys(event.data).length > 0 && (
                    <Group gap={4} mt={2}>
                      {Object.entries(event.data)
                        .filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
                        .slice(0, 4)
                        .map(([k, v]) => (
                          <Badge key={k} size="xs" variant="outline" color="gray" tt="none">
                            {k}: {String(v)}
                          </Badge>
                        ))}
                    </Group>
                  )}
                <Text size="xs" c="dimmed" mt={2}>
                  {[event.actorName ?? t('timeline.system'), formatDateTime(event.at, i18n.language)].join(
                    ' · ',
                  )}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
          {timeline.hasNextPage && (
            <Button
              variant="light"
              size="xs"
              onClick={() => timeline.fetchNextPage()}
              loading={timeline.isFetchingNextPage}
              style={{ alignSelf: 'flex-start' }}
              data-testid="timeline-load-more"
            >
              {t('common:actions.loadMore')}
            </Button>
          )}
        </Stack>
      )}
    </SectionCard>
  );
}

/** What a call produced, for organizers: answers with their questions, follow-up, newsletter, call-back. */
function CallDetails({ data }: { data: TimelineItem['data'] }) {
  const { t, i18n } = useTranslation('people');
  const answers = Array.isArray(data.answers)
    ? (data.answers as { questionId?: string; question?: string; value?: unknown }[])
    : [];
  const show = (v: unknown) =>
    typeof v === 'boolean'
      ? t(v ? 'timeline.yes' : 'timeline.no')
      : Array.isArray(v)
        ? v.join(', ')
        : String(v ?? '');
  return (
    <Stack gap={2} mt={2} data-testid="timeline-call">
      {answers.map((a) => (
        <Text key={`${a.questionId ?? a.question}`} size="xs" c="dark.4">
          {a.question}: <b>{show(a.value)}</b>
        </Text>
      ))}
      <Group gap={4}>
        {typeof data.followUp === 'string' && (
          <Badge size="xs" color="orange" variant="light" tt="none">
            {t('timeline.followUp', { reason: data.followUp })}
          </Badge>
        )}
        {data.newsletter === true && (
          <Badge size="xs" color="teal" variant="light" tt="none">
            {t('timeline.newsletter')}
          </Badge>
        )}
        {typeof data.callBackAt === 'string' && (
          <Badge size="xs" color="blue" variant="light" tt="none">
            {t('timeline.callBack', { at: formatDateTime(data.callBackAt, i18n.language) })}
          </Badge>
        )}
      </Group>
    </Stack>
  );
}
