import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { OrgKind } from '../api.ts';

const COLORS: Record<OrgKind, string> = {
  federal: 'grape',
  state: 'violet',
  district: 'indigo',
  local: 'blue',
  group: 'teal',
};

export function OrgKindBadge({ kind, size = 'sm' }: { kind: OrgKind; size?: 'xs' | 'sm' | 'md' }) {
  const { t } = useTranslation('common');
  return (
    <Badge color={COLORS[kind]} variant="light" size={size} data-kind={kind}>
      {t(`kinds.${kind}`)}
    </Badge>
  );
}
