import { Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { PasswordSection } from './PasswordSection.tsx';
import { ProfileSection } from './ProfileSection.tsx';
import { TokensSection } from './TokensSection.tsx';
import { TotpSection } from './TotpSection.tsx';

function Section({
  title,
  description,
  children,
  id,
}: {
  title: string;
  description?: string;
  children: ReactNode;
  id: string;
}) {
  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby={id}>
      <Stack gap={4} mb="md">
        <Title order={2} fz="lg" id={id}>
          {title}
        </Title>
        {description && (
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        )}
      </Stack>
      {children}
    </Paper>
  );
}

export function AccountPage() {
  const { t } = useTranslation('account');
  const { me } = useCurrentOrg();
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <Stack gap="lg">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <Section id="account-profile" title={t('profile.title')}>
            <ProfileSection me={me} />
          </Section>
          <Section id="account-password" title={t('password.title')}>
            <PasswordSection />
          </Section>
        </SimpleGrid>
        <Section id="account-totp" title={t('totp.title')} description={t('totp.description')}>
          <TotpSection me={me} />
        </Section>
        <Section id="account-tokens" title={t('tokens.title')}>
          <TokensSection />
        </Section>
      </Stack>
    </>
  );
}
