import {
  ActionIcon,
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconLink, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { DateField } from '../../../components/DateFields.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { SecretBox } from '../../../components/SecretBox.tsx';
import { formatDate, formatDateTime } from '../../../lib/format.ts';
import {
  type Assignment,
  type InviteLink,
  useCreateInviteLink,
  useInviteLinks,
  useRevokeInviteLink,
} from '../api.ts';

const DAY_MS = 24 * 3600 * 1000;

/** `YYYY-MM-DD` of a date in local time (the value of a date input). */
function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function linkState(link: InviteLink): 'active' | 'revoked' | 'expired' | 'usedUp' {
  if (link.revokedAt) return 'revoked';
  if (Date.parse(link.expiresAt) <= Date.now()) return 'expired';
  if (link.maxUses !== null && link.uses >= link.maxUses) return 'usedUp';
  return 'active';
}

const STATE_COLORS = { active: 'teal', revoked: 'gray', expired: 'gray', usedUp: 'orange' } as const;

/**
 * Invitation links of an assignment: whoever opens one registers (or signs in) and becomes a caller
 * of this assignment only. The link is shown once after creating it; the list shows uses and expiry.
 */
export function InviteLinksCard({ assignment }: { assignment: Assignment }) {
  const { t, i18n } = useTranslation('calls');
  const links = useInviteLinks(assignment.id);
  const create = useCreateInviteLink(assignment.id);
  const revoke = useRevokeInviteLink(assignment.id);
  const today = localDate(new Date());
  const lastDay = localDate(new Date(Date.now() + 365 * DAY_MS));
  const [expiresOn, setExpiresOn] = useState(localDate(new Date(Date.now() + 14 * DAY_MS)));
  const [maxUses, setMaxUses] = useState<number | string>('');
  const [created, setCreated] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<InviteLink | null>(null);

  const dateError =
    !expiresOn || expiresOn < today
      ? t('inviteLinks.dateInPast')
      : expiresOn > lastDay
        ? t('inviteLinks.dateTooLate')
        : null;
  const closed = assignment.status === 'closed';

  const submit = () => {
    if (dateError) return;
    // Valid until the end of the chosen day.
    const expiresAt = new Date(`${expiresOn}T23:59:59`).toISOString();
    create.mutate(
      { expiresAt, maxUses: typeof maxUses === 'number' ? maxUses : null },
      { onSuccess: (link) => setCreated(link.url) },
    );
  };

  return (
    <Paper withBorder radius="md" p="lg" data-testid="invite-links-card">
      <Stack>
        <Stack gap={4}>
          <Title order={2} fz="lg">
            {t('inviteLinks.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('inviteLinks.intro')}
          </Text>
        </Stack>
        {closed ? (
          <Text size="sm" c="dimmed">
            {t('inviteLinks.closed')}
          </Text>
        ) : (
          <Group align="flex-start">
            <DateField
              label={t('inviteLinks.expiresOn')}
              value={expiresOn}
              min={today}
              max={lastDay}
              onChange={setExpiresOn}
              error={dateError}
              style={{ flex: '1 1 180px' }}
              data-testid="invite-link-expires"
            />
            <NumberInput
              label={t('inviteLinks.maxUses')}
              description={t('inviteLinks.maxUsesHint')}
              min={1}
              max={10000}
              allowDecimal={false}
              allowNegative={false}
              value={maxUses}
              onChange={setMaxUses}
              style={{ flex: '1 1 180px' }}
              data-testid="invite-link-max-uses"
            />
          </Group>
        )}
        {!closed && (
          <Group justify="flex-end">
            <Button
              leftSection={<IconLink size={18} aria-hidden />}
              onClick={submit}
              disabled={Boolean(dateError)}
              loading={create.isPending}
              data-testid="invite-link-create"
            >
              {t('inviteLinks.create')}
            </Button>
          </Group>
        )}
        <ErrorAlert error={create.error ?? links.error} />
        {created && (
          <Paper bg="grape.0" p="md" radius="md">
            <Stack gap="xs">
              <SecretBox value={created} label={t('inviteLinks.createdLabel')} testId="invite-link-url" />
              <Text size="xs" c="dimmed">
                {t('inviteLinks.createdHint')}
              </Text>
            </Stack>
          </Paper>
        )}
        {links.data && links.data.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('inviteLinks.empty')}
          </Text>
        ) : (
          links.data && (
            <Table.ScrollContainer minWidth={420}>
              <Table verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('inviteLinks.colCreated')}</Table.Th>
                    <Table.Th>{t('inviteLinks.colExpires')}</Table.Th>
                    <Table.Th>{t('inviteLinks.colUses')}</Table.Th>
                    <Table.Th>{t('inviteLinks.colState')}</Table.Th>
                    <Table.Th w={48} />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {links.data.items.map((link) => {
                    const state = linkState(link);
                    return (
                      <Table.Tr key={link.id} data-testid="invite-link-row">
                        <Table.Td>
                          <Text size="sm">{formatDateTime(link.createdAt, i18n.language)}</Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{formatDate(link.expiresAt, i18n.language)}</Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" data-testid="invite-link-uses">
                            {link.maxUses === null
                              ? t('inviteLinks.usesUnlimited', { uses: link.uses })
                              : t('inviteLinks.uses', { uses: link.uses, max: link.maxUses })}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Badge variant="light" color={STATE_COLORS[state]}>
                            {t(`inviteLinks.state.${state}`)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          {state !== 'revoked' && (
                            <ActionIcon
                              variant="subtle"
                              color="red"
                              aria-label={t('inviteLinks.revoke')}
                              onClick={() => setRevoking(link)}
                              data-testid="invite-link-revoke"
                            >
                              <IconTrash size={18} aria-hidden />
                            </ActionIcon>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        )}
      </Stack>
      <ConfirmModal
        opened={Boolean(revoking)}
        title={t('inviteLinks.revokeTitle')}
        confirmLabel={t('inviteLinks.revokeConfirm')}
        color="red"
        loading={revoke.isPending}
        error={revoke.error}
        onClose={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) })}
      >
        {t('inviteLinks.revokeText', { uses: revoking?.uses ?? 0 })}
      </ConfirmModal>
    </Paper>
  );
}
