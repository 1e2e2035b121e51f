import { Center, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function FullPageLoader() {
  const { t } = useTranslation('common');
  return (
    <Center mih="60vh">
      <Stack align="center" gap="xs">
        <Loader aria-hidden />
        <Text c="dimmed" size="sm" role="status">
          {t('states.loading')}
        </Text>
      </Stack>
    </Center>
  );
}
