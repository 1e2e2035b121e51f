import {
  Alert,
  Box,
  Button,
  Container,
  Group,
  Paper,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { IconPlugConnected, IconShieldCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { UserMenu } from '../../../app/UserMenu.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { formatDate } from '../../../lib/format.ts';
import type { Me } from '../../auth/api.ts';
import { useConfirmInstruction, useInstruction } from '../api.ts';
import { InstructionText } from './InstructionText.tsx';

/** Shown instead of everything else until the current instruction is confirmed. */
export function InstructionGatePage({ me }: { me: Me }) {
  const { t, i18n } = useTranslation('instruction');
  const navigate = useNavigate();
  // After confirming, stay on the page that was asked for (a deep link, the caller screen after
  // joining through an invitation link).
  const location = useLocation();
  const instruction = useInstruction();
  const confirm = useConfirmInstruction();
  const renewed = me.currentInstructionVersion > 1;

  return (
    <Box mih="100vh" bg="gray.0">
      <Box bg="white" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Container size="md" py="sm">
          <Group justify="space-between">
            <Group gap={8}>
              <ThemeIcon size={32} radius="md">
                <IconPlugConnected size={20} aria-hidden />
              </ThemeIcon>
              <Text fw={800} fz="xl">
                {t('common:appName')}
              </Text>
            </Group>
            <UserMenu me={me} />
          </Group>
        </Container>
      </Box>
      <Container size="md" py={{ base: 'md', sm: 'xl' }} component="main">
        <Paper withBorder radius="md" p={{ base: 'md', sm: 'xl' }} shadow="xs">
          <Stack>
            <Group gap="sm" wrap="nowrap" align="flex-start">
              <ThemeIcon size={44} radius="xl" variant="light">
                <IconShieldCheck size={26} aria-hidden />
              </ThemeIcon>
              <Stack gap={2}>
                <Title order={1} fz={{ base: 22, sm: 28 }}>
                  {t('gate.title')}
                </Title>
                {instruction.data && (
                  <Text size="sm" c="dimmed">
                    {t('version', {
                      version: instruction.data.version,
                      date: formatDate(instruction.data.createdAt, i18n.language),
                    })}
                  </Text>
                )}
              </Stack>
            </Group>
            <Alert color="grape" variant="light">
              {renewed ? t('gate.introRenewed') : t('gate.intro')}
            </Alert>
            <ErrorAlert error={instruction.error} />
            {instruction.isPending ? (
              <Stack>
                <Skeleton h={16} />
                <Skeleton h={16} />
                <Skeleton h={16} w="70%" />
              </Stack>
            ) : (
              instruction.data && <InstructionText text={instruction.data.text} />
            )}
            <ErrorAlert error={confirm.error} />
            <Button
              size="lg"
              fullWidth
              mt="md"
              leftSection={<IconShieldCheck size={22} aria-hidden />}
              disabled={!instruction.data}
              loading={confirm.isPending}
              data-testid="instruction-confirm"
              onClick={() =>
                instruction.data &&
                confirm.mutate(instruction.data.version, {
                  onSuccess: () => navigate(`${location.pathname}${location.search}`, { replace: true }),
                })
              }
            >
              {t('gate.confirm')}
            </Button>
          </Stack>
        </Paper>
      </Container>
    </Box>
  );
}
