import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { MAIL_HISTORY_EVENTS } from '../../../../shared/mailings.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { type EditorProps, type KindEditors, row } from '../../queries/filters/editor-kit.tsx';
import { useMailings } from '../api.ts';

type MailHistoryEvent = (typeof MAIL_HISTORY_EVENTS)[number];

/** Received a mailing (one or any), an address bounced (in one mailing or at all), unsubscribed. */
function MailHistoryEditor({ node, onChange }: EditorProps<'mailHistory'>) {
  const { t } = useTranslation('queries');
  const { currentOrg, can } = useCurrentOrg();
  const mailings = useMailings(currentOrg?.id, can('mail:send'));
  const sent = (mailings.data?.pages.flatMap((p) => p.items) ?? []).filter((m) => m.startedAt);
  return row(
    <>
      <Select
        label={t('editor.mailEvent')}
        w={240}
        allowDeselect={false}
        data={MAIL_HISTORY_EVENTS.map((e) => ({ value: e, label: t(`mailEvents.${e}`) }))}
        value={node.event}
        onChange={(v) => {
          const event = (v ?? 'received') as MailHistoryEvent;
          onChange(
            event === 'unsubscribed' ? { kind: 'mailHistory', not: node.not, event } : { ...node, event },
          );
        }}
        data-testid="filter-mail-event"
      />
      {node.event !== 'unsubscribed' && (
        <Select
          label={t('editor.mailing')}
          w={280}
          clearable
          searchable
          placeholder={t('editor.anyMailing')}
          data={sent.map((m) => ({ value: m.id, label: m.subject }))}
          value={node.mailingId ?? null}
          onChange={(id) => onChange({ ...node, mailingId: id ?? undefined })}
          data-testid="filter-mailing"
        />
      )}
    </>,
  );
}

/** Editor for the mail history filter (server: `mail/mail.filters.ts`). */
export const MAIL_FILTER_EDITORS: KindEditors<'mailHistory'> = {
  mailHistory: MailHistoryEditor,
};
