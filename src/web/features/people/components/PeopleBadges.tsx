import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { MembershipStatus, Tag } from '../api.ts';
import { STATUS_COLORS } from '../format.ts';
import { TagBadge } from './inputs.tsx';

export function StatusBadge({ status }: { status: MembershipStatus }) {
  const { t } = useTranslation('people');
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" miw="max-content" data-testid="status-badge">
      {t(`statuses.${status}`)}
    </Badge>
  );
}

/** A person's tags in a list row; tags not (yet) loaded show as "+n". */
export function RowTags({ ids, tagsById }: { ids: string[]; tagsById: ReadonlyMap<string, Tag> }) {
  const known = ids.map((id) => tagsById.get(id)).filter((tag): tag is Tag => Boolean(tag));
  const unknown = ids.length - known.length;
  if (ids.length === 0) return null;
  return (
    <Group gap={4}>
      {known.map((tag) => (
        <TagBadge key={tag.id} tag={tag} />
      ))}
      {unknown > 0 && (
        <Badge color="gray" variant="outline" tt="none">
          +{unknown}
        </Badge>
      )}
    </Group>
  );
}
