import { Box, Center, Container, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconPlugConnected } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch.tsx';

/** The frame of pages for signed-out visitors: login, password reset, invitation. */
export function PublicLayout({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation('common');
  return (
    <Box mih="100vh" bg="gray.0" py={{ base: 'md', sm: 48 }}>
      <Container size={460} px="md">
        <Group justify="space-between" mb="lg">
          <Group gap="xs">
            <ThemeIcon size={36} radius="md" variant="filled">
              <IconPlugConnected size={22} aria-hidden />
            </ThemeIcon>
            <Stack gap={0}>
              <Text fw={800} fz="xl" lh={1.1}>
                {t('appName')}
              </Text>
              <Text size="xs" c="dimmed">
                {t('tagline')}
              </Text>
            </Stack>
          </Group>
          <LanguageSwitch />
        </Group>
        <Paper withBorder shadow="sm" radius="md" p={{ base: 'lg', sm: 'xl' }}>
          <Title order={1} fz={24} mb="md">
            {title}
          </Title>
          {children}
        </Paper>
      </Container>
      <Center mt="xl">
        <Text size="xs" c="dimmed">
          {t('footer')}
        </Text>
      </Center>
    </Box>
  );
}
