import { Button, Group } from '@mantine/core';
import { IconAddressBook, IconFileImport, IconSearch, IconUserPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/EmptyState.tsx';

/** No people: either none match the filters, or the unit has none yet (then: add or import). */
export function PeopleEmptyState({
  filtered,
  mayWrite,
  mayImport,
  onCreate,
}: {
  filtered: boolean;
  mayWrite: boolean;
  mayImport: boolean;
  onCreate: () => void;
}) {
  const { t } = useTranslation('people');
  if (filtered)
    return (
      <EmptyState
        icon={<IconSearch size={26} aria-hidden />}
        title={t('list.noMatches')}
        text={t('list.noMatchesHint')}
      />
    );
  return (
    <EmptyState
      icon={<IconAddressBook size={26} aria-hidden />}
      title={t('list.empty')}
      text={mayWrite ? t('list.emptyHint') : undefined}
      action={
        mayWrite && (
          <Group mt="sm" gap="sm" justify="center">
            <Button leftSection={<IconUserPlus size={18} aria-hidden />} onClick={onCreate}>
              {t('create.open')}
            </Button>
            {mayImport && (
              <Button
                variant="light"
                component={Link}
                to="/imports"
                leftSection={<IconFileImport size={18} aria-hidden />}
              >
                {t('list.import')}
              </Button>
            )}
          </Group>
        )
      }
    />
  );
}
