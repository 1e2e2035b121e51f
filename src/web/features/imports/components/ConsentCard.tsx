import { Alert, Paper, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconMailCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { CONSENT_LEGAL_BASIS_MAX } from '../../../../shared/imports.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';

export interface ConsentSettings {
  legalBasis: string;
  orgId: string;
}

/**
 * Shown when a column is mapped to the newsletter consent: what "ja" and "nein" do (a double
 * opt-in, never a revocation), the legal basis the organizer states (required) and the unit the
 * consents are for — the import's unit or one above it where they may import.
 */
export function ConsentCard({
  importOrgId,
  value,
  onChange,
  showRequired,
}: {
  importOrgId: string;
  value: ConsentSettings;
  onChange: (value: ConsentSettings) => void;
  showRequired: boolean;
}) {
  const { t } = useTranslation('imports');
  const { orgsById, can } = useCurrentOrg();
  const units: { value: string; label: string }[] = [];
  for (
    let org = orgsById.get(importOrgId);
    org;
    org = org.parentId ? orgsById.get(org.parentId) : undefined
  ) {
    if (org.id === importOrgId || can('people:import', org.id))
      units.push({ value: org.id, label: org.name });
  }
  const missing = showRequired && !value.legalBasis.trim();
  return (
    <Paper withBorder p="lg" radius="md" data-testid="import-consent">
      <Stack gap="sm">
        <Title order={3} fz="lg">
          {t('consent.title')}
        </Title>
        <Alert variant="light" color="blue" icon={<IconMailCheck size={20} aria-hidden />}>
          {t('consent.text')}
        </Alert>
        <Textarea
          label={t('consent.legalBasis')}
          description={t('consent.legalBasisHelp')}
          placeholder={t('consent.legalBasisPlaceholder')}
          required
          autosize
          minRows={2}
          maxLength={CONSENT_LEGAL_BASIS_MAX}
          value={value.legalBasis}
          onChange={(e) => onChange({ ...value, legalBasis: e.currentTarget.value })}
          error={missing ? t('consent.required') : undefined}
          data-testid="import-consent-legal-basis"
        />
        <Text size="xs" c="dimmed" ta="right">
          {value.legalBasis.length} / {CONSENT_LEGAL_BASIS_MAX}
        </Text>
        {units.length > 1 && (
          <Select
            label={t('consent.org')}
            data={units}
            value={value.orgId}
            allowDeselect={false}
            onChange={(orgId) => orgId && onChange({ ...value, orgId })}
            data-testid="import-consent-org"
          />
        )}
      </Stack>
    </Paper>
  );
}
