import { Badge, Group, Select, Text } from '@mantine/core';
import { IconSitemap } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { buildOrgTree, flattenOrgTree } from '../features/orgs/orgTree.ts';
import { useCurrentOrg } from './current-org.tsx';

/** Chooses the unit all pages work on (remembered in this browser). */
export function OrgSwitcher({ withLabel = false }: { withLabel?: boolean }) {
  const { t } = useTranslation('common');
  const { orgs, currentOrg, setCurrentOrgId } = useCurrentOrg();
  const rows = useMemo(() => flattenOrgTree(buildOrgTree(orgs)), [orgs]);
  const depthOf = useMemo(() => new Map(rows.map((row) => [row.org.id, row.depth])), [rows]);
  const kindOf = useMemo(() => new Map(rows.map((row) => [row.org.id, row.org.kind])), [rows]);
  if (rows.length === 0) return null;
  return (
    <Select
      label={withLabel ? t('header.currentOrg') : undefined}
      aria-label={t('header.currentOrg')}
      data-testid={withLabel ? 'org-switcher-mobile' : 'org-switcher'}
      data={rows.map(({ org }) => ({ value: org.id, label: org.name }))}
      value={currentOrg?.id ?? null}
      onChange={(value) => value && setCurrentOrgId(value)}
      searchable={rows.length > 8}
      allowDeselect={false}
      leftSection={<IconSitemap size={16} aria-hidden />}
      comboboxProps={{ width: withLabel ? 'target' : 440, position: 'bottom-start', shadow: 'md' }}
      maxDropdownHeight={400}
      w={withLabel ? '100%' : 340}
      renderOption={({ option }) => (
        <Group gap={8} wrap="nowrap" pl={(depthOf.get(option.value) ?? 0) * 14}>
          <Text size="sm" truncate>
            {option.label}
          </Text>
          <Badge size="xs" variant="light" color="gray" style={{ flexShrink: 0 }}>
            {t(`kinds.${kindOf.get(option.value)}`)}
          </Badge>
        </Group>
      )}
    />
  );
}
