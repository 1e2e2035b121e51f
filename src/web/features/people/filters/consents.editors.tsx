import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CONSENT_FILTER_STATUSES } from '../../../../shared/consents.ts';
import { type EditorProps, type KindEditors, row } from '../../queries/filters/editor-kit.tsx';

/** The newsletter consent for a unit (default the list's unit; a consent from above counts). */
function ConsentEditor({ node, onChange, choices }: EditorProps<'consent'>) {
  const { t } = useTranslation('queries');
  return row(
    <>
      <Select
        label={t('editor.consentStatus')}
        w={260}
        allowDeselect={false}
        data={CONSENT_FILTER_STATUSES.map((s) => ({ value: s, label: t(`consentStatuses.${s}`) }))}
        value={node.status}
        onChange={(v) => onChange({ ...node, status: (v ?? 'granted') as typeof node.status })}
        data-testid="filter-consent-status"
      />
      <Select
        label={t('editor.consentUnit')}
        w={240}
        clearable
        searchable
        placeholder={t('editor.consentThisUnit')}
        data={choices.orgs.map((o) => ({ value: o.id, label: o.name }))}
        value={node.orgId ?? null}
        onChange={(id) => onChange({ ...node, orgId: id ?? undefined })}
        data-testid="filter-consent-unit"
      />
    </>,
  );
}

/** Editor for the consent filter (server: `consents/consents.filters.ts`; consents show on the profile). */
export const CONSENT_FILTER_EDITORS: KindEditors<'consent'> = {
  consent: ConsentEditor,
};
