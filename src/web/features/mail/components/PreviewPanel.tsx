import { Button, Group, Paper, Select, Skeleton, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { usePreview, useReachPeople, useSendTest } from '../api.ts';
import { MailingErrorAlert } from './MailingErrorAlert.tsx';

/** The mail's HTML in a frame that runs nothing and opens links in a new tab. */
function MailFrame({ html, title }: { html: string; title: string }) {
  const doc = /<head[^>]*>/i.test(html)
    ? html.replace(/<head([^>]*)>/i, '<head$1><base target="_blank">')
    : `<base target="_blank">${html}`;
  return (
    <iframe
      title={title}
      className="mail-preview-frame"
      sandbox="allow-popups allow-popups-to-escape-sandbox"
      referrerPolicy="no-referrer"
      srcDoc={doc}
      data-testid="preview-frame"
    />
  );
}

/**
 * "Vorschau": the mail as one person of the list gets it (placeholders filled), as HTML in a
 * sandboxed frame and as its plain-text part; and a test mail to any address (the user's own
 * prefilled). Refusals (footer missing, unknown placeholder) are said with the way to fix them.
 */
export function PreviewPanel({
  mailingId,
  orgId,
  canSeePeople,
  allowTest,
}: {
  mailingId: string;
  orgId: string;
  canSeePeople: boolean;
  allowTest: boolean;
}) {
  const { t } = useTranslation('mail');
  const { me } = useCurrentOrg();
  const [personId, setPersonId] = useState<string | null>(null);
  const people = useReachPeople(mailingId, canSeePeople ? 'reachable' : null);
  const preview = usePreview(mailingId, personId);
  const [email, setEmail] = useState(me.user.email);
  const test = useSendTest(mailingId);
  const options = (people.data?.pages.flatMap((p) => p.items) ?? []).map((p) => ({
    value: p.id,
    label: [`${p.firstName} ${p.lastName}`.trim(), p.orgName].filter(Boolean).join(' · '),
  }));

  return (
    <Paper withBorder radius="md" p="lg" data-testid="preview-panel">
      <Stack>
        <Title order={2} fz="lg">
          {t('preview.title')}
        </Title>
        {canSeePeople && (
          <Select
            label={t('preview.asPerson')}
            description={t('preview.asPersonHint')}
            placeholder={t('preview.samplePerson')}
            searchable
            clearable
            data={options}
            value={personId}
            onChange={setPersonId}
            nothingFoundMessage={t('preview.nobody')}
            data-testid="preview-person"
          />
        )}
        <MailingErrorAlert error={preview.error} orgId={orgId} />
        {preview.isPending ? (
          <Skeleton h={420} />
        ) : (
          preview.data && (
            <Stack gap="xs">
              <Text size="sm">
                <Text span c="dimmed">
                  {t('preview.from')}:{' '}
                </Text>
                <span data-testid="preview-from">{preview.data.from}</span>
                {preview.data.replyTo && (
                  <Text span c="dimmed" ml="sm">
                    {t('preview.replyTo')}: {preview.data.replyTo}
                  </Text>
                )}
              </Text>
              <Text size="sm" fw={600} data-testid="preview-subject">
                {preview.data.subject}
              </Text>
              <Tabs defaultValue="html" keepMounted={false}>
                <Tabs.List>
                  <Tabs.Tab value="html">{t('preview.html')}</Tabs.Tab>
                  <Tabs.Tab value="text" data-testid="preview-text-tab">
                    {t('preview.text')}
                  </Tabs.Tab>
                </Tabs.List>
                <Tabs.Panel value="html" pt="sm">
                  <MailFrame html={preview.data.html} title={t('preview.frameTitle')} />
                </Tabs.Panel>
                <Tabs.Panel value="text" pt="sm">
                  <Text
                    component="pre"
                    size="sm"
                    p="sm"
                    bg="gray.0"
                    style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', borderRadius: 8 }}
                    data-testid="preview-text"
                  >
                    {preview.data.text}
                  </Text>
                </Tabs.Panel>
              </Tabs>
            </Stack>
          )
        )}
        {allowTest && (
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              test.mutate(email.trim(), {
                onSuccess: () => notifySuccess(t('preview.testSent', { email: email.trim() })),
              });
            }}
          >
            <Stack gap="xs">
              <Group align="flex-end" gap="sm" wrap="wrap">
                <TextInput
                  label={t('preview.testTo')}
                  type="email"
                  value={email}
                  onChange={(e) => setEmail(e.currentTarget.value)}
                  style={{ flex: '1 1 220px' }}
                  data-testid="test-email"
                />
                <Button
                  type="submit"
                  variant="light"
                  leftSection={<IconSend size={16} aria-hidden />}
                  loading={test.isPending}
                  disabled={!/^\S+@\S+\.\S+$/.test(email.trim())}
                  data-testid="test-send"
                >
                  {t('preview.sendTest')}
                </Button>
              </Group>
              <MailingErrorAlert error={test.error} orgId={orgId} />
            </Stack>
          </form>
        )}
      </Stack>
    </Paper>
  );
}
