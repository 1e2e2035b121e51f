import {
  Alert,
  Anchor,
  Button,
  Group,
  Paper,
  Select,
  Skeleton,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { type MailSettings, useMailSettings, useSaveMailSettings } from '../api.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** "Mail-Einstellungen" of a unit: sender name and address, reply-to, the footer with the imprint. */
export function MailSettingsPage() {
  const { t } = useTranslation('mail');
  const { currentOrg, orgsById, can } = useCurrentOrg();
  const [params] = useSearchParams();
  const org = orgsById.get(params.get('org') ?? '') ?? currentOrg;
  const allowed = Boolean(org) && can('mail:configure', org?.id);
  const settings = useMailSettings(org?.id, allowed);

  if (!org) return <EmptyState title={t('common:noOrg.title')} text={t('common:noOrg.text')} />;
  if (!allowed) return <Forbidden />;
  return (
    <>
      <PageHeader
        title={t('settings.title')}
        description={t('settings.description', { org: org.name })}
        actions={
          <Button component={Link} to="/mailings" variant="default">
            {t('composer.toList')}
          </Button>
        }
      />
      <ErrorAlert error={settings.error ?? undefined} />
      {settings.isPending ? (
        <Skeleton h={420} />
      ) : (
        settings.data && (
          <SettingsForm
            key={settings.data.orgId + settings.data.footer}
            orgId={org.id}
            settings={settings.data}
          />
        )
      )}
    </>
  );
}

function SettingsForm({ orgId, settings }: { orgId: string; settings: MailSettings }) {
  const { t } = useTranslation('mail');
  const { orgsById, can } = useCurrentOrg();
  const save = useSaveMailSettings(orgId);
  const [senderName, setSenderName] = useState(settings.senderName);
  const [senderAddressId, setSenderAddressId] = useState(settings.senderAddressId);
  const [replyTo, setReplyTo] = useState(settings.replyTo ?? '');
  const [footer, setFooter] = useState(settings.footer);
  const inherited = settings.configured && settings.inheritedFrom && settings.inheritedFrom !== orgId;
  const replyOk = replyTo.trim() === '' || EMAIL.test(replyTo.trim());
  const footerOk = footer.trim().length >= 10;
  const valid = senderName.trim() !== '' && replyOk && footerOk;

  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} maw={760}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!valid) return;
          save.mutate(
            {
              senderName: senderName.trim(),
              senderAddressId,
              replyTo: replyTo.trim() || null,
              footer: footer.trim(),
            },
            { onSuccess: () => notifySuccess(t('settings.saved')) },
          );
        }}
      >
        <Stack>
          {inherited && (
            <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} aria-hidden />}>
              {t('settings.inherited', { org: orgsById.get(settings.inheritedFrom ?? '')?.name ?? '' })}
            </Alert>
          )}
          <TextInput
            label={t('settings.senderName')}
            description={t('settings.senderNameHint')}
            required
            value={senderName}
            onChange={(e) => setSenderName(e.currentTarget.value.replace(/[\r\n]+/g, ' '))}
            data-testid="settings-sender-name"
          />
          <Select
            label={t('settings.senderAddress')}
            description={
              can('instance:manage') ? (
                <>
                  {t('settings.senderAddressHint')}{' '}
                  <Anchor component={Link} to="/admin/sender-addresses" inherit underline="always">
                    {t('settings.manageSenders')}
                  </Anchor>
                </>
              ) : (
                t('settings.senderAddressHint')
              )
            }
            placeholder={t('settings.senderDefault')}
            clearable
            data={settings.allowedSenderAddresses.map((s) => ({ value: s.id, label: s.address }))}
            value={senderAddressId}
            onChange={setSenderAddressId}
            nothingFoundMessage={t('settings.noSenders')}
            data-testid="settings-sender-address"
          />
          <TextInput
            label={t('settings.replyTo')}
            description={t('settings.replyToHint')}
            type="email"
            value={replyTo}
            onChange={(e) => setReplyTo(e.currentTarget.value)}
            error={replyOk ? undefined : t('settings.replyToInvalid')}
            data-testid="settings-reply-to"
          />
          <Textarea
            label={t('settings.footer')}
            description={t('settings.footerHint')}
            required
            autosize
            minRows={4}
            value={footer}
            onChange={(e) => setFooter(e.currentTarget.value)}
            error={footer && !footerOk ? t('settings.footerTooShort') : undefined}
            data-testid="settings-footer"
          />
          <ErrorAlert error={save.error} />
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} disabled={!valid} data-testid="settings-save">
              {t('settings.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
