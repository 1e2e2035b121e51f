import { Avatar, Button, Menu, Text } from '@mantine/core';
import { IconCheck, IconLanguage, IconLogout, IconShieldLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { notifyError } from '../components/notify.ts';
import { type Me, useLogout, useUpdateMe } from '../features/auth/api.ts';
import { applyLocale, LOCALES, type Locale } from './i18n.ts';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('');
}

/** Name, language, account page, logout. */
export function UserMenu({ me, compact = false }: { me: Me; compact?: boolean }) {
  const { t, i18n } = useTranslation('common');
  const navigate = useNavigate();
  const logout = useLogout();
  const updateMe = useUpdateMe();

  const switchLanguage = (locale: Locale) => {
    applyLocale(locale);
    updateMe.mutate({ locale }, { onError: (error) => notifyError(t, error) });
  };

  return (
    <Menu position="bottom-end" width={240} shadow="md" withinPortal>
      <Menu.Target>
        <Button
          variant="subtle"
          color="gray"
          px="xs"
          aria-label={
            compact ? t('header.userMenu') : `${me.user.name || me.user.email} (${t('header.userMenu')})`
          }
          data-testid="user-menu"
          leftSection={
            <Avatar size={30} radius="xl" color="grape" aria-hidden>
              {/* Drawn by CSS (app.css): the initials are decoration, not part of the button's text. */}
              <span className="user-initials" data-initials={initials(me.user.name || me.user.email)} />
            </Avatar>
          }
        >
          {!compact && (
            <Text size="sm" fw={500} maw={160} truncate>
              {me.user.name || me.user.email}
            </Text>
          )}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="var(--mantine-color-text)" truncate>
            {me.user.name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {me.user.email}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Label>
          <IconLanguage size={12} aria-hidden /> {t('header.language')}
        </Menu.Label>
        {LOCALES.map((locale) => (
          <Menu.Item
            key={locale}
            onClick={() => switchLanguage(locale)}
            rightSection={i18n.language === locale ? <IconCheck size={14} aria-hidden /> : null}
            lang={locale}
            aria-current={i18n.language === locale ? 'true' : undefined}
          >
            {t(`languages.${locale}`)}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item component={Link} to="/account" leftSection={<IconShieldLock size={16} aria-hidden />}>
          {t('header.account')}
        </Menu.Item>
        <Menu.Item
          color="red"
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })}
        >
          {t('header.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
