import { Box, Button, Paper, Stack, Text, Title } from '@mantine/core';
import { IconPhone } from '@tabler/icons-react';
import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../lib/format.ts';
import { useFormatE164 } from '../../people/phone-format.ts';
import type { OpenCall } from '../api.ts';

export function personName(person: OpenCall['person']): string {
  return [person.title, person.firstName, person.lastName].filter(Boolean).join(' ');
}

/** Who to call: name, place, the phones to dial, and earlier attempts (with notes when allowed). */
export function CallPersonCard({
  call,
  phoneId,
  onDial,
  nameRef,
}: {
  call: OpenCall;
  phoneId: string | undefined;
  onDial: (phoneId: string) => void;
  /** The name heading: the caller screen focuses it for each new person. */
  nameRef?: Ref<HTMLHeadingElement>;
}) {
  const { t, i18n } = useTranslation('calls');
  const formatE164 = useFormatE164();
  const { person } = call;
  const name = personName(person);
  const place = [person.postalCode, person.city].filter(Boolean).join(' ');
  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} data-testid="call-person">
      <Title
        order={2}
        ref={nameRef}
        tabIndex={-1}
        fz={{ base: 28, sm: 32 }}
        fw={800}
        lh={1.15}
        style={{ overflowWrap: 'anywhere' }}
        data-testid="call-name"
      >
        {name || t('caller.unnamed')}
      </Title>
      {place && (
        <Text c="dimmed" fz="lg">
          {place}
        </Text>
      )}
      {person.street && (
        <Text c="dimmed" size="sm">
          {[person.street, person.houseNumber].filter(Boolean).join(' ')}
        </Text>
      )}
      {person.orgName && (
        <Text c="dimmed" size="sm">
          {person.orgName}
        </Text>
      )}
      <Stack gap="xs" mt="md">
        {(person.phones ?? []).map((phone) => (
          <Button
            key={phone.id}
            component="a"
            href={`tel:${phone.e164 ?? phone.raw}`}
            size="xl"
            h={64}
            fz={22}
            color="teal"
            variant={phoneId === phone.id ? 'filled' : 'light'}
            leftSection={<IconPhone size={26} aria-hidden />}
            onClick={() => onDial(phone.id)}
            data-testid="call-dial"
            fullWidth
            justify="flex-start"
            px="md"
            // Number above its type: on a phone both stay whole instead of the type being cut off.
            styles={{
              label: {
                flexDirection: 'column',
                alignItems: 'flex-start',
                justifyContent: 'center',
                minWidth: 0,
              },
            }}
          >
            <Text span inherit lh={1.15}>
              {formatE164(phone.e164) ?? phone.raw}
            </Text>
            <Text span size="sm" lh={1.2} opacity={0.8} data-testid="call-dial-type">
              {t(`phoneTypes.${phone.type}`, { defaultValue: phone.type })}
            </Text>
          </Button>
        ))}
      </Stack>
      {call.history.length > 0 && (
        <Stack gap={6} mt="md" data-testid="call-history">
          <Text size="sm" fw={600}>
            {t('caller.history')}
          </Text>
          {call.history.map((h) => (
            <Box key={h.at}>
              <Text size="sm">
                {formatDateTime(h.at, i18n.language)} · {t(`outcomes.${h.outcome}`)}
              </Text>
              {h.note && (
                <Text
                  size="sm"
                  c="dimmed"
                  pl="xs"
                  style={{ whiteSpace: 'pre-wrap', borderLeft: '2px solid var(--mantine-color-gray-4)' }}
                >
                  {h.note}
                </Text>
              )}
            </Box>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
