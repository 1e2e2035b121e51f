import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Summary } from '../api.ts';

export function personName(p: Pick<Summary, 'title' | 'firstName' | 'lastName'>): string {
  return [p.title, p.firstName, p.lastName].filter(Boolean).join(' ').trim() || '—';
}

/** Score as a percentage; colour follows strength, the number is always written out. */
export function ScoreBadge({ score }: { score: number }) {
  const { t } = useTranslation('duplicates');
  const percent = Math.round(score * 100);
  const color = percent >= 85 ? 'red' : percent >= 65 ? 'orange' : 'yellow';
  return (
    <Badge color={color} variant="filled" radius="sm" tt="none" aria-label={t('list.score', { percent })}>
      {t('list.score', { percent })}
    </Badge>
  );
}
